"""Measuring pages over HTTP through the production server (``stadtlotse serve``).

The server runs in its own process with production settings (``STADTLOTSE_MODE=production``,
``DEBUG`` off, a random ``SECRET_KEY``, the benchmark's URLconf through ``bench.pages_settings``)
on a free port of 127.0.0.1, on the same database file as the in-process run, without the task
worker. Signed-in users get a session row written beforehand with the server's secret (the same
thing a login writes), so no login form or lock-out is involved. The client is a plain sequential
``http.client`` connection with keep-alive: one request at a time, the time from sending the
request to having read the whole body.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_portfolio import summary

ROOT = Path(__file__).resolve().parents[1]
STADTLOTSE = str(Path(sys.executable).with_name("stadtlotse"))
# Collected static files survive between runs: `serve` collects again only when they changed.
STATIC_ROOT = Path(tempfile.gettempdir()) / f"stadtlotse-bench-pages-static-{os.getuid()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_url: str, secret: str, folder: Path) -> dict[str, str]:
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", "STADTLOTSE_SQLITE_PATH", "STADTLOTSE_MODE", "DEBUG"}
    inherited = {k: v for k, v in os.environ.items() if k not in dropped}
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return {
        **inherited, "STADTLOTSE_MODE": "production", "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "PYTHONPATH": python_path, "SECRET_KEY": secret, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0", "DATABASE_URL": database_url,
        "STATIC_ROOT": str(STATIC_ROOT), "MEDIA_ROOT": str(folder / "media"), "AXES_ENABLED": "false",
        "LOG_LEVEL": "ERROR",
    }  # fmt: skip


def make_sessions(users: dict[str, object], secret: str) -> dict[str, str]:
    """A session cookie value per signed-in user, valid for a server whose SECRET_KEY is ``secret``."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test.utils import override_settings

    cookies = {}
    with override_settings(SECRET_KEY=secret):
        for key, user in users.items():
            if user is None:
                continue
            store = SessionStore()
            store[SESSION_KEY] = user._meta.pk.value_to_string(user)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.save()
            cookies[key] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return cookies


class Server:
    """``stadtlotse serve`` on a free loopback port, for the duration of a ``with`` block."""

    def __init__(self, database_url: str, folder: Path, threads: int = 4) -> None:
        self.secret = secrets.token_urlsafe(60)
        self.port = free_port()
        self.folder = folder
        self.env = server_environment(database_url, self.secret, folder)
        self.threads = threads
        self.process: subprocess.Popen | None = None
        self.log_path = folder / "server.log"
        self.started_s = 0.0

    def __enter__(self) -> Server:
        start = time.perf_counter()
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [STADTLOTSE, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(self.threads),
             "--no-worker"],
            env=self.env, stdout=self._log, stderr=self._log, cwd=ROOT,
        )  # fmt: skip
        self._wait()
        self.started_s = time.perf_counter() - start
        return self

    def _wait(self, seconds: float = 600) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at start; its log:\n{self.log_path.read_text()[-3000:]}")
            try:
                status, _body = Client(self.port).get("/__bench__/floor/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("the server did not start")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def errors(self) -> list[str]:
        return [line for line in self.log_path.read_text().splitlines() if "Error" in line or "Traceback" in line]


class Client:
    """One keep-alive HTTP/1.1 connection; ``get`` reads the whole body."""

    def __init__(self, port: int, cookie: str | None = None) -> None:
        self.port, self.cookie = port, cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, url: str) -> tuple[int, bytes]:
        headers = {"Accept-Language": "de"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.connection.request("GET", url, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # the server closed an idle keep-alive connection: once more
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def measure_http(client: Client, url: str, repeat: int) -> dict:
    """One warm-up request, then ``repeat`` timed ones: median and p95 of the wall time."""
    status, body = client.get(url)
    result = {"status": status, "bytes": len(body)}
    times, statuses = [], set()
    for _n in range(repeat):
        start = time.perf_counter()
        status, _body = client.get(url)
        times.append(time.perf_counter() - start)
        statuses.add(status)
    result.update(summary(times))
    result["all_status"] = sorted(statuses)
    result["mean_ms"] = statistics.fmean(times) * 1000
    return result

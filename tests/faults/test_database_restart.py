"""The production server survives a PostgreSQL restart: while the database is down, requests
fail cleanly with 503 (no 500, no hang), and afterwards they succeed again without restarting
the app.

The test runs its own PostgreSQL cluster on a free loopback port (Debian's PostgreSQL binaries,
as the `postgres` system user) and the production server (`stadtlotse serve`) against it, so it
never touches the database the rest of the suite uses. Run with `pytest -m fault`.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.fault

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
STADTLOTSE = str(Path(sys.executable).with_name("stadtlotse"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


class Cluster:
    def __init__(self, root: Path):
        self.bin = Path(BIN[-1])
        self.data = root / "pgdata"
        self.sockets = root / "pgsock"
        self.port = _free_port()

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", *args),
                       check=True, capture_output=True, timeout=60)  # fmt: skip

    def init(self) -> None:
        self.data.mkdir()
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            shutil.chown(self.sockets, "postgres")
            shutil.chown(self.data.parent, "postgres")
        subprocess.run(_as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"),
                       check=True, capture_output=True, timeout=120)  # fmt: skip

    def start(self) -> None:
        self.pg_ctl("-o", f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "-l", str(self.data / "log"), "start")  # fmt: skip

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")


def _get(url: str, timeout: float = 15) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


@pytest.fixture
def server(tmp_path):
    if not BIN or not shutil.which("runuser"):
        pytest.skip("needs Debian's PostgreSQL server binaries")
    # pytest's tmp_path lies below a folder only root may enter; the cluster needs its own
    cluster_root = Path(tempfile.mkdtemp(prefix="stadtlotse-fault-"))
    cluster = Cluster(cluster_root)
    cluster.init()
    cluster.start()
    port = _free_port()
    env = {
        **os.environ, "STADTLOTSE_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/postgres",
        "STATIC_ROOT": str(tmp_path / "static"), "MEDIA_ROOT": str(tmp_path / "media"), "WEB_THREADS": "4",
    }  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest; refused in production
    subprocess.run([STADTLOTSE, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([STADTLOTSE, "shell", "-c",
                    "from stadtlotse.core import services; services.create_municipality(by=None, slug='plauen', "
                    "name='Plauen', state='SN', ags='14523319')"], env=env, check=True, timeout=120)  # fmt: skip
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen([STADTLOTSE, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        last = None
        deadline = time.monotonic() + 480  # `serve` first collects and compresses the static files
        while time.monotonic() < deadline and process.poll() is None:
            try:
                last = _get(base + "/plauen/", timeout=5)
                if last[0] == 200:
                    break
            except OSError as exc:
                last = exc
            time.sleep(0.5)
        else:
            server_log = (tmp_path / "server.log").read_text()[-2000:]
            pytest.fail(f"the server did not start ({str(last)[:500]}): {server_log}")
        yield base, cluster
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        try:
            cluster.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(cluster_root, ignore_errors=True)


def test_requests_fail_cleanly_while_postgresql_is_down_and_recover_after(server):
    base, cluster = server
    before = [_get(base + "/plauen/") for _ in range(10)]
    assert {status for status, _, _ in before} == {200}

    cluster.stop()
    during = [_get(base + "/plauen/") for _ in range(10)]
    assert {status for status, _, _ in during} == {503}, [status for status, _, _ in during]
    assert all("Datenbank ist zurzeit nicht erreichbar" in body for _, body, _ in during)
    assert max(seconds for _, _, seconds in during) < 10  # no hanging request
    api_status, api_body, _ = _get(base + "/api/v1/municipalities")
    assert api_status == 503 and '"reason": "unavailable"' in api_body

    cluster.start()
    after = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        after.append(_get(base + "/plauen/"))
        if after[-1][0] == 200:
            break
        time.sleep(0.5)
    assert after[-1][0] == 200, "the app did not recover without a restart"
    assert {status for status, _, _ in after} <= {200, 503}
    assert {status for status, _, _ in (_get(base + "/plauen/") for _ in range(10))} == {200}

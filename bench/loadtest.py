"""Load test: the production server under mixed reading traffic (wrk) and a burst of citizens
posting comments (through the API, each with their own token and address), on SQLite or
PostgreSQL; afterwards every accepted comment must be in the database exactly once and no
refused one at all.

Command line (from the repository root; needs Debian's `wrk`)::

    .venv/bin/python -m bench.loadtest [--database-url postgres://…/EMPTY_DB] [--seconds 30]
        [--connections 16] [--citizens 200] [--comments 3] [--threads 8]

Without ``--database-url`` it uses a new SQLite file in a temporary folder. A PostgreSQL
database must be empty; the test migrates it and leaves its data there. All traffic goes to
127.0.0.1. The run is bounded: wrk stops after ``--seconds``, the burst after
``citizens × comments`` requests (plus one eager citizen who tries 15 times and meets the rate
limit of 10 per 10 minutes). The figures are printed and written to
``bench/results/load-<engine>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STADTLOTSE = str(Path(sys.executable).with_name("stadtlotse"))
RESULTS = ROOT / "bench" / "results"
EAGER_TRIES = 15

PREPARE = textwrap.dedent('''
    import json, sys
    from datetime import timedelta
    from django.utils import timezone
    from stadtlotse.core import services as core
    from stadtlotse.core.models import Municipality, Role, User
    from stadtlotse.demo.loader import load_demo
    from stadtlotse.participation import services as participation
    from stadtlotse.strategy.models import StrategyVersion

    n = int(sys.argv[1])
    load_demo()
    town = Municipality.objects.get(slug="plauen")
    version = StrategyVersion.objects.filter(strategy__municipality=town).order_by("pk").first()
    admin = User.objects.get(username="plauen-admin")
    now = timezone.now()
    phase = participation.create_phase(
        municipality=town, by=admin, title="Lasttest", description="", version=version,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30), allow_anonymous=False,
    )
    tokens = []
    for i in range(n + 1):
        user = User.objects.create_user(username=f"last-{i}", password=None)
        core.grant_role(municipality=town, user=user, role=Role.CITIZEN, by=None)
        _token, key = core.create_api_token(user=user, name="Lasttest")
        tokens.append(key)
    print(json.dumps({"phase": phase.pk, "tokens": tokens, "version": version.pk}))
''')

VERIFY = textwrap.dedent('''
    import json, sys
    from collections import Counter
    from stadtlotse.participation.models import Contribution

    texts = Counter(Contribution.objects.filter(text__startswith=sys.argv[1]).values_list("text", flat=True))
    print(json.dumps(texts))
''')

READ_PATHS = [
    "/", "/plauen/", "/plauen/projekte/", "/plauen/strategie/", "/plauen/rat/", "/plauen/gremien/",
    "/plauen/beteiligung/", "/plauen/onlinedienste/", "/plauen/schulen/", "/api/v1/plauen/projects?limit=50",
    "/oparl/v1/", "/sindelfingen/", "/celle/",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, static_root: Path) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited, "STADTLOTSE_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
        "BEHIND_PROXY": "true", "DATABASE_URL": database_url, "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(static_root.parent / "media"), "AXES_ENABLED": "false", "LOG_LEVEL": "ERROR",
    }  # fmt: skip


def _python(code: str, env: dict[str, str], *args: str) -> str:
    setup = "import django, os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'stadtlotse.settings'\ndjango.setup()\n"
    result = subprocess.run([sys.executable, "-c", setup + code, *args], env=env, capture_output=True, text=True,
                            timeout=1800, check=False)  # fmt: skip
    if result.returncode:
        raise SystemExit(f"failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def _wrk(base: str, seconds: int, connections: int, folder: Path) -> dict:
    script = folder / "paths.lua"
    paths = ", ".join(json.dumps(p) for p in READ_PATHS)
    script.write_text(textwrap.dedent(f'''
        local paths = {{{paths}}}
        local i = 0
        local statuses = {{}}
        request = function()
          i = i + 1
          return wrk.format("GET", paths[(i % #paths) + 1])
        end
    '''))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", str(script), base],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout
    figures = {"output": out}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", out):
        figures["requests_per_second"] = float(match.group(1))
    if match := re.search(r"(\d+) requests in", out):
        figures["requests"] = int(match.group(1))
    for pct in ("50", "75", "90", "99"):
        if match := re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out):
            value, unit = float(match.group(1)), match.group(2)
            figures[f"p{pct}_ms"] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx_3xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["socket_errors"] = sum(map(int, match.groups())) if match else 0
    return figures


def _post(base: str, phase: int, token: str, address: str, text: str) -> tuple[int, float]:
    body = json.dumps({"text": text}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/plauen/participation/phases/{phase}/comments", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "X-Forwarded-For": address},
    )  # fmt: skip
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - started) * 1000


def _burst(base: str, phase: int, tokens: list[str], comments: int, run: str) -> list[tuple[str, int, float]]:
    jobs = []
    for i, token in enumerate(tokens[:-1]):
        address = f"198.51.{100 + i // 250}.{i % 250 + 1}"  # header text only; no traffic goes there
        jobs += [(token, address, f"{run}-{i}-{k} Anmerkung zum Entwurf") for k in range(comments)]
    eager = tokens[-1]
    jobs += [(eager, "203.0.113.77", f"{run}-eager-{k} Anmerkung zum Entwurf") for k in range(EAGER_TRIES)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda job: (job[2], *_post(base, phase, job[0], job[1], job[2])), jobs))
    return results


def _pct(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--comments", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="stadtlotse-load-"))
    database_url = args.database_url or f"sqlite:///{folder / 'load.sqlite3'}"
    engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    env = _env(database_url, folder / "static")
    print(f"load test on {engine}: preparing (migrate, demo, {args.citizens + 1} citizens with tokens) …", flush=True)
    subprocess.run([STADTLOTSE, "migrate", "-v0"], env=env, check=True, timeout=1200)
    prepared = json.loads(_python(PREPARE, env, str(args.citizens)))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen([STADTLOTSE, "serve", "--port", str(port), "--threads", str(args.threads)],
                              env=env, stdout=log, stderr=log)  # fmt: skip
    try:
        _wait_for(base + "/plauen/", server)
        run = f"Lasttest-{secrets.token_hex(4)}"
        burst: list = []
        burst_seconds = [0.0]

        def do_burst() -> None:
            time.sleep(min(5, args.seconds / 4))  # into the reading traffic
            started = time.perf_counter()
            burst.extend(_burst(base, prepared["phase"], prepared["tokens"], args.comments, run))
            burst_seconds[0] = time.perf_counter() - started

        thread = threading.Thread(target=do_burst)
        thread.start()
        reading = _wrk(base, args.seconds, args.connections, folder)
        thread.join()
        stored = json.loads(_python(VERIFY, env, run))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    accepted = [text for text, status, _ in burst if status == 201]
    refused = [text for text, status, _ in burst if status != 201]
    statuses: dict[str, int] = {}
    for _, status, _ in burst:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    duplicated = [t for t in accepted if stored.get(t, 0) != 1]
    refused_stored = [t for t in refused if stored.get(t, 0)]
    unexpected = [t for t in stored if t not in set(accepted)]
    latencies = [ms for _, status, ms in burst if status == 201]
    summary = {
        "engine": engine, "seconds": args.seconds, "connections": args.connections, "server_threads": args.threads,
        "load_average": os.getloadavg(), "cpus": os.cpu_count(),
        "reading": {k: v for k, v in reading.items() if k != "output"},
        "burst": {
            "posted": len(burst), "statuses": statuses, "seconds": round(burst_seconds[0], 2),
            "accepted": len(accepted), "stored": sum(stored.values()),
            "median_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(_pct(latencies, 95), 1) if latencies else None,
            "accepted_not_exactly_once": len(duplicated), "refused_but_stored": len(refused_stored),
            "stored_but_not_accepted": len(unexpected),
        },
    }  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{engine}.json").write_text(json.dumps(summary, indent=2))
    print(reading["output"])
    print(json.dumps(summary, indent=2))
    ok = not duplicated and not refused_stored and not unexpected and statuses.get("500", 0) == 0
    ok = ok and statuses.get("201", 0) == args.citizens * args.comments + 10  # the eager one: 10 of 15
    if ok:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        errors = [line for line in (folder / "server.log").read_text().splitlines() if "Error" in line]
        print(f"server log: {folder / 'server.log'}; its last errors:", *errors[-10:], sep="\n  ")
    print("every accepted comment stored exactly once, no refused one stored:", "yes" if ok else "NO")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()

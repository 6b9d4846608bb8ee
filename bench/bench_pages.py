"""Benchmark of every main page and API endpoint: in process and over HTTP, on generated data.

Run from the repository root::

    python -m bench.bench_pages [--size small|city|operator] [--db PATH] [--repeat N]
        [--http-repeat N] [--only KEY,...] [--no-http] [--output FILE]

Data: without ``--db`` a fresh temporary SQLite file is migrated and loaded with
``bench.generate`` at ``--size``; with ``--db PATH`` an SQLite file generated earlier (for example
by ``python -m bench.generate --size city --db /tmp/bench-city.sqlite3``) is copied into the
temporary folder (SQLite's backup API, so the original is neither changed nor locked for long)
and migrated. With ``DATABASE_URL`` set and no ``--db``, that database is used; it must be empty.

The measured municipality is the one with the most projects. The objects the pages show are
looked up in the database (``bench.pages_catalogue``): the public project with the most links,
the adopted strategy, the phase with the most comments and its section with the most comments,
the public paper with the longest consultation sequence, and so on. A page whose part of the data
is missing is listed as "no data" and not measured.

In process (``django.test.Client``, the full middleware stack, ``STADTLOTSE_MODE=test``), with
the measuring functions of ``bench.bench_portfolio``: one warm-up request, two inside
``CaptureQueriesContext`` (their query counts must be equal, else ``*``) and ``--repeat`` timed
ones: median and p95 (nearest rank) of the wall time, median CPU time.

Over HTTP (unless ``--no-http``): ``stadtlotse serve`` with production settings on a free
loopback port, on the same database (``bench.pages_http``); one warm-up request and
``--http-repeat`` timed ones per page and user over one keep-alive connection.

``x floor`` is a page's median divided by the median of the floor (a view that returns
``HttpResponse("ok")`` through the same stack, ``bench.urls``) for the same user in the same run
and mode. Flags: ``N+1`` when the query count differs between two identical requests or from a
run at another size (``bench/results/pages-<size>.json``); ``>=100ms`` when the in-process p95
is 100 ms or more (the target at city size is below 100 ms).

The table goes to stdout and everything to ``bench/results/pages-<size>.json`` (not with
``--only`` unless ``--output`` is given).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.bench_portfolio import git_revision, load_average, machine, measure_callable, measure_request
from bench.generate import DEFAULT_SEED, SIZES, configure_environment
from bench.pages_catalogue import ANONYMOUS, PAGE_KEYS, PAGES, Page, find_targets, find_users, missing

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
TARGET_MS = 100.0
LARGE_SIZES = ("city", "operator")


# Running -------------------------------------------------------------------------------------


def selected(only: set[str]) -> list[Page]:
    return [p for p in PAGES if not only or p.key in only]


def in_process(pages: list[Page], targets: dict, users: dict, repeat: int, progress: bool = True) -> list[dict]:
    """Measure every page for each of its users through ``django.test.Client``."""
    from django.test import Client

    clients = {}
    for key, user in users.items():
        clients[key] = Client(raise_request_exception=False)
        if user is not None:
            clients[key].force_login(user)
    rows = []
    for page in pages:
        lacking = missing(page, targets)
        for user in page.users:
            row = {"key": page.key, "area": page.area, "label": page.label, "user": user}
            if lacking:
                rows.append({**row, "skipped": "no data: " + ", ".join(lacking)})
                continue
            url = page.url.format(**targets)
            if progress:
                print(f"  {page.label} / {user} …", file=sys.stderr, flush=True)
            rows.append({**row, **measure_request(clients[user], url, repeat)})
    return rows


def floor_direct(repeat: int) -> dict:
    """The floor view called directly, without middleware."""
    from django.test import RequestFactory

    from bench import urls as bench_urls

    request = RequestFactory().get(bench_urls.FLOOR_PATH)
    return {"key": "floor-direct", "area": "floor", "label": "floor: view called directly", "user": "-",
            "url": "RequestFactory", "status": bench_urls.floor(request).status_code, "bytes": 2, "queries": 0,
            "queries_stable": True, "sql_ms": 0.0,
            **measure_callable(lambda: bench_urls.floor(request), repeat)}  # fmt: skip


def over_http(pages: list[Page], targets: dict, users: dict, repeat: int, database_url: str, folder: Path) -> dict:
    """Measure every page for each of its users through the production server."""
    from django.db import connections

    from bench.pages_http import Client, Server, make_sessions, measure_http

    server = Server(database_url, folder)
    cookies = make_sessions(users, server.secret)
    connections.close_all()  # the server has the database to itself
    rows = []
    with server:
        print(f"  server up on port {server.port} after {server.started_s:.1f} s", file=sys.stderr, flush=True)
        clients = {key: Client(server.port, cookies.get(key)) for key in users}
        for key, user in users.items():  # the session cookies must sign the users in
            if user is not None:
                status, body = clients[key].get("/api/v1/me")
                if status != 200 or json.loads(body).get("username") != user.username:
                    raise SystemExit(f"the session of {key} is not accepted by the server: {status} {body[:200]!r}")
        for page in pages:
            if missing(page, targets):
                continue
            url = page.url.format(**targets)
            for user in page.users:
                print(f"  HTTP {page.label} / {user} …", file=sys.stderr, flush=True)
                rows.append({"key": page.key, "user": user, **measure_http(clients[user], url, repeat)})
        for client in clients.values():
            client.close()
        errors = server.errors()
    return {"server_start_s": server.started_s, "threads": server.threads, "rows": rows, "server_errors": errors[-20:]}


def data_counts(municipality) -> dict:
    """What the measured municipality holds (and how many municipalities there are)."""
    from django.apps import apps

    from stadtlotse.core.models import Municipality

    kinds = {
        "projects": "portfolio.Project", "goals": "strategy.Goal", "cost_items": "finance.CostItem",
        "phases": "participation.Phase", "contributions": "participation.Contribution",
        "schools": "schools.School", "inventory_snapshots": "schools.InventorySnapshot",
        "papers": "council.Paper", "meetings": "council.Meeting", "bodies": "governance.Body",
        "services": "onlineservices.Service", "published_reports": "reporting.PeriodReport",
    }  # fmt: skip
    counts = {"municipalities": Municipality.objects.count()}
    for name, label in kinds.items():
        qs = apps.get_model(label).objects.filter(municipality=municipality)
        if name == "published_reports":
            qs = qs.filter(status="published")
        counts[name] = qs.count()
    return counts


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (also while another process writes to it)."""
    if not source.exists():
        raise SystemExit(f"--db {source}: no such file")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def guess_size(municipality, counts: dict) -> str:
    for size in SIZES:
        if municipality.slug == f"bench-{size}":
            return size
    return "operator" if counts["municipalities"] >= 100 else "custom"


def run(args, folder: Path) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ROOT_URLCONF = "bench.urls"  # the project's URLs plus the floor view
    info, date = machine(), datetime.now(UTC).isoformat(timespec="seconds")
    setup: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup["migrate_s"] = time.perf_counter() - start
    from stadtlotse.core.models import Municipality

    size = args.size
    if not args.db:
        if Municipality.objects.exists():
            raise SystemExit("The database holds data already; DATABASE_URL must point at an empty database.")
        from bench.generate import generate
        from bench.generate_operator import generate_operator

        start = time.perf_counter()
        if size == "operator":
            generate_operator(seed=args.seed)
        else:
            generate(size or "small", seed=args.seed)
        setup["generate_s"] = time.perf_counter() - start
    municipality = _pick()
    if municipality is None:
        raise SystemExit("The database holds no municipality.")
    counts = data_counts(municipality)
    size = size or guess_size(municipality, counts)
    targets = find_targets(municipality)
    users = find_users(municipality)
    pages = selected(args.only)

    from stadtlotse.core.server import tune_gc

    tune_gc()  # as ``stadtlotse serve`` does before it serves (``core.server.run``)
    requests = in_process(pages, targets, users, args.repeat)
    if not args.only or "floor-direct" in args.only:
        requests.append(floor_direct(args.repeat))
    http = None
    if not args.no_http:
        if connection.vendor == "sqlite":
            database_url = f"sqlite:///{connection.settings_dict['NAME']}"
        else:
            database_url = os.environ["DATABASE_URL"]
        http = over_http(pages, targets, users, args.http_repeat or args.repeat, database_url, folder)
        by_key = {(r["key"], r["user"]): r for r in http["rows"]}
        for row in requests:
            if (row["key"], row["user"]) in by_key:
                row["http"] = by_key[(row["key"], row["user"])]
        del http["rows"]
    add_ratios(requests)
    return {
        "benchmark": "pages", "size": size, "seed": args.seed, "repeat": args.repeat,
        "http_repeat": (args.http_repeat or args.repeat) if http else None, "date": date,
        "revision": git_revision(), "machine": info, "load_average_at_end": load_average(),
        "database": {"vendor": connection.vendor, "source": str(args.db) if args.db else "generated"},
        "setup": setup, "municipality": municipality.slug, "counts": counts,
        "targets": {k: v for k, v in targets.items()}, "users": {k: getattr(u, "username", None)
                                                                for k, u in users.items()},
        "http": http, "requests": requests,
    }  # fmt: skip


def _pick():
    from bench.pages_catalogue import pick_municipality

    return pick_municipality()


def add_ratios(rows: list[dict]) -> None:
    """Each page's median over the floor view's median, for the same user and mode."""
    floors = {r["user"]: r for r in rows if r["key"] == "floor-view" and "median_ms" in r}
    for row in rows:
        floor = floors.get(row["user"]) or floors.get(ANONYMOUS)
        if floor is None or "median_ms" not in row or row["key"] == "floor-direct":
            continue
        row["x_floor"] = row["median_ms"] / floor["median_ms"] if floor["median_ms"] else None
        if "http" in row and "http" in floor and floor["http"]["median_ms"]:
            row["http"]["x_floor"] = row["http"]["median_ms"] / floor["http"]["median_ms"]


# Flags and comparison ------------------------------------------------------------------------


def other_runs(size: str) -> dict[str, dict]:
    runs = {}
    for path in sorted(RESULTS_DIR.glob("pages-*.json")):
        other = json.loads(path.read_text())
        if other.get("size") != size and other.get("benchmark") == "pages":
            runs[other["size"]] = other
    return runs


def add_flags(result: dict, others: dict[str, dict]) -> None:
    """``N+1``: a query count that differs within the run or from another size; ``>=100ms``."""
    theirs = {size: {(r["key"], r["user"]): r for r in o["requests"] if "queries" in r} for size, o in others.items()}
    for row in result["requests"]:
        if "queries" not in row:
            continue
        flags = []
        differs = {
            size: t[(row["key"], row["user"])]["queries"]
            for size, t in theirs.items()
            if (row["key"], row["user"]) in t and t[(row["key"], row["user"])]["queries"] != row["queries"]
        }
        if not row["queries_stable"] or differs:
            flags.append("N+1")
        if differs:
            row["queries_at_other_sizes"] = differs
        if row["p95_ms"] >= TARGET_MS:
            flags.append(">=100ms")
        if (
            row["status"] != 200
            or row.get("all_status", [200]) != [200]
            or ("http" in row and (row["http"]["status"] != 200 or row["http"]["all_status"] != [200]))
        ):
            flags.append("ERROR")
        row["flags"] = flags


# Output --------------------------------------------------------------------------------------


def _load(load) -> str:
    return "/".join(f"{x:.1f}" for x in load) if load else "unknown"


def _num(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(result: dict) -> str:
    m, c = result["machine"], result["counts"]
    lines = [
        f"Stadtlotse page benchmark: size {result['size']}, municipality {result['municipality']} "
        f"({c['projects']} projects, {c['contributions']} contributions, {c['papers']} papers, {c['schools']} schools, "
        f"{c['services']} services; {c['municipalities']} municipalities), {result['repeat']} repeats in process"
        + (f", {result['http_repeat']} over HTTP" if result["http"] else "")
        + f", {result['date']}, revision {result['revision']}",
        f"{m['nproc']} CPUs ({m['processor']}), {m['platform']}, Python {m['python']}, Django {m['django']}, "
        f"SQLite {m['sqlite']}, database {result['database']['vendor']} ({result['database']['source']})",
        f"load average (1/5/15 min) {_load(m['load_average_at_start'])} at start, "
        f"{_load(result['load_average_at_end'])} at end",
        "",
        f"{'page':<34} {'user':<9} {'st':>3} {'queries':>7} {'median':>8} {'p95':>8} {'cpu':>8} {'x floor':>7} "
        f"{'http med':>8} {'http p95':>8} {'x floor':>7} {'KiB':>7}  flags",
    ]
    for r in result["requests"]:
        if "skipped" in r:
            lines.append(f"{r['label']:<34} {r['user']:<9} {r['skipped']}")
            continue
        queries = f"{r['queries']}" + ("" if r["queries_stable"] else "*")
        h = r.get("http") or {}
        lines.append(
            f"{r['label']:<34} {r['user']:<9} {r['status']:>3} {queries:>7} {r['median_ms']:>8.2f} {r['p95_ms']:>8.2f} "
            f"{r['cpu_median_ms']:>8.2f} {_num(r.get('x_floor')):>7} {_num(h.get('median_ms'), 2):>8} "
            f"{_num(h.get('p95_ms'), 2):>8} {_num(h.get('x_floor')):>7} {r['bytes'] / 1024:>7.1f}  "
            + " ".join(r.get("flags", []))
        )  # fmt: skip
    lines.append("times in ms; median/p95/cpu in process; st: status; * the count differed between two requests")
    return "\n".join(lines)


def findings(result: dict) -> str:
    rows = [r for r in result["requests"] if "flags" in r]
    lines = ["", "Findings:"]
    for r in rows:
        if "queries_at_other_sizes" in r or not r["queries_stable"]:
            other = ", ".join(f"{s} {q}" for s, q in sorted(r.get("queries_at_other_sizes", {}).items()))
            lines.append(f"  N+1      {r['label']} / {r['user']}: {result['size']} {r['queries']} queries"
                         + (f"; {other}" if other else "; unstable within the run"))  # fmt: skip
    slow = [r for r in rows if ">=100ms" in r["flags"]]
    for r in slow:
        mark = "TARGET " if result["size"] in LARGE_SIZES else "slow   "
        lines.append(f"  {mark}  {r['label']} / {r['user']}: p95 {r['p95_ms']:.0f} ms in process")
    for r in rows:
        if "ERROR" in r["flags"]:
            http = r.get("http") or {}
            lines.append(f"  ERROR    {r['label']} / {r['user']}: {r.get('all_status')} in process, "
                         f"{http.get('all_status', '–')} over HTTP ({r['url']})")  # fmt: skip
    skipped = sorted({f"{r['label']} ({r['skipped']})" for r in result["requests"] if "skipped" in r})
    if skipped:
        lines.append(f"  not measured: {'; '.join(skipped)}")
    compared = ", ".join(sorted(result.get("compared_with", {}))) or "none"
    lines.append(f"  query counts compared with the runs at: {compared}")
    if result["size"] in LARGE_SIZES:
        misses = len(slow)
        measured = len(rows)
        lines.append(f"  target (p95 < {TARGET_MS:.0f} ms in process): {measured - misses} of {measured} met")
    if result["http"] and result["http"]["server_errors"]:
        lines.append("  server log errors: " + " | ".join(result["http"]["server_errors"][-5:]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size",
        choices=[*sorted(SIZES), "operator"],
        default=None,
        help="data size to generate (default small); with --db only the label of the results",
    )
    parser.add_argument("--db", type=Path, help="use (a copy of) this SQLite file generated earlier")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and user (default 20)")
    parser.add_argument("--http-repeat", type=int, default=None, help="timed HTTP requests (default --repeat)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--only", default="", help="comma-separated page keys, e.g. portal,phase,oparl-papers")
    parser.add_argument("--no-http", action="store_true", help="in process only, no server")
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results/pages-<size>.json)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.http_repeat is not None and args.http_repeat < 1):
        parser.error("--repeat and --http-repeat must be at least 1")
    args.only = {k.strip() for k in args.only.split(",") if k.strip()}
    unknown = args.only - set(PAGE_KEYS) - {"floor-direct"}
    if unknown:
        parser.error(f"unknown page keys: {', '.join(sorted(unknown))}; known: {', '.join(PAGE_KEYS)}")
    if not args.db and not args.size:
        args.size = "small"

    with tempfile.TemporaryDirectory(prefix="stadtlotse-bench-pages-") as tmp:
        folder = Path(tmp)
        if args.db:
            os.environ.pop("DATABASE_URL", None)
            start = time.perf_counter()
            copy_database(args.db.resolve(), folder / "bench.sqlite3")
            print(f"copied {args.db} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        configure_environment(None if os.environ.get("DATABASE_URL") and not args.db else folder / "bench.sqlite3")
        os.environ.setdefault("MEDIA_ROOT", str(folder / "media"))
        import django

        django.setup()
        result = run(args, folder)
        from django.db import connections

        connections.close_all()
    others = other_runs(result["size"])
    result["compared_with"] = {s: {"date": o["date"], "revision": o["revision"]} for s, o in others.items()}
    add_flags(result, others)
    print(table(result))
    print(findings(result))
    output = args.output or RESULTS_DIR / f"pages-{result['size']}.json"
    if not args.only or args.output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
        print(f"\nwritten: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

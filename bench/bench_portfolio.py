"""Benchmark of the portfolio pages and API, in process, on generated data.

Run from the repository root::

    python -m bench.bench_portfolio [--size small|city] [--repeat N] [--profile] [--only KEY,...]

Steps: set the environment (``STADTLOTSE_MODE=test``, ``DJANGO_SETTINGS_MODULE``, and
``STADTLOTSE_SQLITE_PATH`` pointing into a fresh temporary directory), start Django, migrate,
load the data of ``bench.generate``, then for every page and user:

1. one warm-up request (templates compiled, caches filled), its status and size recorded;
2. two requests inside ``CaptureQueriesContext``: the number of SQL queries (both counts must
   agree, else the table marks it with ``*``) and the time spent in ``cursor.execute`` (``sql ms``,
   measured with ``connection.execute_wrapper`` and ``time.perf_counter``; Django's own per-query
   time is rounded to whole milliseconds; fetching the rows after ``execute`` is not included);
3. ``--repeat`` timed requests (``time.perf_counter`` around ``django.test.Client.get``): median
   and p95 (nearest rank: the ⌈0.95·N⌉-th smallest value) of the wall time, and the median CPU
   time of the process (``time.process_time``), which other processes on the machine inflate less.

A page that answers with an error is measured all the same (the client does not re-raise the
view's exception; Django logs it) and listed under the table.

Users: ``admin`` holds the administrator role of the municipality (signed in with
``force_login``); ``anonymous`` has no session. Floors: a view that returns ``HttpResponse("ok")``
through the full middleware stack (``bench.urls``), the same view called directly with a
``RequestFactory`` request (no middleware), and ``/api/v1/municipalities``.

Without HTTP: ``ranking.rank_portfolio``, ``graph.dependents`` and ``graph.topological_order`` on
the very inputs the app computes (captured from ``selectors.rank_projects`` and
``selectors.sequencing`` for the admin), and ``selectors.rank_projects`` itself (with its reads).

With ``DATABASE_URL`` set, that database is used instead of a temporary SQLite file: it must
point at an **empty** database (the benchmark migrates it and refuses one that holds data; it
does not create or drop databases).

The table goes to stdout and everything to ``bench/results/portfolio-<size>.json``. If the
other size's JSON exists, query counts are compared: a page whose count differs between sizes
runs a number of queries that grows with the data (an N+1 query).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import DEFAULT_SEED, SIZES, configure_environment

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
SLOW_MS = 100.0
ADMIN, ANONYMOUS = "admin", "anonymous"


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    url: str  # formatted with slug, project, strategy
    users: tuple[str, ...]


ENDPOINTS = [
    Endpoint("list-internal", "portfolio list (internal)", "/{slug}/intern/projekte/", (ADMIN,)),
    Endpoint("list-public", "portfolio list (public)", "/{slug}/projekte/", (ADMIN, ANONYMOUS)),
    Endpoint("ranking-internal", "ranking page (internal)", "/{slug}/intern/projekte/prioritaeten/", (ADMIN,)),
    Endpoint("ranking-public", "ranking page (public)", "/{slug}/projekte/prioritaeten/", (ANONYMOUS,)),
    Endpoint("roadmap", "roadmap", "/{slug}/projekte/fahrplan/", (ADMIN, ANONYMOUS)),
    Endpoint("sequencing", "sequencing (internal)", "/{slug}/intern/projekte/reihenfolge/", (ADMIN,)),
    Endpoint("project", "project page", "/{slug}/projekte/{project}/", (ADMIN, ANONYMOUS)),
    Endpoint("project-manage", "project workspace page", "/{slug}/intern/projekte/{project}/", (ADMIN,)),
    Endpoint("strategy", "strategy page", "/{slug}/strategie/{strategy}/", (ADMIN, ANONYMOUS)),
    Endpoint("api-projects", "API projects?limit=100", "/api/v1/{slug}/projects?limit=100", (ADMIN, ANONYMOUS)),
    Endpoint("api-ranking", "API ranking", "/api/v1/{slug}/ranking", (ADMIN, ANONYMOUS)),
    Endpoint("floor-view", "floor: HttpResponse view", "/__bench__/floor/", (ADMIN, ANONYMOUS)),
    Endpoint("floor-api", "floor: API municipalities", "/api/v1/municipalities", (ADMIN, ANONYMOUS)),
]


def percentile95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(values_s: list[float]) -> dict:
    ms = [v * 1000 for v in values_s]
    return {"median_ms": statistics.median(ms), "p95_ms": percentile95(ms), "min_ms": min(ms), "max_ms": max(ms),
            "n": len(ms)}  # fmt: skip


def machine() -> dict:
    import sqlite3

    import django

    return {
        "nproc": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(), "platform": platform.platform(), "processor": _cpu_model(),
        "load_average_at_start": load_average(),
    }  # fmt: skip


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: above the number of CPUs, other processes compete."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def git_revision() -> str:
    try:
        git = ["git", "--no-optional-locks"]  # read only: no index refresh
        rev = subprocess.run([*git, "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR, capture_output=True, text=True,
                             check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], cwd=BENCH_DIR, capture_output=True,
                               text=True, check=True).stdout.strip()  # fmt: skip
        return rev + ("+uncommitted changes in src" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# Profiling --------------------------------------------------------------------------------

GROUPS = [
    ("stadtlotse code", ("/stadtlotse/",)),
    ("Django templates", ("/django/template/", "/template_partials/")),
    ("Django ORM", ("/django/db/",)),
    ("database driver", ("sqlite3", "psycopg")),
    ("Django utils (i18n, formats, html, safestring)", ("/django/utils/",)),
    ("django-ninja / pydantic", ("/ninja/", "pydantic")),
    ("other Django", ("/django/",)),
    ("decimal", ("decimal",)),
]


def _group(filename: str, name: str) -> str:
    where = f"{filename} {name}"
    for label, needles in GROUPS:
        if any(n in where for n in needles):
            return label
    return "Python and other libraries"


def profile_request(client, url: str, top: int = 10) -> dict:
    """cProfile one request: exclusive time per group of code, the top functions."""
    return profile_call(lambda: client.get(url), top)


def profile_call(fn, top: int = 10) -> dict:
    """cProfile one call of ``fn``: exclusive time per group of code, the top functions."""
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    fn()
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    groups: dict[str, float] = {}
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        groups[_group(filename, name)] = groups.get(_group(filename, name), 0.0) + tottime
        short = filename.split("site-packages/")[-1].split("/src/")[-1]
        rows.append({"function": f"{short}:{line}({name})", "calls": calls, "tottime_ms": tottime * 1000,
                     "cumtime_ms": cumtime * 1000})  # fmt: skip
    own = [r for r in rows if r["function"].startswith("stadtlotse/")]
    return {
        "wall_ms_profiled": wall * 1000,
        "exclusive_ms_by_group": dict(sorted(((k, v * 1000) for k, v in groups.items()), key=lambda kv: -kv[1])),
        "top_tottime": sorted(rows, key=lambda r: -r["tottime_ms"])[:top],
        "top_stadtlotse_cumtime": sorted(own, key=lambda r: -r["cumtime_ms"])[:top],
    }


# Measuring --------------------------------------------------------------------------------


class ExecuteTimer:
    """``connection.execute_wrapper`` that adds up the time spent in ``cursor.execute``."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def count_queries(fn) -> tuple[int, float]:
    """Run ``fn`` once: the number of SQL queries it ran and the milliseconds spent executing them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timer = ExecuteTimer()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
        fn()
    return len(ctx.captured_queries), timer.seconds * 1000


def measure_request(client, url: str, repeat: int) -> dict:
    response = client.get(url)
    result = {"url": url, "status": response.status_code, "bytes": len(response.content)}
    counts, sql_ms = [], []
    for _n in range(2):
        count, ms = count_queries(lambda: client.get(url))
        counts.append(count)
        sql_ms.append(ms)
    result.update(queries=counts[0], queries_stable=counts[0] == counts[1], sql_ms=min(sql_ms))
    times, cpu, statuses = [], [], set()
    for _n in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        statuses.add(response.status_code)
    result.update(summary(times))
    result["cpu_median_ms"] = statistics.median(cpu) * 1000
    result["all_status"] = sorted(statuses)
    return result


def measure_callable(fn, repeat: int) -> dict:
    fn()  # warm-up
    times, cpu = [], []
    for _n in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {**summary(times), "cpu_median_ms": statistics.median(cpu) * 1000}


def pick_project(data) -> int:
    """A public project (so both users see it) with foundations, dependents and goals if any."""
    from stadtlotse.portfolio.models import Project

    public = set(
        Project.objects.filter(municipality=data.municipality, visibility="public").values_list("pk", flat=True)
    )
    foundations = {b: 0 for b in public}
    dependents = {a: 0 for a in public}
    for a, b in data.edges:
        if a in public and b in public:
            foundations[b] += 1
            dependents[a] += 1
    goals = dict.fromkeys(public, 0)
    from stadtlotse.portfolio.models import ProjectGoal

    for pk in ProjectGoal.objects.filter(project_id__in=public).values_list("project_id", flat=True):
        goals[pk] += 1
    return min(public, key=lambda pk: (-(foundations[pk] > 0) - (dependents[pk] > 0) - (goals[pk] > 0),
                                       -(foundations[pk] + dependents[pk]), pk))  # fmt: skip


def computations(data, repeat: int) -> list[dict]:
    """The pure computations on the inputs the app itself builds (captured with spies)."""
    from unittest import mock

    from stadtlotse.portfolio import graph, ranking, selectors

    municipality, admin = data.municipality, data.admin
    with mock.patch.object(ranking, "rank_portfolio", wraps=ranking.rank_portfolio) as rank_spy, \
            mock.patch.object(graph, "dependents", wraps=graph.dependents) as dep_spy:  # fmt: skip
        selectors.rank_projects(selectors.open_projects(admin, municipality), municipality)
    with mock.patch.object(graph, "topological_order", wraps=graph.topological_order) as topo_spy:
        selectors.sequencing(admin, municipality)
    r_args, r_kwargs = rank_spy.call_args
    d_args, d_kwargs = dep_spy.call_args
    t_args, t_kwargs = topo_spy.call_args
    nodes, edges = list(t_args[0]), list(t_args[1])
    results = [
        ("ranking.rank_portfolio", f"{len(r_args[1])} projects, {len(r_args[0])} criteria",
         lambda: ranking.rank_portfolio(*r_args, **r_kwargs)),
        ("graph.dependents", f"{len(list(d_args[0]))} nodes, {len(list(d_args[1]))} edges",
         lambda: graph.dependents(*d_args, **d_kwargs)),
        ("graph.topological_order", f"{len(nodes)} nodes, {len(edges)} edges",
         lambda: graph.topological_order(nodes, edges, *t_args[2:], **t_kwargs)),
        ("selectors.rank_projects (with its reads)", "open projects of the admin",
         lambda: selectors.rank_projects(selectors.open_projects(admin, municipality), municipality)),
    ]  # fmt: skip
    return [{"name": name, "input": what, **measure_callable(fn, repeat)} for name, what, fn in results]


def run(size: str, repeat: int, seed: int, only: set[str], profile: bool, profile_all: bool) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory

    from bench import urls as bench_urls
    from bench.generate import generate

    settings.ROOT_URLCONF = "bench.urls"  # the project's URLs plus the floor view
    info, date = machine(), datetime.now(UTC).isoformat(timespec="seconds")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup = {"migrate_s": time.perf_counter() - start}
    from stadtlotse.core.models import Municipality

    if Municipality.objects.exists():
        raise SystemExit("The database holds data already; DATABASE_URL must point at an empty database.")
    start = time.perf_counter()
    data = generate(size, seed=seed)
    setup["generate_s"] = time.perf_counter() - start
    setup["generate_steps_s"] = data.seconds

    project = pick_project(data)
    fmt = {"slug": data.municipality.slug, "project": project, "strategy": data.strategy.pk}
    # An error page is measured and reported, not raised: one broken page must not end the run.
    clients = {ADMIN: Client(raise_request_exception=False), ANONYMOUS: Client(raise_request_exception=False)}
    clients[ADMIN].force_login(data.admin)

    requests = []
    for endpoint in ENDPOINTS:
        if only and endpoint.key not in only:
            continue
        url = endpoint.url.format(**fmt)
        for user in endpoint.users:
            print(f"  {endpoint.label} / {user} …", file=sys.stderr, flush=True)
            row = {"key": endpoint.key, "label": endpoint.label, "user": user,
                   **measure_request(clients[user], url, repeat)}  # fmt: skip
            if profile_all or (profile and row["p95_ms"] > SLOW_MS):
                row["profile"] = profile_request(clients[user], url)
            requests.append(row)
    if not only or "floor-direct" in only:
        request = RequestFactory().get(bench_urls.FLOOR_PATH)
        requests.append({"key": "floor-direct", "label": "floor: view called directly", "user": "-",
                         "url": "RequestFactory", "status": bench_urls.floor(request).status_code, "bytes": 2,
                         "queries": 0, "queries_stable": True, "sql_ms": 0.0,
                         **measure_callable(lambda: bench_urls.floor(request), repeat)})  # fmt: skip
    computed = computations(data, repeat) if not only else []
    return {
        "size": size, "seed": seed, "repeat": repeat, "date": date, "revision": git_revision(), "machine": info,
        "database": {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])},
        "load_average_at_end": load_average(), "setup": setup, "counts": data.counts, "project_id": project,
        "strategy_id": data.strategy.pk, "requests": requests, "computations": computed,
    }  # fmt: skip


# Output -----------------------------------------------------------------------------------


def table(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"Stadtlotse portfolio benchmark: size {result['size']} ({result['counts']['projects']} projects), "
        f"{result['repeat']} repeats, {result['date']}, revision {result['revision']}",
        f"{m['nproc']} CPUs ({m['processor']}), Python {m['python']}, Django {m['django']}, "
        f"{result['database']['vendor']} (SQLite library {m['sqlite']})",
        f"load average (1/5/15 min) {_load(m['load_average_at_start'])} at start, "
        f"{_load(result['load_average_at_end'])} at end",
        f"setup: migrate {result['setup']['migrate_s']:.1f} s, generate {result['setup']['generate_s']:.1f} s",
        "",
        f"{'page':<28} {'user':<9} {'status':>6} {'queries':>7} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>8} "
        f"{'sql ms':>7} {'KiB':>7}",
    ]
    for r in result["requests"]:
        queries = f"{r['queries']}" + ("" if r["queries_stable"] else "*")
        slow = "  > 100 ms" if r["p95_ms"] > SLOW_MS else ""
        lines.append(f"{r['label']:<28} {r['user']:<9} {r['status']:>6} {queries:>7} {r['median_ms']:>9.2f} "
                     f"{r['p95_ms']:>8.2f} {r['cpu_median_ms']:>8.2f} {r['sql_ms']:>7.2f} "
                     f"{r['bytes'] / 1024:>7.1f}{slow}")  # fmt: skip
    if result["computations"]:
        lines += ["", f"{'computation (no HTTP)':<42} {'input':<28} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>8}"]
        for c in result["computations"]:
            lines.append(f"{c['name']:<42} {c['input']:<28} {c['median_ms']:>9.3f} {c['p95_ms']:>8.3f} "
                         f"{c['cpu_median_ms']:>8.3f}")  # fmt: skip
    if any(not r["queries_stable"] for r in result["requests"]):
        lines.append("* the query count differed between two identical requests")
    errors = [r for r in result["requests"] if r["status"] != 200 or r.get("all_status", [200]) != [200]]
    for r in errors:
        lines.append(f"ERROR: {r['label']} / {r['user']} answered {r.get('all_status') or r['status']} ({r['url']})")
    lines.append("cpu ms: median CPU time of the process; sql ms: time in cursor.execute (fetching excluded)")
    return "\n".join(lines)


def _load(load: list[float] | None) -> str:
    return "/".join(f"{x:.1f}" for x in load) if load else "unknown"


def profiles(result: dict) -> str:
    lines = []
    for r in result["requests"]:
        p = r.get("profile")
        if not p:
            continue
        lines += ["", f"Profile of one request: {r['label']} / {r['user']} "
                      f"({p['wall_ms_profiled']:.0f} ms under cProfile)"]  # fmt: skip
        lines += [f"  {ms:8.1f} ms  {group}" for group, ms in p["exclusive_ms_by_group"].items() if ms >= 0.5]
        lines.append("  top stadtlotse functions (cumulative):")
        lines += [
            f"  {f['cumtime_ms']:8.1f} ms  {f['calls']:>6}×  {f['function']}" for f in p["top_stadtlotse_cumtime"][:6]
        ]
        lines.append("  top functions (exclusive):")
        lines += [f"  {f['tottime_ms']:8.1f} ms  {f['calls']:>6}×  {f['function']}" for f in p["top_tottime"][:6]]
    return "\n".join(lines)


def compare_query_counts(result: dict) -> str:
    """Compare with the other size's JSON: a count that changes with the data is an N+1 query."""
    lines = []
    for other_size in sorted(SIZES):
        path = RESULTS_DIR / f"portfolio-{other_size}.json"
        if other_size == result["size"] or not path.exists():
            continue
        other = json.loads(path.read_text())
        theirs = {(r["key"], r["user"]): r for r in other["requests"]}
        lines.append(f"\nQuery counts vs. {path.name} ({other['date']}, revision {other['revision']}):")
        differences = 0
        for r in result["requests"]:
            o = theirs.get((r["key"], r["user"]))
            if o is not None and o["queries"] != r["queries"]:
                differences += 1
                lines.append(f"  DIFFERS  {r['label']} / {r['user']}: {other_size} {o['queries']}, "
                             f"{result['size']} {r['queries']}")  # fmt: skip
        if not differences:
            lines.append("  every page runs the same number of queries at both sizes")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_portfolio", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and user (default 20)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--profile", action="store_true", help=f"cProfile one request of every page over {SLOW_MS:.0f} ms p95"
    )
    parser.add_argument("--profile-all", action="store_true", help="cProfile one request of every page")
    parser.add_argument("--only", default="", help="comma-separated page keys, e.g. roadmap,strategy")
    parser.add_argument("--output", help="JSON file (default bench/results/portfolio-<size>.json)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    only = {k.strip() for k in args.only.split(",") if k.strip()}
    unknown = only - {e.key for e in ENDPOINTS} - {"floor-direct"}
    if unknown:
        parser.error(f"unknown page keys: {', '.join(sorted(unknown))}")

    with tempfile.TemporaryDirectory(prefix="stadtlotse-bench-") as tmp:
        configure_environment(None if os.environ.get("DATABASE_URL") else Path(tmp) / "bench.sqlite3")
        os.environ.setdefault("MEDIA_ROOT", str(Path(tmp) / "media"))
        import django

        django.setup()
        result = run(args.size, args.repeat, args.seed, only, args.profile, args.profile_all)
        from django.db import connections

        connections.close_all()
    print(table(result))
    text = profiles(result)
    if text:
        print(text)
    output = Path(args.output) if args.output else RESULTS_DIR / f"portfolio-{args.size}.json"
    if not only or args.output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"\nwritten: {output}")
    print(compare_query_counts(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

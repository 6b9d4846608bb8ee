"""Benchmark of the financial plan for many projects: the computation, the API and the page.

Run from the repository root::

    python -m bench.bench_finance [--projects N] [--repeat N] [--scenario approved|applied|planned] [--profile]

Data (deterministic: ``random.Random`` seeded with ``--seed`` and the project count; no date
depends on today): ``--projects`` projects (default 10,000), each with 10 cost
items over the 15-year horizon ``FIRST_YEAR``–``LAST_YEAR`` (3 investments of one or two
years, 4 operating and 3 personnel items running for years with yearly increases of 0–3.5 %,
a third of the personnel items imputed), 1–2 savings, and for about half of the projects one
grant of one of ``PROGRAMMES`` funding programmes (most with a cap; status mostly approved,
with approved and requested amounts, sometimes its own rate or eligible kinds). About 40 % of
the projects have a budget line of their own, and one line per 25 projects is shared by 5 of
them; every line has an amount for every year of the horizon.

The same generated values become (a) the plan's dataclasses (``stadtlotse.finance.plan``) and
(b) database rows: the municipality, its departments and administrator through the services
(``bench.generate.create_tenant``), the projects as the portfolio benchmark makes them
(``bench.generate.project_objects``), and funding programmes, budget lines, budget amounts,
cost items, savings and grants with ``bulk_create`` (no audit-trail rows; the first
``VALIDATE_SAMPLE`` objects of each kind pass ``full_clean()`` first).

Measured, each with ``--repeat`` timed runs after one warm-up (median and nearest-rank p95 of
the wall time, the median CPU time of the process):

1. ``plan.build_financial_plan`` on the dataclasses: the pure computation, no database;
2. ``selectors.plan_for`` for the administrator: the reads plus the same computation, with its
   query count;
3. through ``django.test.Client`` for the administrator (``force_login``), with the query count
   of ``CaptureQueriesContext`` and the time in ``cursor.execute`` (as in ``bench_portfolio``):
   ``GET /api/v1/<slug>/finance/plan?from=FIRST_YEAR&to=LAST_YEAR`` for all projects and for one,
   and the page ``/<slug>/intern/finanzen/`` with the same horizon and with its default one.

The plan that the API returns is compared with the pure computation's, year by year (costs,
grants, savings, budget, own share, net burden, discounted), with the net present value and
the numbers of cliffs and warnings: they must be equal, else the table says where they differ.

Environment as in ``bench_portfolio``: a temporary SQLite file, or the **empty** database of
``DATABASE_URL``. The table goes to stdout and everything to
``bench/results/finance-<projects>.json``; query counts are compared with the other
``finance-*.json`` files there (a count that grows with the projects is an N+1 query).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from random import Random

from bench.bench_portfolio import (
    RESULTS_DIR,
    count_queries,
    git_revision,
    load_average,
    machine,
    measure_callable,
    measure_request,
    profile_call,
    profile_request,
    profiles,
)
from bench.generate import DEFAULT_SEED, REFERENCE_DATE, Size, configure_environment

FIRST_YEAR = REFERENCE_DATE.year  # 2026
LAST_YEAR = FIRST_YEAR + 14  # 15 years
EARLIEST_START = FIRST_YEAR - 2  # some projects began before the horizon (grants paid before it count)
ITEMS = (("investment", 3), ("operating", 4), ("personnel", 3))  # 10 cost items per project
PROGRAMMES = 12
SHARED_LINE_EVERY = 25  # one shared budget line per 25 projects, each shared by 5 projects
DEFAULT_PROJECTS = 10_000
DEFAULT_REPEAT = 5
CATEGORIES = {"investment": ("hardware", "software", "services"), "operating": ("software", "services", "other"),
              "personnel": ("staff",)}  # fmt: skip
GRANT_STATUSES = (("approved", 60), ("ended", 5), ("applied", 20), ("planned", 10), ("rejected", 5))
KIND_SETS = ("investment", "investment,operating", "investment,operating,personnel", "operating,personnel")


def _money(rng: Random, low: int, high: int) -> Decimal:
    """A whole-euro amount in [low, high], with cents now and then."""
    return Decimal(rng.randint(low, high)) + Decimal(rng.choice((0, 0, 0, 50, 99))) / 100


def _weighted(rng: Random, choices) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


# Generated values -------------------------------------------------------------------------
# Projects, programmes and budget lines are referred to by their index; the ids come later.


@dataclass
class FinanceData:
    projects: int
    programmes: list[dict] = field(default_factory=list)
    cost_items: list[dict] = field(default_factory=list)
    savings: list[dict] = field(default_factory=list)
    grants: list[dict] = field(default_factory=list)
    budget_lines: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "projects": self.projects, "funding_programmes": len(self.programmes),
            "cost_items": len(self.cost_items), "savings": len(self.savings), "grants": len(self.grants),
            "projects_with_grant": len({g["project"] for g in self.grants}),
            "budget_lines": len(self.budget_lines),
            "budget_line_project_links": sum(len(b["projects"]) for b in self.budget_lines),
            "budget_amounts": sum(len(b["amounts"]) for b in self.budget_lines),
        }  # fmt: skip


def generate_values(projects: int, seed: int) -> FinanceData:
    rng = Random(f"{seed}:finance:{projects}")
    data = FinanceData(projects)
    for n in range(PROGRAMMES):
        data.programmes.append({
            "name": f"Bench-Förderprogramm {n + 1:02d}", "provider": rng.choice(["Bund", "Land Sachsen", "EU"]),
            "level": rng.choice(["federal", "state", "eu"]), "rate": Decimal(rng.choice([40, 50, 60, 75, 80, 90])),
            "cap": None if n % 4 == 0 else Decimal(rng.choice([100_000, 250_000, 500_000, 1_000_000])),
            "kinds": KIND_SETS[n % len(KIND_SETS)],
        })  # fmt: skip
    own_line: dict[int, int] = {}
    for p in range(projects):
        start = rng.randint(EARLIEST_START, FIRST_YEAR + 6)
        if rng.random() < 0.4:
            own_line[p] = len(data.budget_lines)
            data.budget_lines.append({"code": f"BL-{p + 1:05d}", "name": f"Vorhaben {p + 1}", "projects": [p]})
        for kind, count in ITEMS:
            for n in range(count):
                if kind == "investment":
                    first = min(LAST_YEAR, start + n)
                    last = min(LAST_YEAR, first + (1 if rng.random() < 0.25 else 0))
                    amount, increase = _money(rng, 10_000, 400_000), Decimal(0)
                elif kind == "operating":
                    first = min(LAST_YEAR, start + 1)
                    last = min(LAST_YEAR, first + rng.randint(4, 15))
                    amount, increase = _money(rng, 2_000, 60_000), Decimal(rng.choice([0, 10, 15, 20, 25, 30])) / 10
                else:
                    first, last = start, LAST_YEAR
                    amount, increase = _money(rng, 20_000, 90_000), Decimal(rng.randint(15, 35)) / 10
                data.cost_items.append({
                    "project": p, "kind": kind, "category": rng.choice(CATEGORIES[kind]),
                    "description": f"{kind} {n + 1}", "amount": amount, "first": first, "last": last,
                    "increase": increase, "cash": not (kind == "personnel" and rng.random() < 0.33),
                    "budget_line": own_line.get(p) if rng.random() < 0.5 else None,
                })  # fmt: skip
        for n in range(rng.randint(1, 2)):
            kind = rng.choice(["personnel", "material"])
            data.savings.append({
                "project": p, "kind": kind, "description": f"Einsparung {n + 1}", "amount": _money(rng, 5_000, 150_000),
                "first": min(LAST_YEAR, start + rng.randint(1, 3)), "last": LAST_YEAR,
                "fte": Decimal(rng.randint(5, 40)) / 10 if kind == "personnel" else Decimal(0),
                "cash": not (kind == "personnel" and rng.random() < 0.4),
            })  # fmt: skip
        if rng.random() < 0.5:
            status = _weighted(rng, GRANT_STATUSES)
            requested = Decimal(rng.randint(50, 800) * 1000)
            approved = (requested * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal(1))
            data.grants.append({
                "project": p, "programme": rng.randrange(PROGRAMMES), "status": status, "requested": requested,
                "approved": approved if status in ("approved", "ended") else None,
                "rate": None if rng.random() < 0.7 else Decimal(rng.choice([50, 65, 80, 90])),
                "kinds": "" if rng.random() < 0.7 else rng.choice(KIND_SETS),
                "first": start, "last": min(LAST_YEAR, start + rng.randint(1, 4)),
            })  # fmt: skip
    for n in range(projects // SHARED_LINE_EVERY):
        data.budget_lines.append({"code": f"BL-S{n + 1:04d}", "name": f"Produktkonto {n + 1}",
                                  "projects": sorted(rng.sample(range(projects), min(5, projects)))})  # fmt: skip
    for line in data.budget_lines:
        low, high = (20_000, 200_000) if len(line["projects"]) == 1 else (200_000, 900_000)
        line["amounts"] = {
            year: Decimal(rng.randint(low, high) * 100) / 100 for year in range(FIRST_YEAR, LAST_YEAR + 1)
        }
    return data


def plan_inputs(data: FinanceData, project_ids: list[int], grant_ids: list[int] | None = None) -> dict:
    """The keyword arguments of ``build_financial_plan``: the generated values as plan dataclasses,
    with the rates and kinds a grant takes from its programme resolved as ``selectors.load_inputs`` does."""
    from stadtlotse.finance import plan

    grant_ids = grant_ids or list(range(1, len(data.grants) + 1))
    programmes = data.programmes
    return {
        "cost_items": [plan.CostItem(project_ids[c["project"]], c["kind"], c["amount"], c["first"], c["last"],
                                     c["increase"], c["cash"]) for c in data.cost_items],
        "savings": [plan.Saving(project_ids[s["project"]], s["amount"], s["first"], s["last"], s["fte"], s["cash"])
                    for s in data.savings],
        "grants": [plan.Grant(
            grant_ids[n], project_ids[g["project"]], programmes[g["programme"]]["name"], g["status"],
            g["rate"] if g["rate"] is not None else programmes[g["programme"]]["rate"],
            frozenset((g["kinds"] or programmes[g["programme"]]["kinds"]).split(",")), g["first"], g["last"],
            g["approved"], g["requested"], programmes[g["programme"]]["cap"],
        ) for n, g in enumerate(data.grants)],
        "budget_lines": [plan.BudgetLine(n + 1, frozenset(project_ids[p] for p in b["projects"]), b["amounts"])
                         for n, b in enumerate(data.budget_lines)],
    }  # fmt: skip


# Database ---------------------------------------------------------------------------------


@dataclass
class Loaded:
    municipality: object
    admin: object
    project_ids: list[int]
    grant_ids: list[int]
    seconds: dict[str, float]


def load(data: FinanceData, seed: int, slug: str = "bench-finance") -> Loaded:
    """The tenant through the services, everything else with ``bulk_create`` (one transaction)."""
    from django.db import transaction

    from bench.generate import _validated, create_tenant, project_objects
    from stadtlotse.finance.models import BudgetAmount, BudgetLine, CostItem, FundingProgramme, Grant, Saving
    from stadtlotse.portfolio.models import Project

    rng = Random(f"{seed}:finance-portfolio:{data.projects}")
    seconds = {}
    with transaction.atomic():
        start = time.perf_counter()
        spec = Size(projects=data.projects, goals=0, fields_of_action=0, departments=12)
        municipality, admin, departments = create_tenant(rng, spec, slug, "finance")
        seconds["services: municipality, departments, role"] = time.perf_counter() - start

        start = time.perf_counter()
        mid = municipality.pk
        projects = project_objects(rng, data.projects, mid, departments, REFERENCE_DATE)
        project_ids = [p.pk for p in Project.objects.bulk_create(_validated(projects))]
        seconds["projects (bulk)"] = time.perf_counter() - start

        start = time.perf_counter()
        programmes = FundingProgramme.objects.bulk_create(_validated([
            FundingProgramme(name=p["name"], provider=p["provider"], level=p["level"], rate_percent=p["rate"],
                             cap_eur=p["cap"], eligible_kinds=p["kinds"], period_start=EARLIEST_START,
                             period_end=LAST_YEAR, keywords="digital, verwaltung")
            for p in data.programmes
        ]))  # fmt: skip
        lines = BudgetLine.objects.bulk_create(_validated([
            BudgetLine(municipality_id=mid, code=b["code"], name=b["name"]) for b in data.budget_lines
        ]))  # fmt: skip
        through = BudgetLine.projects.through
        through.objects.bulk_create([
            through(budgetline_id=lines[n].pk, project_id=project_ids[p])
            for n, b in enumerate(data.budget_lines) for p in b["projects"]
        ])  # fmt: skip
        BudgetAmount.objects.bulk_create(_validated([
            BudgetAmount(municipality_id=mid, budget_line_id=lines[n].pk, year=year, amount_eur=amount)
            for n, b in enumerate(data.budget_lines) for year, amount in b["amounts"].items()
        ]))  # fmt: skip
        seconds["programmes, budget lines and amounts (bulk)"] = time.perf_counter() - start

        start = time.perf_counter()
        CostItem.objects.bulk_create(_validated([
            CostItem(municipality_id=mid, project_id=project_ids[c["project"]], kind=c["kind"],
                     category=c["category"], description=c["description"], amount_eur=c["amount"],
                     first_year=c["first"], last_year=c["last"], yearly_increase_percent=c["increase"],
                     cash=c["cash"], budget_line_id=None if c["budget_line"] is None else lines[c["budget_line"]].pk)
            for c in data.cost_items
        ]))  # fmt: skip
        Saving.objects.bulk_create(_validated([
            Saving(municipality_id=mid, project_id=project_ids[s["project"]], kind=s["kind"],
                   description=s["description"], amount_eur=s["amount"], first_year=s["first"],
                   last_year=s["last"], fte=s["fte"], cash=s["cash"])
            for s in data.savings
        ]))  # fmt: skip
        grants = Grant.objects.bulk_create(_validated([
            Grant(municipality_id=mid, project_id=project_ids[g["project"]], programme=programmes[g["programme"]],
                  status=g["status"], requested_eur=g["requested"], approved_eur=g["approved"],
                  rate_percent=g["rate"], eligible_kinds=g["kinds"], first_year=g["first"], last_year=g["last"])
            for g in data.grants
        ]))  # fmt: skip
        seconds["cost items, savings, grants (bulk)"] = time.perf_counter() - start
    return Loaded(municipality, admin, project_ids, [g.pk for g in grants], seconds)


# Comparison -------------------------------------------------------------------------------

YEAR_FIELDS = ("cost_investment", "cost_operating", "cost_personnel", "grants", "own_share", "savings", "budget",
               "net_burden", "cash_costs", "imputed_costs", "discounted", "cumulative_net_burden")  # fmt: skip


def compare_with_api(pure, body: dict) -> list[str]:
    """Differences between the pure computation's plan and the API's JSON (empty: equal)."""
    differences = []
    if len(pure.years) != len(body["years"]):
        return [f"years: {len(pure.years)} computed, {len(body['years'])} from the API"]
    for year, row in zip(pure.years, body["years"], strict=True):
        values = {f"cost_{k}": v for k, v in year.costs.items()}
        values.update(grants=year.grants, own_share=year.own_share, savings=year.savings, budget=year.budget,
                      net_burden=year.net_burden, cash_costs=year.cash_costs, imputed_costs=year.imputed_costs,
                      discounted=year.discounted, cumulative_net_burden=year.cumulative_net_burden)  # fmt: skip
        for name in YEAR_FIELDS:
            if Decimal(row[name]) != values[name]:
                differences.append(f"{year.year} {name}: computed {values[name]}, API {row[name]}")
    if Decimal(body["net_present_value"]) != pure.net_present_value:
        differences.append(f"net present value: computed {pure.net_present_value}, API {body['net_present_value']}")
    for name, mine in (("cliffs", pure.cliffs), ("warnings", pure.warnings)):
        if len(body[name]) != len(mine):
            differences.append(f"{name}: computed {len(mine)}, API {len(body[name])}")
    return differences


# Running ----------------------------------------------------------------------------------


def pick_project(data: FinanceData, project_ids: list[int]) -> int:
    """The first project with a grant and a budget line of its own: every query of the plan runs for it
    (without budget lines one query is skipped), so the one-project count compares between sizes."""
    with_grant = {g["project"] for g in data.grants}
    own_line = {b["projects"][0] for b in data.budget_lines if len(b["projects"]) == 1}
    return project_ids[min(with_grant & own_line, default=0)]


def run(projects: int, repeat: int, seed: int, scenario: str, profile: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from stadtlotse.core.models import Municipality
    from stadtlotse.finance import plan, selectors

    info, date = machine(), datetime.now(UTC).isoformat(timespec="seconds")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup = {"migrate_s": time.perf_counter() - start}
    if Municipality.objects.exists():
        raise SystemExit("The database holds data already; DATABASE_URL must point at an empty database.")
    start = time.perf_counter()
    data = generate_values(projects, seed)
    setup["generate_values_s"] = time.perf_counter() - start
    start = time.perf_counter()
    loaded = load(data, seed)
    setup["load_s"] = time.perf_counter() - start
    setup["load_steps_s"] = loaded.seconds
    municipality, admin = loaded.municipality, loaded.admin
    rate = municipality.discount_rate_percent
    horizon = {"first_year": FIRST_YEAR, "last_year": LAST_YEAR, "scenario": scenario}

    print("  plan.build_financial_plan …", file=sys.stderr, flush=True)
    inputs = plan_inputs(data, list(range(1, projects + 1)))
    pure = plan.build_financial_plan(**horizon, discount_rate_percent=rate, **inputs)

    def pure_plan():
        return plan.build_financial_plan(**horizon, discount_rate_percent=rate, **inputs)

    computations = [{
        "key": "pure", "name": "plan.build_financial_plan", "user": "-", "queries": 0,
        "input": f"{projects} projects, {len(inputs['cost_items'])} cost items, {FIRST_YEAR}–{LAST_YEAR}",
        **measure_callable(pure_plan, repeat),
    }]  # fmt: skip

    print("  selectors.plan_for …", file=sys.stderr, flush=True)
    today = timezone.localdate()

    def plan_for():
        return selectors.plan_for(admin, municipality, **horizon, on=today)

    queries, sql_ms = count_queries(plan_for)
    computations.append({"key": "plan_for", "name": "selectors.plan_for (reads + computation)", "user": "admin",
                         "input": "all projects of the admin", "queries": queries, "sql_ms": sql_ms,
                         **measure_callable(plan_for, repeat)})  # fmt: skip
    if profile:
        for row, fn in zip(computations, (pure_plan, plan_for), strict=True):
            row["label"], row["profile"] = row["name"], profile_call(fn)

    client = Client(raise_request_exception=False)
    client.force_login(admin)
    slug, one = municipality.slug, pick_project(data, loaded.project_ids)
    query = f"from={FIRST_YEAR}&to={LAST_YEAR}&scenario={scenario}"
    endpoints = [
        ("api-plan", f"API plan {FIRST_YEAR}–{LAST_YEAR}", f"/api/v1/{slug}/finance/plan?{query}"),
        ("api-plan-one", "API plan, one project", f"/api/v1/{slug}/finance/plan?{query}&project={one}"),
        ("page-plan", f"page {FIRST_YEAR}–{LAST_YEAR}",
         f"/{slug}/intern/finanzen/?start={FIRST_YEAR}&end={LAST_YEAR}&scenario={scenario}"),
        ("page-default", "page, default horizon", f"/{slug}/intern/finanzen/"),
    ]  # fmt: skip
    requests = []
    for key, label, url in endpoints:
        print(f"  {label} …", file=sys.stderr, flush=True)
        row = {"key": key, "label": label, "user": "admin", **measure_request(client, url, repeat)}
        if profile:
            row["profile"] = profile_request(client, url)
        requests.append(row)

    response = client.get(endpoints[0][2])
    differences = compare_with_api(pure, response.json()) if response.status_code == 200 else ["API failed"]
    return {
        "projects": projects, "seed": seed, "repeat": repeat, "scenario": scenario,
        "horizon": [FIRST_YEAR, LAST_YEAR], "date": date, "revision": git_revision(), "machine": info,
        "load_average_at_end": load_average(),
        "database": {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])},
        "setup": setup, "counts": data.counts(), "project_id": one,
        "plan": {"net_present_value": str(pure.net_present_value), "payback_year": pure.payback_year,
                 "cliffs": len(pure.cliffs), "after_grant_years": len(pure.after_grants),
                 "warnings": len(pure.warnings), "grants_paid": len(pure.grants_by_id),
                 "total_cost": str(pure.totals().cost), "total_grants": str(pure.totals().grants)},
        "api_equals_pure_computation": not differences, "differences": differences[:20],
        "computations": computations, "requests": requests,
    }  # fmt: skip


# Output -----------------------------------------------------------------------------------


def _load(values) -> str:
    return "/".join(f"{x:.1f}" for x in values) if values else "unknown"


def table(result: dict) -> str:
    m, c = result["machine"], result["counts"]
    lines = [
        f"Stadtlotse finance benchmark: {result['projects']} projects, {c['cost_items']} cost items, "
        f"{c['savings']} savings, {c['grants']} grants, {c['budget_lines']} budget lines; horizon "
        f"{result['horizon'][0]}–{result['horizon'][1]}, scenario {result['scenario']}, {result['repeat']} repeats",
        f"{result['date']}, revision {result['revision']}; {m['nproc']} CPUs ({m['processor']}), Python {m['python']}, "
        f"Django {m['django']}, {result['database']['vendor']} (SQLite library {m['sqlite']})",
        f"load average (1/5/15 min) {_load(m['load_average_at_start'])} at start, "
        f"{_load(result['load_average_at_end'])} at end",
        f"setup: migrate {result['setup']['migrate_s']:.1f} s, generate {result['setup']['generate_values_s']:.1f} s, "
        f"load {result['setup']['load_s']:.1f} s",
        "",
        f"{'computation (no HTTP)':<42} {'queries':>7} {'median ms':>10} {'p95 ms':>10} {'cpu ms':>10}",
    ]  # fmt: skip
    for r in result["computations"]:
        lines.append(f"{r['name']:<42} {r['queries']:>7} {r['median_ms']:>10.1f} {r['p95_ms']:>10.1f} "
                     f"{r['cpu_median_ms']:>10.1f}")  # fmt: skip
    lines += ["", f"{'page':<28} {'user':<6} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>10} "
                  f"{'cpu ms':>10} {'sql ms':>8} {'KiB':>8}"]  # fmt: skip
    for r in result["requests"]:
        queries = f"{r['queries']}" + ("" if r["queries_stable"] else "*")
        lines.append(f"{r['label']:<28} {r['user']:<6} {r['status']:>6} {queries:>7} {r['median_ms']:>10.1f} "
                     f"{r['p95_ms']:>10.1f} {r['cpu_median_ms']:>10.1f} {r['sql_ms']:>8.1f} "
                     f"{r['bytes'] / 1024:>8.1f}")  # fmt: skip
    for r in result["requests"]:
        if r["all_status"] != [200] or r["status"] != 200:
            lines.append(f"ERROR: {r['label']} answered {r['all_status']} ({r['url']})")
    if any(not r["queries_stable"] for r in result["requests"]):
        lines.append("* the query count differed between two identical requests")
    p = result["plan"]
    lines += ["", f"plan: net present value {p['net_present_value']} EUR, payback year {p['payback_year']}, "
              f"{p['cliffs']} funding cliffs, {p['warnings']} warnings, {p['grants_paid']} grants paid"]  # fmt: skip
    if result["api_equals_pure_computation"]:
        lines.append("the API's plan equals the pure computation's (every year, NPV, cliffs, warnings)")
    else:
        lines.append("DIFFERENT: the API's plan is not the pure computation's:")
        lines += [f"  {d}" for d in result["differences"]]
    return "\n".join(lines)


def compare_query_counts(result: dict) -> str:
    lines = []
    for path in sorted(RESULTS_DIR.glob("finance-*.json")):
        other = json.loads(path.read_text())
        if other.get("projects") == result["projects"]:
            continue
        lines.append(
            f"\nvs. {path.name} ({other['projects']} projects, {other['date']}, revision {other['revision']}):"
        )
        mine = {r["key"]: r for r in result["computations"] + result["requests"]}
        for theirs in other["computations"] + other["requests"]:
            r = mine.get(theirs["key"])
            if r is None:
                continue
            same = "same queries" if theirs["queries"] == r["queries"] else "DIFFERENT query count"
            ratio = r["median_ms"] / theirs["median_ms"] if theirs["median_ms"] else float("nan")
            lines.append(f"  {r.get('label') or r['name']:<42} queries {theirs['queries']} → {r['queries']} ({same}); "
                         f"median {theirs['median_ms']:.1f} → {r['median_ms']:.1f} ms (× {ratio:.1f})")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_finance", description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=DEFAULT_PROJECTS, help="number of projects (default 10000)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="timed runs of each (default 5)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scenario", choices=["approved", "applied", "planned"], default="approved")
    parser.add_argument("--profile", action="store_true", help="cProfile one request of every page")
    parser.add_argument("--output", help="JSON file (default bench/results/finance-<projects>.json)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.projects < 1:
        parser.error("--repeat and --projects must be at least 1")

    with tempfile.TemporaryDirectory(prefix="stadtlotse-bench-") as tmp:
        configure_environment(None if os.environ.get("DATABASE_URL") else Path(tmp) / "bench.sqlite3")
        os.environ.setdefault("MEDIA_ROOT", str(Path(tmp) / "media"))
        import django

        django.setup()
        result = run(args.projects, args.repeat, args.seed, args.scenario, args.profile)
        from django.db import connections

        connections.close_all()
    print(table(result))
    text = profiles({"requests": result["computations"] + result["requests"]})
    if text:
        print(text)
    output = Path(args.output) if args.output else RESULTS_DIR / f"finance-{args.projects}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"\nwritten: {output}")
    print(compare_query_counts(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

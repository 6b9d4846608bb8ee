"""Benchmark finance data for the generated projects, and the published status reports.

Finance: the values come from the finance benchmark's own generator,
``bench.bench_finance.generate_values`` (10 cost items over 15 years per project, 1–2 savings,
grants for about half of the projects, budget lines of their own for 40 % and shared ones; see
its docstring), made for the municipality's bulk-inserted projects in their order. The rows are
bulk-inserted as ``bench_finance.load`` inserts them, except that the funding programmes are shared
by every municipality of the database (``FundingProgramme.name`` is unique and the programmes have
no municipality): they are created once and looked up by name afterwards. The rules of
``finance.services`` hold as that docstring says (years within the horizon, first ≤ last, a grant's
approved amount only when approved or ended, amounts for every year of a budget line).

Reporting: ``spec.reports`` consecutive half-year reports ending on the reference date, each made
with ``reporting.services.create_report`` and frozen with ``publish_report`` (the content of the
three editions is computed from the data then, and the PDFs are queued as background tasks, which
the generator does not run). These are the heaviest service calls of the generator (they read
every part), and they come last so that the reports show every part.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from bench.generate import _validated


def load_finance(rng: Random, seed: int, municipality, project_ids: list[int]) -> dict:
    """Cost items, savings, grants, budget lines and amounts for ``project_ids``. Returns the counts."""
    from bench.bench_finance import EARLIEST_START, LAST_YEAR, generate_values
    from stadtlotse.finance.models import BudgetAmount, BudgetLine, CostItem, FundingProgramme, Grant, Saving

    mid = municipality.pk
    data = generate_values(len(project_ids), int(rng.random() * 1e9) ^ seed)
    existing = {p.name: p for p in FundingProgramme.objects.filter(name__in=[p["name"] for p in data.programmes])}
    new = [
        FundingProgramme(
            name=p["name"],
            provider=p["provider"],
            level=p["level"],
            rate_percent=p["rate"],
            cap_eur=p["cap"],
            eligible_kinds=p["kinds"],
            period_start=EARLIEST_START,
            period_end=LAST_YEAR,
            keywords="digital, verwaltung",
        )
        for p in data.programmes
        if p["name"] not in existing
    ]
    for programme in FundingProgramme.objects.bulk_create(_validated(new)):
        existing[programme.name] = programme
    programmes = [existing[p["name"]] for p in data.programmes]
    lines = BudgetLine.objects.bulk_create(
        _validated([BudgetLine(municipality_id=mid, code=b["code"], name=b["name"]) for b in data.budget_lines])
    )
    through = BudgetLine.projects.through
    through.objects.bulk_create(
        [
            through(budgetline_id=lines[n].pk, project_id=project_ids[p])
            for n, b in enumerate(data.budget_lines)
            for p in b["projects"]
        ]
    )
    BudgetAmount.objects.bulk_create(
        _validated(
            [
                BudgetAmount(municipality_id=mid, budget_line_id=lines[n].pk, year=year, amount_eur=amount)
                for n, b in enumerate(data.budget_lines)
                for year, amount in b["amounts"].items()
            ]
        )
    )
    CostItem.objects.bulk_create(
        _validated(
            [
                CostItem(
                    municipality_id=mid,
                    project_id=project_ids[c["project"]],
                    kind=c["kind"],
                    category=c["category"],
                    description=c["description"],
                    amount_eur=c["amount"],
                    first_year=c["first"],
                    last_year=c["last"],
                    yearly_increase_percent=c["increase"],
                    cash=c["cash"],
                    budget_line_id=None if c["budget_line"] is None else lines[c["budget_line"]].pk,
                )
                for c in data.cost_items
            ]
        )
    )
    Saving.objects.bulk_create(
        _validated(
            [
                Saving(
                    municipality_id=mid,
                    project_id=project_ids[s["project"]],
                    kind=s["kind"],
                    description=s["description"],
                    amount_eur=s["amount"],
                    first_year=s["first"],
                    last_year=s["last"],
                    fte=s["fte"],
                    cash=s["cash"],
                )
                for s in data.savings
            ]
        )
    )
    Grant.objects.bulk_create(
        _validated(
            [
                Grant(
                    municipality_id=mid,
                    project_id=project_ids[g["project"]],
                    programme=programmes[g["programme"]],
                    status=g["status"],
                    requested_eur=g["requested"],
                    approved_eur=g["approved"],
                    rate_percent=g["rate"],
                    eligible_kinds=g["kinds"],
                    first_year=g["first"],
                    last_year=g["last"],
                )
                for g in data.grants
            ]
        )
    )
    counts = {f"finance_{k}": v for k, v in data.counts().items() if k != "projects"}
    return counts


def load_reports(spec, municipality, admin, today: date) -> tuple[dict, dict]:
    """Published half-year reports through the reporting services. Returns (ids, counts)."""
    from stadtlotse.reporting import services

    reports = []
    end = today
    periods = []
    for _n in range(spec.reports):
        start = date(end.year, 1, 1) if end.month <= 6 else date(end.year, 7, 1)
        periods.append((start, end))
        end = start - timedelta(days=1)
    for start, end in reversed(periods):  # oldest first, so each report compares with the one before
        half = 1 if start.month == 1 else 2
        draft = services.create_report(
            municipality=municipality,
            by=admin,
            title=f"Statusbericht {half}. Halbjahr {start.year}",
            period_start=start,
            period_end=end,
            introduction="Der Bericht zeigt den Stand der Digitalstrategie und der Projekte im Berichtszeitraum.",
        )
        reports.append(services.publish_report(report_obj=draft, by=admin))
    ids = {"report": reports[-1].pk} if reports else {}
    return ids, {"published_reports": len(reports)}

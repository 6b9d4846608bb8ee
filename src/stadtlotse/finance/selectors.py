"""Reads of the finance app: the plan's inputs from the database in a fixed number of queries,
the discount rate valid on a date, and funding programmes that match a project."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import BigIntegerField, F, Q, Sum, Value
from django.db.models.functions import Cast, Round

from stadtlotse.core.memo import Memo, history_revision
from stadtlotse.core.models import Municipality
from stadtlotse.portfolio import selectors as portfolio
from stadtlotse.portfolio.models import Project

from . import plan
from .models import BudgetAmount, BudgetLine, CostItem, DiscountRate, FundingProgramme, Grant, GrantStatus, Saving


def discount_rate_on(municipality: Municipality, day: date) -> Decimal:
    """The rate valid on ``day``: the newest dated rate from before it, else the municipality's default."""
    rate = DiscountRate.objects.filter(municipality=municipality, valid_from__lte=day).order_by("-valid_from").first()
    return rate.rate_percent if rate else municipality.discount_rate_percent


class ProjectRef(NamedTuple):
    """What a plan shows of a project: its number and title."""

    pk: int
    title: str


@dataclass
class PlanResult:
    plan: plan.Plan
    projects: dict[int, ProjectRef]  # the projects of the plan, by title
    grants: dict[int, Grant]  # the grants the scenario counts
    by_project: dict[int, plan.Plan] | None = None  # with ``per_project=True``: each project's own plan


def plan_for(
    user, municipality: Municipality, *, first_year: int, last_year: int, scenario: str = "approved",
    project_ids: list[int] | None = None, on: date, per_project: bool = False,
) -> PlanResult:  # fmt: skip
    """The financial plan of the projects the user may see (all, or those in ``project_ids``);
    a fixed number of queries whatever the number of projects. With ``per_project``, also every
    project's own plan (budget lines shared by several projects count for each of them there).

    A computed plan is kept (see ``_PLANS``) under everything it is computed from: the horizon,
    the scenario, the rate, the projects read and the newest history id of each finance table.
    Callers must not change what they get."""
    plan.validate(first_year, last_year, scenario, Decimal(0))
    projects_qs = portfolio.projects_visible_to(user, municipality)
    if project_ids:  # ids beyond 64 bits cannot exist (and overflow SQLite)
        projects_qs = projects_qs.filter(pk__in=[i for i in project_ids if 0 < i < 2**63])
    projects = {pk: ProjectRef(pk, title) for pk, title in projects_qs.order_by("title").values_list("pk", "title")}
    rate = discount_rate_on(municipality, on)
    key = (municipality.pk, first_year, last_year, scenario, per_project, rate, tuple(projects),
           history_revision(*PLAN_INPUTS))  # fmt: skip
    kept = _PLANS.get(key)
    if kept is None:
        kept = _compute(municipality, projects_qs, list(projects), first_year, last_year, scenario, rate, per_project)
        _PLANS.put(key, kept)
    result, grant_rows, by_project = kept
    return PlanResult(result, projects, grant_rows, by_project)


# Every table a plan is read from (BudgetLine's history also records changes of its projects).
PLAN_INPUTS = (CostItem, Saving, Grant, FundingProgramme, BudgetLine, BudgetAmount)
_PLANS = Memo(16)


def _compute(municipality, projects_qs, ids: list[int], first_year: int, last_year: int, scenario: str,
             rate: Decimal, per_project: bool):  # fmt: skip
    if per_project:
        items, savings, grants, grant_rows, lines = load_inputs(municipality, ids)
    else:
        items, savings, grants, grant_rows, lines = _total_inputs(municipality, projects_qs, set(ids), scenario,
                                                                  first_year, last_year)  # fmt: skip
    result = plan.build_financial_plan(
        first_year=first_year, last_year=last_year, scenario=scenario, discount_rate_percent=rate,
        cost_items=items, savings=savings, grants=grants, budget_lines=lines,
    )  # fmt: skip
    by_project = None
    if per_project:
        grouped = _by_project(items, savings, grants, lines)
        wanted = set(ids)
        by_project = {
            project_id: plan.build_financial_plan(first_year=first_year, last_year=last_year, scenario=scenario,
                                                  discount_rate_percent=rate, **inputs)
            for project_id, inputs in grouped.items()
            if project_id in wanted
        }  # fmt: skip
    return result, grant_rows, by_project


def load_inputs(municipality: Municipality, ids: list[int]):
    """The plan's inputs of the given projects: cost items, savings, grants (as plan dataclasses and
    as rows by id) and budget lines, in five queries."""
    # Plain tuples, not model instances: a city's plan reads a hundred thousand rows.
    items = [
        plan.CostItem(*row)
        for row in CostItem.objects.filter(project_id__in=ids).values_list(
            "project_id", "kind", "amount_eur", "first_year", "last_year", "yearly_increase_percent", "cash"
        )
    ]
    savings = [
        plan.Saving(*row)
        for row in Saving.objects.filter(project_id__in=ids).values_list(
            "project_id", "amount_eur", "first_year", "last_year", "fte", "cash"
        )
    ]
    grant_rows = {g.pk: g for g in Grant.objects.filter(project_id__in=ids).select_related("programme")}
    return items, savings, _plan_grants(grant_rows), grant_rows, _budget_lines(municipality, set(ids))


def _total_inputs(municipality: Municipality, projects_qs, project_ids: set[int], scenario: str, first_year: int,
                  last_year: int):  # fmt: skip
    """The inputs of the plan of all these projects together (not per project), read so that the
    plan comes out exactly as from ``load_inputs``, in five queries.

    Only the projects with a grant the scenario counts need their cost items one by one (for the
    grants and the funding cliff). Of the other projects only the items that reach into the
    horizon matter, and only through the yearly totals: those without a yearly increase are summed
    in the database per kind, cash flag and span, as one item of "project 0" each; items with an
    increase are rounded per year and stay single. Amounts are read in whole cents, so the sums
    are exact on every database."""
    ids = projects_qs.values("pk")
    counted = Grant.objects.filter(project_id__in=ids, status__in=plan.SCENARIOS[scenario])
    granted = counted.values("project_id")
    in_horizon = Q(first_year__lte=last_year, last_year__gte=first_year)
    items_qs = CostItem.objects.filter(project_id__in=ids).order_by()  # no ORDER BY inside a UNION
    cents = _in_cents("amount_eur")
    single = (items_qs.filter(Q(project_id__in=granted) | (in_horizon & ~Q(yearly_increase_percent=0)))
              .annotate(cents=cents).values_list("project_id", "kind", "cents", "first_year", "last_year",
                                                 "yearly_increase_percent", "cash"))  # fmt: skip
    summed = (items_qs.exclude(project_id__in=granted).filter(in_horizon, yearly_increase_percent=0)
              .values("kind", "cash", "first_year", "last_year")
              .annotate(project=Value(0), total=Sum(cents), increase=F("yearly_increase_percent"))
              .values_list("project", "kind", "total", "first_year", "last_year", "increase", "cash"))  # fmt: skip
    items = [plan.CostItem(project_id, kind, Decimal(amount).scaleb(-2), first, last, increase, cash)
             for project_id, kind, amount, first, last, increase, cash in single.union(summed, all=True)]  # fmt: skip
    savings = [
        plan.Saving(*row)
        for row in Saving.objects.filter(Q(project_id__in=granted) | in_horizon, project_id__in=ids).values_list(
            "project_id", "amount_eur", "first_year", "last_year", "fte", "cash"
        )
    ]
    grant_rows = {g.pk: g for g in counted.select_related("programme")}
    return items, savings, _plan_grants(grant_rows), grant_rows, _budget_lines(municipality, project_ids, last_year)


def _in_cents(field: str):
    """A money column as whole cents (an integer): exact sums on every database, cheaper to read."""
    return Cast(Round(F(field) * 100), BigIntegerField())


def _plan_grants(grant_rows: dict[int, Grant]) -> list[plan.Grant]:
    return [
        plan.Grant(g.pk, g.project_id, str(g), g.status, g.effective_rate, g.effective_kinds, g.first_year, g.last_year,
                   g.approved_eur, g.requested_eur, g.programme.cap_eur if g.programme_id else None)
        for g in grant_rows.values()
    ]  # fmt: skip


def _by_project(items, savings, grants, lines) -> dict[int, dict[str, list]]:
    """The plan's inputs split by project, as keyword arguments of ``build_financial_plan``; a budget
    line shared by several projects goes to each of them."""
    grouped: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for name, values in (("cost_items", items), ("savings", savings), ("grants", grants)):
        for value in values:
            grouped[value.project_id][name].append(value)
    for line in lines:
        for project_id in line.project_ids:
            grouped[project_id]["budget_lines"].append(line)
    return grouped


def net_present_values(municipality: Municipality, project_ids: list[int], on: date) -> dict[int, Decimal | None]:
    """Each project's net present value over its own life: from the first to the last year with
    costs or savings (at most 50 years), approved grants, discounted to its first year at the rate
    valid on ``on``; None for a project without costs. For the WiBe ranking (seven queries)."""
    items, savings, grants, _rows, lines = load_inputs(municipality, project_ids)
    rate = discount_rate_on(municipality, on)
    grouped = _by_project(items, savings, grants, lines)
    result: dict[int, Decimal | None] = {}
    for project_id in project_ids:
        inputs = grouped.get(project_id)
        if not inputs or not inputs["cost_items"]:
            result[project_id] = None
            continue
        spans = inputs["cost_items"] + inputs["savings"]
        first = min(x.first_year for x in spans)
        last = min(max(x.last_year for x in spans), first + plan.MAX_HORIZON - 1)
        result[project_id] = plan.build_financial_plan(
            first_year=first, last_year=last, discount_rate_percent=rate, **inputs
        ).net_present_value
    return result


def _budget_lines(municipality: Municipality, project_ids: set[int], until: int | None = None) -> list[plan.BudgetLine]:
    """Budget lines assigned to any of the projects (each once), with their amounts (up to the
    year ``until``, if given), in two queries."""
    links = defaultdict(set)
    for line_id, project_id in BudgetLine.projects.through.objects.filter(
        budgetline__municipality=municipality
    ).values_list("budgetline_id", "project_id"):
        links[line_id].add(project_id)
    wanted = [line_id for line_id, pids in links.items() if pids & project_ids]
    amounts = defaultdict(dict)
    rows = BudgetAmount.objects.filter(budget_line_id__in=wanted)
    if until is not None:
        rows = rows.filter(year__lte=until)
    # In whole cents, as the cost items: a city has thousands of amounts and a Decimal read costs more.
    cents = _in_cents("amount_eur")
    for line_id, year, amount in rows.annotate(cents=cents).values_list("budget_line_id", "year", "cents"):
        amounts[line_id][year] = Decimal(amount).scaleb(-2)
    return [plan.BudgetLine(line_id, frozenset(links[line_id]), amounts[line_id]) for line_id in wanted]


def open_programmes(today: date) -> list[FundingProgramme]:
    """Programmes whose deadline has not passed (one query)."""
    return list(FundingProgramme.objects.filter(Q(deadline__isnull=True) | Q(deadline__gte=today)))


def match(project: Project, state: str, cost_kinds: set[str], catalogue: list[FundingProgramme]) -> list:
    """Programmes of ``catalogue`` that could fund the project: a keyword in its title, summary
    or tags, an eligible cost kind it has (or no costs yet), and the municipality's state."""
    text = f"{project.title} {project.summary} {project.tags}".lower()
    result = []
    for programme in catalogue:
        states = {s.strip() for s in programme.states.split(",") if s.strip()}
        if states and state not in states:
            continue
        if cost_kinds and not (programme.kinds & cost_kinds):
            continue
        if any(keyword in text for keyword in programme.keyword_list):
            result.append(programme)
    return result


def open_grant_statuses() -> list[str]:
    return [GrantStatus.PLANNED, GrantStatus.APPLIED]

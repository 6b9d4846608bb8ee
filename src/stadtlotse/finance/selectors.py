"""Reads of the finance app: the plan's inputs from the database in a fixed number of queries,
the discount rate valid on a date, and funding programmes that match a project."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from stadtlotse.core.models import Municipality
from stadtlotse.portfolio import selectors as portfolio
from stadtlotse.portfolio.models import Project

from . import plan
from .models import BudgetAmount, BudgetLine, CostItem, DiscountRate, FundingProgramme, Grant, GrantStatus, Saving


def discount_rate_on(municipality: Municipality, day: date) -> Decimal:
    """The rate valid on ``day``: the newest dated rate from before it, else the municipality's default."""
    rate = DiscountRate.objects.filter(municipality=municipality, valid_from__lte=day).order_by("-valid_from").first()
    return rate.rate_percent if rate else municipality.discount_rate_percent


@dataclass
class PlanResult:
    plan: plan.Plan
    projects: dict[int, Project]
    grants: dict[int, Grant]
    by_project: dict[int, plan.Plan] | None = None  # with ``per_project=True``: each project's own plan


def plan_for(
    user, municipality: Municipality, *, first_year: int, last_year: int, scenario: str = "approved",
    project_ids: list[int] | None = None, on: date, per_project: bool = False,
) -> PlanResult:  # fmt: skip
    """The financial plan of the projects the user may see (all, or those in ``project_ids``);
    eight queries whatever the number of projects. With ``per_project``, also every project's own
    plan (budget lines shared by several projects count for each of them there)."""
    plan.validate(first_year, last_year, scenario, Decimal(0))
    projects_qs = portfolio.projects_visible_to(user, municipality)
    if project_ids:  # ids beyond 64 bits cannot exist (and overflow SQLite)
        projects_qs = projects_qs.filter(pk__in=[i for i in project_ids if 0 < i < 2**63])
    projects = {p.pk: p for p in projects_qs.order_by("title")}
    ids = list(projects)
    items, savings, grants, grant_rows, lines = load_inputs(municipality, ids)
    rate = discount_rate_on(municipality, on)
    result = plan.build_financial_plan(
        first_year=first_year, last_year=last_year, scenario=scenario, discount_rate_percent=rate,
        cost_items=items, savings=savings, grants=grants, budget_lines=lines,
    )  # fmt: skip
    by_project = None
    if per_project:
        grouped = _by_project(items, savings, grants, lines)
        by_project = {
            project_id: plan.build_financial_plan(first_year=first_year, last_year=last_year, scenario=scenario,
                                                  discount_rate_percent=rate, **inputs)
            for project_id, inputs in grouped.items()
            if project_id in projects
        }  # fmt: skip
    return PlanResult(result, projects, grant_rows, by_project)


def load_inputs(municipality: Municipality, ids: list[int]):
    """The plan's inputs of the given projects: cost items, savings, grants (as plan dataclasses and
    as rows by id) and budget lines, in six queries."""
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
    grants = [
        plan.Grant(g.pk, g.project_id, str(g), g.status, g.effective_rate, g.effective_kinds, g.first_year, g.last_year,
                   g.approved_eur, g.requested_eur, g.programme.cap_eur if g.programme_id else None)
        for g in grant_rows.values()
    ]  # fmt: skip
    return items, savings, grants, grant_rows, _budget_lines(municipality, set(ids))


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


def _budget_lines(municipality: Municipality, project_ids: set[int]) -> list[plan.BudgetLine]:
    """Budget lines assigned to any of the projects (each once), with their amounts (three queries)."""
    links = defaultdict(set)
    for line_id, project_id in BudgetLine.projects.through.objects.filter(
        budgetline__municipality=municipality
    ).values_list("budgetline_id", "project_id"):
        links[line_id].add(project_id)
    wanted = [line_id for line_id, pids in links.items() if pids & project_ids]
    amounts = defaultdict(dict)
    for line_id, year, amount in BudgetAmount.objects.filter(budget_line_id__in=wanted).values_list(
        "budget_line_id", "year", "amount_eur"
    ):
        amounts[line_id][year] = amount
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

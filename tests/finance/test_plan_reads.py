"""The plan of all projects together is read differently from the per-project plans: cost items
of projects without a counted grant are summed in the database. These tests check that the
result is exactly the plan computed from every single item."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import timezone

from stadtlotse.finance import plan, selectors, services
from stadtlotse.portfolio.models import Project

from .conftest import FinanceWorld, _project


def _without_grants(world: FinanceWorld) -> list[Project]:
    """Projects with no counted grant: odd cents, equal spans (summed together), a yearly
    increase, imputed costs, spans outside the horizon, a planned and a rejected grant only."""
    y = world.year
    plain = _project(world, "OHNE-1", "Ohne Förderung 1", "public", "")
    other = _project(world, "OHNE-2", "Ohne Förderung 2", "public", "")
    planned = _project(world, "OHNE-3", "Nur geplante Förderung", "public", "")
    for project, amount in ((plain, D("1234.57")), (other, D("0.01")), (planned, D("999.99"))):
        services.add_cost_item(project=project, by=None, kind="operating", amount_eur=amount, first_year=y,
                               last_year=y + 3)  # fmt: skip
        services.add_cost_item(project=project, by=None, kind="personnel", amount_eur=amount, first_year=y - 2,
                               last_year=y + 1, cash=False)  # fmt: skip
    services.add_cost_item(project=plain, by=None, kind="operating", amount_eur=D("333.33"), first_year=y,
                           last_year=y + 9, yearly_increase_percent=D("3.33"))  # fmt: skip
    services.add_cost_item(project=other, by=None, kind="investment", amount_eur=D("50000.00"), first_year=y + 20,
                           last_year=y + 20)  # fmt: skip
    services.add_cost_item(project=other, by=None, kind="investment", amount_eur=D("7777.77"), first_year=y - 9,
                           last_year=y - 1)  # fmt: skip
    services.add_grant(project=planned, by=None, name="Nur geplant", status="planned", requested_eur=D("900.00"),
                       rate_percent=D("50.00"), eligible_kinds="operating", first_year=y, last_year=y + 1)  # fmt: skip
    services.add_grant(project=other, by=None, name="Abgelehnt", status="rejected", requested_eur=D("900.00"),
                       rate_percent=D("50.00"), eligible_kinds="investment", first_year=y - 1, last_year=y)  # fmt: skip
    services.add_saving(project=plain, by=None, kind="material", amount_eur=D("10.10"), first_year=y - 3,
                        last_year=y + 2)  # fmt: skip
    return [plain, other, planned]


def _from_every_item(user, world: FinanceWorld, first: int, last: int, scenario: str) -> plan.Plan:
    ids = list(selectors.portfolio.projects_visible_to(user, world.municipality).values_list("pk", flat=True))
    items, savings, grants, _rows, lines = selectors.load_inputs(world.municipality, ids)
    rate = selectors.discount_rate_on(world.municipality, timezone.localdate())
    return plan.build_financial_plan(first_year=first, last_year=last, scenario=scenario, discount_rate_percent=rate,
                                     cost_items=items, savings=savings, grants=grants, budget_lines=lines)  # fmt: skip


@pytest.mark.parametrize("scenario", list(plan.SCENARIOS))
@pytest.mark.parametrize(("start", "years"), [(0, 5), (-3, 15), (1, 1), (-12, 3), (15, 10)])
def test_plan_of_all_projects_equals_the_plan_of_every_single_item(finance_world, finance, scenario, start, years):
    _without_grants(finance_world)
    first = finance_world.year + start
    last = first + years - 1
    result = selectors.plan_for(finance, finance_world.municipality, first_year=first, last_year=last,
                                scenario=scenario, on=timezone.localdate())  # fmt: skip
    assert result.plan == _from_every_item(finance, finance_world, first, last, scenario)


def test_summed_items_of_projects_without_grants_give_the_hand_computed_year(finance_world, reader):
    projects = _without_grants(finance_world)
    y = finance_world.year
    result = selectors.plan_for(reader, finance_world.municipality, first_year=y, last_year=y,
                                project_ids=[p.pk for p in projects], on=timezone.localdate())  # fmt: skip
    year = result.plan.years[0]
    assert year.costs == {"investment": D(0), "operating": D("1234.57") + D("0.01") + D("999.99") + D("333.33"),
                          "personnel": D("1234.57") + D("0.01") + D("999.99")}  # fmt: skip
    assert year.imputed_costs == D("2234.57") and year.cash_costs == D("2567.90")
    assert year.grants == D(0) and year.savings == D("10.10")
    assert list(result.projects) == sorted((p.pk for p in projects), key=lambda pk: result.projects[pk].title)

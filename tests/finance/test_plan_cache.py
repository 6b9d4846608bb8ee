"""A computed financial plan is kept per process (``selectors._PLANS``) by everything it is computed
from. These tests run outside a test transaction (only committed plans are kept): a second read is
served from the cache without reading the inputs again, and every change of an input, through the
services or the models, is seen at once: the plan then equals one computed afresh."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from stadtlotse.finance import selectors, services
from stadtlotse.finance.models import BudgetAmount, CostItem, Saving
from stadtlotse.portfolio import services as portfolio_services

from .conftest import build_finance_world

pytestmark = pytest.mark.django_db(transaction=True)
INPUT_READS = 5  # cost items, savings, grants, budget line links, budget amounts


def read(user, world, **options):
    with CaptureQueriesContext(connection) as queries:
        result = selectors.plan_for(user, world.municipality, first_year=world.year, last_year=world.year + 9,
                                    on=date(world.year, 6, 1), **{"scenario": "planned", **options})  # fmt: skip
    return result, len(queries)


def fresh(user, world, **options):
    selectors._PLANS.clear()
    result, _count = read(user, world, **options)
    return result


@pytest.fixture
def world(plauen):
    selectors._PLANS.clear()
    yield build_finance_world(plauen, 3)
    selectors._PLANS.clear()


def test_a_second_read_is_served_from_the_cache(world, finance):
    read(finance, world, scenario="approved")  # another key; the reader's roles are known after it
    first, first_queries = read(finance, world)
    second, second_queries = read(finance, world)
    assert second.plan is first.plan and second.plan.years[0].cost > 0
    assert first_queries - second_queries == INPUT_READS


def test_the_plan_of_each_project_is_kept_apart_from_the_total(world, finance):
    total, _ = read(finance, world)
    by_project, _ = read(finance, world, per_project=True)
    assert total.by_project is None and set(by_project.by_project) == set(total.projects)
    assert by_project.plan == total.plan  # the same figures, computed from other inputs


def test_changed_and_deleted_costs_and_savings_are_seen_at_once(world, finance):
    before, _ = read(finance, world)
    item = CostItem.objects.filter(project=world.p0, kind="operating").get()
    services.update_cost_item(item=item, by=None, amount_eur=D("9000.00"))
    changed, _ = read(finance, world)
    assert changed.plan.years[0].costs["operating"] != before.plan.years[0].costs["operating"]
    assert changed.plan == fresh(finance, world).plan
    read(finance, world)
    services.delete_item(item=Saving.objects.filter(project=world.p1).get(), by=None)
    deleted, _ = read(finance, world)
    assert deleted.plan.years[1].savings < changed.plan.years[1].savings
    assert deleted.plan == fresh(finance, world).plan


def test_a_new_grant_and_a_changed_status_are_seen_at_once(world, finance):
    before, _ = read(finance, world)
    services.update_grant(grant=world.approved[world.p1.pk], by=None, status="rejected")
    rejected, _ = read(finance, world)
    assert rejected.plan.years[0].grants < before.plan.years[0].grants
    assert rejected.plan == fresh(finance, world).plan
    read(finance, world)
    services.add_grant(project=world.p1, by=None, name="Neue Förderung", status="approved", approved_eur=D("700.00"),
                       rate_percent=D("10.00"), eligible_kinds="investment", first_year=world.year,
                       last_year=world.year)  # fmt: skip
    added, _ = read(finance, world)
    assert added.plan.years[0].grants == rejected.plan.years[0].grants + D("700.00")
    assert added.plan == fresh(finance, world).plan


def test_a_changed_programme_is_seen_at_once(world, finance):
    """Grants without a rate of their own take the programme's; a change in the admin saves the model."""
    before, _ = read(finance, world)
    world.programme.rate_percent = D("10.00")
    world.programme.save()
    after, _ = read(finance, world)
    assert after.plan.years[0].grants < before.plan.years[0].grants
    assert after.plan == fresh(finance, world).plan


def test_budget_amounts_and_the_projects_of_a_budget_line_are_seen_at_once(world, finance):
    before, _ = read(finance, world)
    y = world.year
    amount = BudgetAmount.objects.get(budget_line=world.lines[world.p0.pk], year=y)
    amount.amount_eur = D("1.00")
    amount.save()
    cut, _ = read(finance, world)
    assert cut.plan.years[0].budget == before.plan.years[0].budget - D("2999.00")
    assert cut.plan == fresh(finance, world).plan
    linked, _ = read(finance, world, project_ids=[world.p0.pk, world.p1.pk])
    # Only the links change (the line's amounts stay): BudgetLine's history records them.
    world.lines[world.p1.pk].projects.set([world.confidential])
    relinked, _ = read(finance, world, project_ids=[world.p0.pk, world.p1.pk])
    assert [y.budget for y in linked.plan.years[:2]] == [D("3001.00"), D("6000.00")]
    assert [y.budget for y in relinked.plan.years[:2]] == [D("1.00"), D("3000.00")]
    assert relinked.plan == fresh(finance, world, project_ids=[world.p0.pk, world.p1.pk]).plan


def test_a_reader_who_sees_fewer_projects_gets_another_plan(world, finance, reader):
    internal, _ = read(finance, world)
    public, _ = read(reader, world)
    assert world.confidential.pk in internal.projects and world.confidential.pk not in public.projects
    assert public.plan != internal.plan and public.plan == fresh(reader, world).plan
    portfolio_services.update_project(project=world.p0, by=None, visibility="confidential")
    hidden, _ = read(reader, world)
    assert world.p0.pk not in hidden.projects and hidden.plan != public.plan
    assert hidden.plan == fresh(reader, world).plan


def test_what_is_read_inside_a_transaction_is_not_kept(world, finance):
    with transaction.atomic():
        read(finance, world)
    assert not selectors._PLANS.entries
    read(finance, world)
    assert len(selectors._PLANS.entries) == 1

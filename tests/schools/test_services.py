"""Writes of the schools app: bad input is refused with a clear message and nothing half-saved;
the plan flows into the portfolio and the financial plan through their services."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from stadtlotse.finance import selectors as finance_selectors
from stadtlotse.finance.models import CostItem, Grant
from stadtlotse.schools import services
from stadtlotse.schools.models import InventorySnapshot, MediaDevelopmentPlan, SchoolYearFigures

from .conftest import INVENTORY


def messages_of(exc) -> dict:
    return exc.value.message_dict


def test_a_new_inventory_keeps_the_earlier_ones(school_world):
    school = school_world.schools[0]
    services.record_snapshot(school=school, taken_on=date(2025, 6, 1), by=None, **{**INVENTORY, "rooms_with_wlan": 20})
    assert list(school.snapshots.order_by("taken_on").values_list("rooms_with_wlan", flat=True)) == [5, 10, 20]


@pytest.mark.parametrize("changes, field, text", [
    ({"rooms_with_wlan": 21}, "rooms_with_wlan", "Mehr Räume mit WLAN (21) als Räume (20)"),
    ({"pupil_devices": -1}, "pupil_devices", "darf nicht negativ sein"),
    ({"bandwidth_mbit": D(250000)}, "bandwidth_mbit", "kbit/s"),
    ({"bandwidth_mbit": D(-5)}, "bandwidth_mbit", "darf nicht negativ sein"),
])  # fmt: skip
def test_bad_inventories_are_refused_in_german_naming_the_field(school_world, changes, field, text):
    school = school_world.schools[0]
    with translation.override("de"), pytest.raises(ValidationError) as exc:
        services.record_snapshot(school=school, taken_on=date(2025, 6, 1), by=None, **{**INVENTORY, **changes})
    assert text in " ".join(messages_of(exc)[field])
    assert school.snapshots.count() == 2


def test_a_second_inventory_of_the_same_day_is_refused(school_world):
    school = school_world.schools[0]
    with translation.override("de"), pytest.raises(ValidationError) as exc:
        services.record_snapshot(school=school, taken_on=date(2025, 1, 10), by=None, **INVENTORY)
    assert "10.01.2025" in messages_of(exc)["taken_on"][0]
    assert school.snapshots.count() == 2


def test_an_inventory_in_the_future_is_refused(school_world):
    with pytest.raises(ValidationError) as exc:
        services.record_snapshot(school=school_world.schools[0], taken_on=date(2026, 5, 2), by=None,
                                 today=date(2026, 5, 1), **INVENTORY)  # fmt: skip
    assert "taken_on" in messages_of(exc)


def test_negative_figures_are_refused_and_a_year_is_replaced_not_doubled(school_world):
    school = school_world.schools[0]
    with pytest.raises(ValidationError) as exc:
        services.set_figures(school=school, school_year=2025, by=None, pupils=-3, classes=8, classrooms=10,
                             teachers=15)  # fmt: skip
    assert "pupils" in messages_of(exc)
    services.set_figures(school=school, school_year=2025, by=None, pupils=250, classes=9, classrooms=11, teachers=16)
    assert list(SchoolYearFigures.objects.filter(school=school).values_list("pupils", flat=True)) == [250]


def test_media_concept_dates_must_fit_its_status(school_world):
    school = school_world.schools[0]
    with pytest.raises(ValidationError) as exc:
        services.update_media_concept(school=school, by=None, status="approved", submitted_on=date(2025, 3, 1))
    assert "approved_on" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.update_media_concept(school=school, by=None, status="approved", submitted_on=date(2025, 3, 1),
                                      approved_on=date(2025, 2, 1))  # fmt: skip
    assert "approved_on" in messages_of(exc)
    concept = services.update_media_concept(school=school, by=None, status="submitted", submitted_on=date(2025, 3, 1))
    assert concept.status == "submitted" and concept.history.count() == 2


def test_school_account_changes_only_its_own_school(school_world, school_user):
    own, other = school_world.schools[:2]
    services.record_snapshot(school=own, taken_on=date(2025, 6, 1), by=school_user, **INVENTORY)
    with pytest.raises(PermissionDenied):
        services.record_snapshot(school=other, taken_on=date(2025, 6, 1), by=school_user, **INVENTORY)
    with pytest.raises(PermissionDenied):
        services.set_standard(plan=school_world.plan, school_type="primary", by=school_user, wlan_percent=D(50))
    assert not other.snapshots.filter(taken_on=date(2025, 6, 1)).exists()


@pytest.mark.parametrize("persona", ["council", "committee", "reader", "finance", "pilot", "citizen"])
def test_only_administration_and_editors_change_the_plan(school_world, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.update_plan(plan=school_world.plan, by=user, budget_per_year_eur=D(1))


def test_editor_changes_standard_and_unit_cost_and_the_history_records_it(school_world, staff):
    plan = school_world.plan
    services.set_standard(plan=plan, school_type="primary", by=staff, wlan_percent=D(50))
    services.set_unit_cost(plan=plan, category="wlan", by=staff, investment_eur=D(1000))
    standard = plan.standards.get(school_type="primary")
    assert standard.wlan_percent == D(50) and standard.min_bandwidth_mbit == D(500)
    assert standard.history.first().history_user == staff
    with pytest.raises(ValidationError):
        services.set_standard(plan=plan, school_type="secondary", by=staff)


def test_plan_years_must_be_in_order(plauen):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(municipality=plauen, by=None, name="X", first_year=2028, last_year=2026,
                             running_until_year=2030, budget_per_year_eur=D(1))  # fmt: skip
    assert "last_year" in messages_of(exc)
    assert not MediaDevelopmentPlan.objects.filter(name="X").exists()


# The flow into the portfolio and the financial plan ----------------------------------------
#
# Each school: the gap of test_gaps.test_it_computes_gap_costs_and_index_of_a_school but with 10
# of 20 WLAN rooms (the 2025 inventory) and 200 + 10·i pupils. Schools 00–02, pupils 200, 210, 220:
#   bandwidth need max(500, 2·pupils) = 500 → 40,000; WLAN 10 × 3,500 = 35,000; displays 6 × 8,000 = 48,000;
#   pupil devices ⌈pupils / 4⌉ − 20 = 30, 33, 35 × 500; teacher devices 10 × 1,000 = 10,000.
#   Investment: 148,000 / 149,500 / 150,500; running 1,200 + 600 + 720 + 90·(30|33|35) + 1,200.
# Gap per pupil: 740.00, 711.90, 684.09 → order 00, 01, 02. Budget 120,000 a year, 2026–2028:
#   2026: 00 takes 120,000; 2027: 00 28,000 (closed 2027), 01 92,000; 2028: 01 57,500 (closed), 02 62,500;
#   02 leaves 88,000 unfunded.
# Grant: 90 % of the funded 360,000 = 324,000, capped at 200,000.

def test_the_plan_produces_a_project_with_costs_and_a_grant(school_world, admin):
    plan = school_world.plan
    project, count, grant = services.produce_finance(plan=plan, by=admin)
    plan.refresh_from_db()
    assert plan.project == project and project.municipality == plan.municipality
    items = CostItem.objects.filter(project=project)
    investment = {(i.description.split(":")[0], i.first_year): i.amount_eur for i in items if i.kind == "investment"}
    assert investment == {("Schule 00", 2026): D(120000), ("Schule 00", 2027): D(28000),
                          ("Schule 01", 2027): D(92000), ("Schule 01", 2028): D(57500),
                          ("Schule 02", 2028): D(62500)}  # fmt: skip
    running = items.filter(kind="operating", category="services").order_by("first_year")
    # 00 closed 2027: from 2028; 01 closed 2028: from 2029; 02 not closed: no running costs
    assert [(r.amount_eur, r.first_year, r.last_year) for r in running] == [
        (D(1200 + 600 + 720 + 90 * 30 + 1200), 2028, 2032), (D(1200 + 600 + 720 + 90 * 33 + 1200), 2029, 2032)]
    assert count == items.count() == 5 + 2 + 2  # investment, running, replacement
    assert grant.requested_eur == D(200000) and grant.status == "planned"
    assert (grant.first_year, grant.last_year) == (2026, 2028)
    assert Grant.objects.filter(project=project).count() == 1


def test_the_financial_plan_of_the_produced_project_shows_the_costs_and_the_funding_cliff(school_world, admin):
    project, _count, _grant = services.produce_finance(plan=school_world.plan, by=admin)
    result = finance_selectors.plan_for(admin, school_world.plan.municipality, first_year=2026, last_year=2032,
                                        scenario="planned", project_ids=[project.pk], on=date(2026, 1, 1))  # fmt: skip
    years = {y.year: y for y in result.plan.years}
    assert years[2026].costs["investment"] == D(120000)
    assert years[2028].costs["investment"] == D(120000)
    # 90 % of 120,000 a year, until the cap of 200,000 is used up: 108,000 in 2026, 92,000 in 2027.
    assert (years[2026].grants, years[2027].grants, years[2028].grants) == (D(108000), D(92000), D(0))
    assert years[2028].costs["operating"] > 0
    cliff = result.plan.cliffs[0]
    # The grant pays last in 2027; 2028 is the first year with running costs after it, and nothing covers them.
    assert (cliff.project_id, cliff.last_grant_year, cliff.year) == (project.pk, 2027, 2028)
    assert cliff.uncovered == years[2028].costs["operating"]


def test_a_plan_goes_into_the_portfolio_only_once(school_world, admin):
    services.produce_finance(plan=school_world.plan, by=admin)
    with pytest.raises(ValidationError):
        services.produce_finance(plan=school_world.plan, by=admin)
    school_world.plan.refresh_from_db()
    assert CostItem.objects.filter(project=school_world.plan.project).count() == 9


def test_a_plan_with_nothing_to_fund_produces_nothing(school_world, admin):
    services.update_plan(plan=school_world.plan, by=None, budget_per_year_eur=D(0))
    with pytest.raises(ValidationError):
        services.produce_finance(plan=school_world.plan, by=admin)
    school_world.plan.refresh_from_db()
    assert school_world.plan.project is None


def test_a_council_member_cannot_produce_projects(school_world, council):
    with pytest.raises(PermissionDenied):
        services.produce_finance(plan=school_world.plan, by=council)
    assert not CostItem.objects.exists()


def test_linking_an_account_gives_the_school_role(school_world, admin):
    from stadtlotse.core.models import Membership

    from ..conftest import make_user

    user = make_user("neu")
    services.link_school_account(school=school_world.schools[2], user=user, by=admin)
    assert Membership.objects.filter(user=user, role="school").count() == 1
    with pytest.raises(ValidationError):
        services.link_school_account(school=school_world.schools[2], user=user, by=admin)


def test_snapshot_history_shows_the_change(school_world):
    from stadtlotse.schools import selectors

    history = selectors.snapshot_history(school_world.schools[0])
    assert history[0]["delta"]["rooms_with_wlan"] is None
    assert history[1]["delta"]["rooms_with_wlan"] == 5
    assert InventorySnapshot.objects.count() == 2 * 4

"""Writes of the finance app (``stadtlotse.finance.services``) and two of its reads: the savings
calculator, validation (nothing is saved on bad input), permissions, the discount rate valid on a
date, and the matching of funding programmes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Role
from stadtlotse.finance import selectors, services
from stadtlotse.finance.models import BudgetAmount, BudgetLine, CostItem, DiscountRate, FundingProgramme, Grant, Saving
from stadtlotse.portfolio import services as portfolio_services

from ..conftest import make_user


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def it(plauen):
    return core_services.create_department(municipality=plauen, by=None, code="10", name="IT-Steuerung")


@pytest.fixture
def schools(plauen):
    return core_services.create_department(municipality=plauen, by=None, code="40", name="Schulverwaltung")


@pytest.fixture
def project(plauen, it):
    return portfolio_services.create_project(
        municipality=plauen, by=None, title="Digitale Schule", summary="WLAN in allen Grundschulen",
        lead_department=it, planned_start=date(2024, 1, 1), planned_end=date(2027, 12, 31), tags="Bildung, Netz",
    )  # fmt: skip


@pytest.fixture
def celle_line(celle):
    return services.save_budget_line(municipality=celle, by=None, code="11111", name="Celler Haushalt", amounts={})


def limited_editor(municipality, name, departments):
    user = make_user(name)
    core_services.grant_role(municipality=municipality, user=user, role=Role.EDITOR, by=None, departments=departments)
    return user


def cost(**overrides) -> dict:
    return {"kind": "operating", "amount_eur": D("1200.00"), "first_year": 2025, "last_year": 2026, **overrides}


def saving(**overrides) -> dict:
    return {"kind": "personnel", "amount_eur": D("500.00"), "first_year": 2025, "last_year": 2027, **overrides}


def grant(**overrides) -> dict:
    return {"name": "Landesförderung", "status": "applied", "requested_eur": D("5000.00"), "rate_percent": D("50.00"),
            "eligible_kinds": "investment", "first_year": 2024, "last_year": 2025, **overrides}  # fmt: skip


# --- savings calculator -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cases", "minutes", "rate", "amount", "fte"),
    [
        (24000, D("4"), D("52"), D("83200.00"), D("1.00")),  # 24000 × 4 / 60 = 1600 h; × 52 = 83200; 1600 / 1600
        (1000, D("2.5"), D("47.11"), D("1962.92"), D("0.03")),  # 41.666… h × 47.11 = 1962.916…; 41.67 / 1600 = 0.026
        (3, D("1"), D("0.10"), D("0.01"), D("0.00")),  # 0.05 h × 0.10 = 0.005 → half up 0.01
        (12000, D("12"), D("60.5"), D("145200.00"), D("1.50")),  # 2400 h × 60.5; 2400 / 1600
        (0, D("4"), D("52"), D("0.00"), D("0.00")),
    ],
)
def test_savings_calculator(cases, minutes, rate, amount, fte):
    result = services.savings_proposal(cases, minutes, rate)
    assert result == (amount, fte)
    assert [value.as_tuple().exponent for value in result] == [-2, -2]


@pytest.mark.parametrize(("cases", "minutes", "rate"), [(-1, D(4), D(52)), (10, D(-1), D(52)), (10, D(4), D("-0.01"))])
def test_savings_calculator_refuses_negative_inputs(cases, minutes, rate):
    with pytest.raises(ValidationError):
        services.savings_proposal(cases, minutes, rate)


def test_add_saving_proposes_the_amount_and_keeps_the_calculator_inputs(project, finance):
    created = services.add_saving(
        project=project, by=finance, kind="personnel", first_year=2025, last_year=2027, cases_per_year=24000,
        minutes_saved_per_case=D("4.00"), hourly_rate_eur=D("52.00"),
    )  # fmt: skip
    stored = Saving.objects.get(pk=created.pk)
    assert (stored.amount_eur, stored.fte) == (D("83200.00"), D("1.00"))  # 1600 h × 52 EUR; 1600 h = 1 FTE
    assert (stored.cases_per_year, stored.minutes_saved_per_case, stored.hourly_rate_eur) == (24000, D("4"), D("52"))
    assert stored.municipality_id == project.municipality_id


def test_a_given_amount_wins_over_the_calculator(project, finance):
    created = services.add_saving(project=project, by=finance, **saving(
        amount_eur=D("50000.00"), cases_per_year=24000, minutes_saved_per_case=D("4"), hourly_rate_eur=D("52"),
    ))  # fmt: skip
    stored = Saving.objects.get(pk=created.pk)
    assert (stored.amount_eur, stored.fte, stored.cases_per_year) == (D("50000.00"), D("0.00"), 24000)


@pytest.mark.parametrize(
    "values",
    [
        {"cases_per_year": 24000, "minutes_saved_per_case": D("4")},  # no hourly rate, no amount
        {"cases_per_year": 24000, "minutes_saved_per_case": D("-4"), "hourly_rate_eur": D("52")},
    ],
)
def test_saving_without_amount_or_with_bad_calculator_inputs_is_refused(project, finance, values):
    with pytest.raises(ValidationError):
        services.add_saving(project=project, by=finance, kind="personnel", first_year=2025, last_year=2025, **values)
    assert not Saving.objects.exists()


# --- validation: nothing saved on bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (cost(amount_eur=D("-0.01")), "amount_eur"),
        (cost(first_year=2026, last_year=2025), "last_year"),
        (cost(kind="hardware"), "kind"),
        (cost(yearly_increase_percent=D("50.01")), "yearly_increase_percent"),
        (cost(first_year=1989, last_year=1989), "first_year"),
    ],
)
def test_bad_cost_items_are_refused(project, finance, values, field):
    with pytest.raises(ValidationError) as error:
        services.add_cost_item(project=project, by=finance, **values)
    assert field in error.value.message_dict
    assert not CostItem.objects.exists()


def test_good_cost_item_is_saved(project, finance):
    item = services.add_cost_item(project=project, by=finance, **cost(yearly_increase_percent=D("-5.00")))
    stored = CostItem.objects.get(pk=item.pk)
    assert (stored.amount_eur, stored.first_year, stored.last_year, stored.municipality_id) == (
        D("1200.00"), 2025, 2026, project.municipality_id
    )  # fmt: skip


def test_unknown_fields_are_refused(project, finance):
    with pytest.raises(ValidationError, match="Unknown fields: municipality"):
        services.add_cost_item(project=project, by=finance, municipality_id=99, **cost())
    assert not CostItem.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (saving(amount_eur=D("-1.00")), "amount_eur"),
        (saving(first_year=2027, last_year=2026), "last_year"),
        (saving(fte=D("-0.50")), "fte"),
    ],
)
def test_bad_savings_are_refused(project, finance, values, field):
    with pytest.raises(ValidationError) as error:
        services.add_saving(project=project, by=finance, **values)
    assert field in error.value.message_dict
    assert not Saving.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (grant(rate_percent=D("100.01")), "rate_percent"),
        (grant(rate_percent=D("-1")), "rate_percent"),
        (grant(requested_eur=D("-5.00")), "requested_eur"),
        (grant(first_year=2025, last_year=2024), "last_year"),
        (grant(first_year=2023, last_year=2025), "last_year"),  # the project starts in 2024
        (grant(first_year=2026, last_year=2028), "last_year"),  # the project ends in 2027
        (grant(status="approved", approved_eur=None), "approved_eur"),
        (grant(rate_percent=None), "rate_percent"),  # neither a rate nor a programme
        (grant(eligible_kinds="investment, hardware"), "eligible_kinds"),
    ],
)
def test_bad_grants_are_refused(project, finance, values, field):
    with pytest.raises(ValidationError) as error:
        services.add_grant(project=project, by=finance, **values)
    assert field in error.value.message_dict
    assert not Grant.objects.exists()


def test_grant_within_the_project_years_is_saved(project, finance):
    created = services.add_grant(project=project, by=finance, **grant(first_year=2024, last_year=2027))
    assert Grant.objects.get(pk=created.pk).effective_rate == D("50.00")


def test_grant_outside_the_programme_period_is_refused(project, finance):
    programme = FundingProgramme.objects.create(
        name="Digitalpakt", provider="Bund", level="federal", rate_percent=D("90.00"), period_start=2025,
        period_end=2026,
    )  # fmt: skip
    for years, field in (((2024, 2025), "first_year"), ((2025, 2027), "last_year")):
        with pytest.raises(ValidationError) as error:
            services.add_grant(project=project, by=finance, programme=programme, status="planned",
                               first_year=years[0], last_year=years[1])  # fmt: skip
        assert field in error.value.message_dict
    assert not Grant.objects.exists()
    services.add_grant(project=project, by=finance, programme=programme, status="planned", first_year=2025,
                       last_year=2026)  # fmt: skip
    assert Grant.objects.get().effective_rate == D("90.00")  # the programme's rate


def test_budget_line_of_another_municipality_is_refused(project, finance, celle_line):
    with pytest.raises(ValidationError) as error:
        services.add_cost_item(project=project, by=finance, **cost(budget_line=celle_line))
    assert "budget_line" in error.value.message_dict
    assert not CostItem.objects.exists()
    item = services.add_cost_item(project=project, by=finance, **cost())
    with pytest.raises(ValidationError):
        services.update_cost_item(item=item, by=finance, budget_line=celle_line, amount_eur=D("1.00"))
    stored = CostItem.objects.get(pk=item.pk)
    assert (stored.budget_line_id, stored.amount_eur) == (None, D("1200.00"))


def test_budget_line_of_the_own_municipality_is_accepted(plauen, project, finance):
    line = services.save_budget_line(municipality=plauen, by=finance, code="54321", name="IT", amounts={},
                                     projects=[project])  # fmt: skip
    item = services.add_cost_item(project=project, by=finance, **cost(budget_line=line))
    assert CostItem.objects.get(pk=item.pk).budget_line == line


@pytest.mark.parametrize("amounts", [{2025: D("-0.01")}, {2025: D("100.00"), 2026: D("-100.00")}])
def test_negative_budgeted_amounts_are_refused(plauen, finance, project, amounts):
    with pytest.raises(ValidationError) as error:
        services.save_budget_line(municipality=plauen, by=finance, code="54321", name="IT", amounts=amounts,
                                  projects=[project])  # fmt: skip
    assert "amounts" in error.value.message_dict
    assert not BudgetLine.objects.exists() and not BudgetAmount.objects.exists()


def test_budget_line_with_a_bad_year_saves_nothing(plauen, finance):
    with pytest.raises(ValidationError):
        services.save_budget_line(municipality=plauen, by=finance, code="54321", name="IT",
                                  amounts={2025: D("100.00"), 1980: D("50.00")})  # fmt: skip
    assert not BudgetLine.objects.exists() and not BudgetAmount.objects.exists()


def test_budget_line_with_a_project_of_another_municipality_is_refused(plauen, celle, finance):
    other = portfolio_services.create_project(municipality=celle, by=None, title="Celler Projekt")
    with pytest.raises(ValidationError):
        services.save_budget_line(municipality=plauen, by=finance, code="1", name="x", amounts={}, projects=[other])
    assert not BudgetLine.objects.exists()


def test_budget_line_amounts_are_changed_and_removed(plauen, finance, project):
    line = services.save_budget_line(municipality=plauen, by=finance, code="54321", name="IT",
                                     amounts={2025: D("100.00"), 2026: D("200.00")}, projects=[project])  # fmt: skip
    services.save_budget_line(municipality=plauen, by=finance, code="54321", name="IT neu", line=line,
                              amounts={2025: D("150.00"), 2026: None, 2027: D("0.00")}, projects=[project])  # fmt: skip
    assert dict(BudgetAmount.objects.filter(budget_line=line).values_list("year", "amount_eur")) == {
        2025: D("150.00"), 2027: D("0.00")
    }  # fmt: skip
    assert BudgetLine.objects.get().name == "IT neu"


# --- permissions ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["citizen", "council", "reader", "committee", "pilot", "outsider", "celle_admin", "celle_finance"]
)
def test_who_may_not_enter_project_finance(request, project, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.add_cost_item(project=project, by=user, **cost())
    with pytest.raises(PermissionDenied):
        services.add_saving(project=project, by=user, **saving())
    with pytest.raises(PermissionDenied):
        services.add_grant(project=project, by=user, **grant())
    assert not CostItem.objects.exists() and not Saving.objects.exists() and not Grant.objects.exists()


@pytest.mark.parametrize("persona", ["finance", "admin", "staff"])
def test_finance_administrators_and_editors_may_enter_project_finance(request, project, persona):
    user = request.getfixturevalue(persona)
    item = services.add_cost_item(project=project, by=user, **cost())
    services.update_cost_item(item=item, by=user, amount_eur=D("999.00"))
    assert CostItem.objects.get().amount_eur == D("999.00")
    services.delete_item(item=item, by=user)
    assert not CostItem.objects.exists()


def test_editor_limited_to_another_department_may_not_enter_costs(plauen, project, schools):
    user = limited_editor(plauen, "schulamt", [schools])
    with pytest.raises(PermissionDenied):
        services.add_cost_item(project=project, by=user, **cost())
    assert not CostItem.objects.exists()


def test_editor_limited_to_the_projects_department_may_enter_costs(plauen, project, it, schools):
    user = limited_editor(plauen, "itamt", [it])
    services.add_cost_item(project=project, by=user, **cost())
    assert CostItem.objects.count() == 1
    # an editor of a department that takes part in the project (not leading it) may too
    portfolio_services.update_project(project=project, by=None, other_departments=[schools])
    other = limited_editor(plauen, "schulamt", [schools])
    services.add_cost_item(project=project, by=other, **cost())
    assert CostItem.objects.count() == 2


def test_others_may_not_change_or_delete_items(project, finance, citizen, council):
    item = services.add_cost_item(project=project, by=finance, **cost())
    for user in (citizen, council):
        with pytest.raises(PermissionDenied):
            services.update_cost_item(item=item, by=user, amount_eur=D("1.00"))
        with pytest.raises(PermissionDenied):
            services.delete_item(item=item, by=user)
    assert CostItem.objects.get().amount_eur == D("1200.00")


@pytest.mark.parametrize("persona", ["staff", "council", "reader", "celle_finance"])
def test_only_finance_and_administrators_manage_budget_and_rates(request, plauen, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.save_budget_line(municipality=plauen, by=user, code="1", name="x", amounts={2025: D(1)})
    with pytest.raises(PermissionDenied):
        services.set_discount_rate(municipality=plauen, by=user, valid_from=date(2025, 1, 1), rate_percent=D(3))
    with pytest.raises(PermissionDenied):
        services.set_hourly_rate(municipality=plauen, by=user, label="E 9a", eur_per_hour=D(60))
    assert not BudgetLine.objects.exists() and not DiscountRate.objects.exists()


# --- the discount rate valid on a day ---------------------------------------------------------------------------


def test_discount_rate_valid_on_a_day(plauen, celle, finance, celle_finance):
    assert selectors.discount_rate_on(plauen, date(2025, 1, 1)) == D("2.50")  # no dated rate: the default
    services.set_discount_rate(municipality=plauen, by=finance, valid_from=date(2024, 1, 1), rate_percent=D("3.00"))
    services.set_discount_rate(municipality=plauen, by=finance, valid_from=date(2025, 7, 1), rate_percent=D("2.00"))
    services.set_discount_rate(municipality=celle, by=celle_finance, valid_from=date(2020, 1, 1),
                               rate_percent=D("7.00"))  # fmt: skip
    assert selectors.discount_rate_on(plauen, date(2023, 12, 31)) == D("2.50")  # before every dated rate
    assert selectors.discount_rate_on(plauen, date(2024, 1, 1)) == D("3.00")  # valid from that very day
    assert selectors.discount_rate_on(plauen, date(2025, 6, 30)) == D("3.00")
    assert selectors.discount_rate_on(plauen, date(2025, 7, 1)) == D("2.00")  # the newest one
    assert selectors.discount_rate_on(plauen, date(2030, 1, 1)) == D("2.00")
    assert selectors.discount_rate_on(celle, date(2019, 12, 31)) == D("2.50")  # Celle's default
    assert selectors.discount_rate_on(celle, date(2025, 1, 1)) == D("7.00")  # never Plauen's


def test_discount_rate_default_is_the_municipalitys_own(plauen, admin):
    core_services.update_municipality(municipality=plauen, by=admin, discount_rate_percent=D("1.75"))
    assert selectors.discount_rate_on(plauen, date(2025, 1, 1)) == D("1.75")


def test_setting_a_rate_for_the_same_day_replaces_it(plauen, finance):
    services.set_discount_rate(municipality=plauen, by=finance, valid_from=date(2024, 1, 1), rate_percent=D("3.00"))
    services.set_discount_rate(municipality=plauen, by=finance, valid_from=date(2024, 1, 1), rate_percent=D("4.25"))
    assert DiscountRate.objects.filter(municipality=plauen).count() == 1
    assert selectors.discount_rate_on(plauen, date(2024, 1, 1)) == D("4.25")


def test_discount_rate_above_twenty_percent_is_refused(plauen, finance):
    with pytest.raises(ValidationError):
        services.set_discount_rate(
            municipality=plauen, by=finance, valid_from=date(2024, 1, 1), rate_percent=D("20.01")
        )
    assert not DiscountRate.objects.exists()


# --- funding programmes matching a project ----------------------------------------------------------------------


def programme(name, **fields) -> FundingProgramme:
    values = {"provider": "Land", "level": "state", "rate_percent": D("50.00"), "eligible_kinds": "investment",
              "keywords": "schule", **fields}  # fmt: skip
    return FundingProgramme.objects.create(name=name, **values)


def test_match_by_keyword_kinds_and_state(project):
    catalogue = [
        programme("Schulen Sachsen", states="SN"),  # keyword "schule" in the title "Digitale Schule"
        programme("Schulen Niedersachsen", states="NI"),
        programme("Schulen mehrere Länder", states="BY, SN"),
        programme("Schulpersonal", eligible_kinds="personnel"),
        programme("Feuerwehr", keywords="feuerwehr, brandschutz"),
        programme("Grundschulnetz", keywords="Grundschulen"),  # in the summary, keyword in capitals
        programme("Netzausbau", keywords="netz", eligible_kinds="operating, investment"),  # in the tags
        programme("Ohne Stichwort", keywords=""),
    ]
    names = {p.name for p in selectors.match(project, "SN", {"investment"}, catalogue)}
    assert names == {"Schulen Sachsen", "Schulen mehrere Länder", "Grundschulnetz", "Netzausbau"}
    names = {p.name for p in selectors.match(project, "NI", {"personnel", "operating"}, catalogue)}
    assert names == {"Schulpersonal", "Netzausbau"}  # "Schulen Niedersachsen" funds investment only
    # without costs yet, every kind may be funded
    names = {p.name for p in selectors.match(project, "SN", set(), catalogue)}
    assert names == {"Schulen Sachsen", "Schulen mehrere Länder", "Schulpersonal", "Grundschulnetz", "Netzausbau"}
    assert selectors.match(project, "SN", {"investment"}, []) == []


def test_open_programmes_leave_out_passed_deadlines(db):
    programme("Offen", deadline=None)
    programme("Heute", deadline=date(2025, 5, 1))
    programme("Vorbei", deadline=date(2025, 4, 30))
    assert {p.name for p in selectors.open_programmes(date(2025, 5, 1))} == {"Offen", "Heute"}

"""The finance API under /api/v1/: the financial plan (contract, hand-checked figures, scenarios,
project filter, errors, permissions, confidentiality, query count) and the costs, savings and
grants of a project (reads and validated writes)."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client

from stadtlotse.finance.models import CostItem, Grant, Saving

from .conftest import CONFIDENTIAL_MARKER, INTERNAL_MARKER, PLANNED_GRANT_NAME, SIZES, FinanceWorld

MONEY = re.compile(r"^-?\d+\.\d{2}$")
TOP_KEYS = {"municipality", "from", "to", "scenario", "discount_rate_percent", "projects", "years",
            "net_present_value", "payback_year", "cliffs", "warnings"}  # fmt: skip
YEAR_KEYS = {"year", "cost_investment", "cost_operating", "cost_personnel", "cost", "grants", "own_share", "savings",
             "fte", "net_burden", "cash_costs", "imputed_costs", "cash_savings", "imputed_savings", "budget",
             "uncovered", "discounted", "cumulative_cost", "cumulative_grants", "cumulative_own_share",
             "cumulative_savings", "cumulative_net_burden"}  # fmt: skip
CLIFF_KEYS = {"project", "title", "last_grant_year", "year", "running_costs", "covered_by_savings",
              "covered_by_budget", "uncovered"}  # fmt: skip
WARNING_KEYS = {"project", "grant", "year", "cut", "message"}
PLAN_QUERIES = 12  # token with user, last use, municipality, roles, then the plan's eight reads (with the revision)


def plan_url(world: FinanceWorld, **params) -> str:
    query = []
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            query.append(f"{'from' if key == 'from_' else key}={item}")
    return "/api/v1/plauen/finance/plan" + ("?" + "&".join(query) if query else "")


def post_json(client: Client, url: str, data: dict, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def by_year(data: dict) -> dict[int, dict]:
    return {row["year"]: row for row in data["years"]}


def column(data: dict, key: str) -> list[str]:
    return [row[key] for row in data["years"]]


@pytest.fixture
def api(anonymous, token_of):
    """``api(user)``: a GET function with the user's bearer token (anonymous for None)."""

    def make(user):
        headers = token_of(user) if user is not None else {}
        return lambda url: anonymous.get(url, **headers)

    return make


# --- the contract -------------------------------------------------------------------------------


def test_plan_has_the_documented_keys_and_every_money_figure_is_a_two_decimal_string(finance_world, finance, api):
    y = finance_world.year
    response = api(finance)(plan_url(finance_world, from_=y, to=y + 6, scenario="planned"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == TOP_KEYS
    assert (data["municipality"], data["from"], data["to"], data["scenario"]) == ("plauen", y, y + 6, "planned")
    assert [row["year"] for row in data["years"]] == list(range(y, y + 7))
    for row in data["years"]:
        assert set(row) >= YEAR_KEYS
        for key, value in row.items():
            if key != "year":
                assert isinstance(value, str) and MONEY.match(value), (key, value)
    for key in ("discount_rate_percent", "net_present_value"):
        assert MONEY.match(data[key]), key
    assert data["cliffs"] and data["warnings"]
    for cliff in data["cliffs"]:
        assert set(cliff) == CLIFF_KEYS
        for key in ("running_costs", "covered_by_savings", "covered_by_budget", "uncovered"):
            assert MONEY.match(cliff[key]), key
    for warning in data["warnings"]:
        assert set(warning) == WARNING_KEYS
        assert MONEY.match(warning["cut"])
        assert warning["message"]
    expected_ids = sorted([p.pk for p in finance_world.projects] + [finance_world.internal.pk,
                                                                    finance_world.confidential.pk])  # fmt: skip
    assert data["projects"] == expected_ids


def test_plan_defaults_to_this_year_and_the_medium_term_horizon_and_the_approved_scenario(finance_world, reader, api):
    data = api(reader)(plan_url(finance_world)).json()
    y = finance_world.year
    assert (data["from"], data["to"], data["scenario"]) == (y, y + 4, "approved")  # medium_term_years = 5
    assert data["discount_rate_percent"] == "5.00"  # the dated rate valid today, not the future 9 %
    only_from = api(reader)(plan_url(finance_world, from_=y + 2)).json()
    assert [r["year"] for r in only_from["years"]] == list(range(y + 2, y + 7))


def test_plan_of_one_project_matches_the_hand_computed_figures(finance_world, finance, api):
    """Project 00 in the approved scenario, Y…Y+4: investment 12,000 in Y; operating 2,000 +10 %/year;
    approved grant 50 % of both, capped at 8,000 (7,000 in Y, the remaining 1,000 in Y+1); imputed
    saving 1,500 from Y+1; budget 3,000 in Y and Y+1 (own line) and 1,000 in Y+2 (shared line);
    discount rate 5 %."""
    y = finance_world.year
    data = api(finance)(plan_url(finance_world, from_=y, to=y + 4, project=finance_world.p0.pk)).json()
    assert data["projects"] == [finance_world.p0.pk]
    assert column(data, "cost_investment") == ["12000.00", "0.00", "0.00", "0.00", "0.00"]
    assert column(data, "cost_operating") == ["2000.00", "2200.00", "2420.00", "2662.00", "2928.20"]
    assert column(data, "cost_personnel") == ["0.00"] * 5
    assert column(data, "cost") == ["14000.00", "2200.00", "2420.00", "2662.00", "2928.20"]
    assert column(data, "grants") == ["7000.00", "1000.00", "0.00", "0.00", "0.00"]
    assert column(data, "own_share") == ["7000.00", "1200.00", "2420.00", "2662.00", "2928.20"]
    assert column(data, "savings") == ["0.00", "1500.00", "1500.00", "1500.00", "1500.00"]
    assert column(data, "fte") == ["0.00", "0.50", "0.50", "0.50", "0.50"]
    assert column(data, "net_burden") == ["7000.00", "-300.00", "920.00", "1162.00", "1428.20"]
    assert column(data, "cash_costs") == column(data, "cost")
    assert column(data, "imputed_costs") == ["0.00"] * 5
    assert column(data, "cash_savings") == ["0.00"] * 5
    assert column(data, "imputed_savings") == column(data, "savings")
    assert column(data, "budget") == ["3000.00", "3000.00", "1000.00", "0.00", "0.00"]
    assert column(data, "uncovered") == ["4000.00", "0.00", "1420.00", "2662.00", "2928.20"]
    # (savings − own share) / 1.05^(year − Y), each rounded to the cent
    assert column(data, "discounted") == ["-7000.00", "285.71", "-834.47", "-1003.78", "-1174.98"]
    assert data["net_present_value"] == "-9727.52"
    assert column(data, "cumulative_cost") == ["14000.00", "16200.00", "18620.00", "21282.00", "24210.20"]
    assert column(data, "cumulative_grants") == ["7000.00", "8000.00", "8000.00", "8000.00", "8000.00"]
    assert column(data, "cumulative_own_share") == ["7000.00", "8200.00", "10620.00", "13282.00", "16210.20"]
    assert column(data, "cumulative_savings") == ["0.00", "1500.00", "3000.00", "4500.00", "6000.00"]
    assert column(data, "cumulative_net_burden") == ["7000.00", "6700.00", "7620.00", "8782.00", "10210.20"]
    assert data["payback_year"] is None
    assert data["cliffs"] == [{
        "project": finance_world.p0.pk, "title": "Finanzprojekt 00", "last_grant_year": y + 1, "year": y + 2,
        "running_costs": "2420.00", "covered_by_savings": "1500.00", "covered_by_budget": "0.00",
        "uncovered": "920.00",
    }]  # fmt: skip
    assert data["warnings"] == []


def test_plan_of_two_chosen_projects_adds_their_figures(finance_world, finance, api):
    y = finance_world.year
    p0, p1 = finance_world.p0.pk, finance_world.p1.pk
    data = api(finance)(plan_url(finance_world, from_=y, to=y + 1, project=[p1, p0])).json()
    assert data["projects"] == [p0, p1]
    # Project 01: 13,000 investment + 2,000 operating → 7,500 in Y, the remaining 500 of the cap in Y+1.
    assert column(data, "cost_investment") == ["25000.00", "0.00"]
    assert column(data, "grants") == ["14500.00", "1500.00"]
    # The own lines (3,000 each) are counted per project, the shared line once.
    assert column(data, "budget") == ["6000.00", "6000.00"]
    assert {c["project"] for c in data["cliffs"]} == set()  # both cliffs lie after Y+1


def test_project_filter_gives_the_same_plan_as_asking_for_that_project_alone(finance_world, finance, api):
    y = finance_world.year
    get = api(finance)
    alone = get(plan_url(finance_world, from_=y, to=y + 9, scenario="applied", project=finance_world.p1.pk)).json()
    twice = get(plan_url(finance_world, from_=y, to=y + 9, scenario="applied",
                         project=[finance_world.p1.pk, finance_world.p1.pk])).json()  # fmt: skip
    everything = get(plan_url(finance_world, from_=y, to=y + 9, scenario="applied")).json()
    assert alone == twice
    assert alone["projects"] == [finance_world.p1.pk]
    assert alone["years"] != everything["years"]
    assert [c["project"] for c in alone["cliffs"]] == [finance_world.p1.pk]


def test_scenario_decides_which_grants_count(finance_world, finance, api):
    y = finance_world.year
    get = api(finance)
    results = {s: get(plan_url(finance_world, from_=y, to=y + 4, scenario=s, project=finance_world.p0.pk)).json()
               for s in ("approved", "applied", "planned")}  # fmt: skip
    assert column(results["approved"], "grants") == ["7000.00", "1000.00", "0.00", "0.00", "0.00"]
    # The applied grant (20 % of operating costs, Y+2…Y+3, 1,000 requested) counts from "applied" on.
    assert column(results["applied"], "grants") == ["7000.00", "1000.00", "484.00", "516.00", "0.00"]
    assert results["applied"]["cliffs"][0]["year"] == y + 4
    assert results["applied"]["cliffs"][0]["uncovered"] == "1428.20"
    # The planned grant (60 % of investment in Y) only finds 6,000 of room left: cut by 1,200, with a warning.
    assert column(results["planned"], "grants") == ["13000.00", "1000.00", "484.00", "516.00", "0.00"]
    assert results["approved"]["warnings"] == results["applied"]["warnings"] == []
    [warning] = results["planned"]["warnings"]
    assert (warning["project"], warning["grant"], warning["year"], warning["cut"]) == (
        finance_world.p0.pk,
        finance_world.planned.pk,
        y,
        "1200.00",
    )
    assert PLANNED_GRANT_NAME in warning["message"]


def test_plan_accepts_a_horizon_of_exactly_fifty_years(finance_world, reader, api):
    response = api(reader)(plan_url(finance_world, from_=2000, to=2049))
    assert response.status_code == 200
    assert len(response.json()["years"]) == 50


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"scenario": "optimistic"}, "Unknown scenario 'optimistic'; use one of approved, applied, planned."),
        ({"from_": 2000, "to": 2050}, "The horizon may span at most 50 years."),
        ({"from_": 2030, "to": 2029}, "The horizon ends before it begins."),
    ],
)
def test_bad_plan_parameters_give_422_json_with_a_clear_message(finance_world, finance, api, params, message):
    response = api(finance)(plan_url(finance_world, **params))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == message


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from_": "zwanzig"}, "from"),
        ({"to": "2030x"}, "to"),
        ({"from_": 1900}, "from"),
        ({"project": "eins"}, "project"),
    ],
)
def test_malformed_plan_parameters_give_422_naming_the_parameter(finance_world, finance, api, params, field):
    response = api(finance)(plan_url(finance_world, **params))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(field in error["loc"] and error["msg"] for error in errors), errors


def test_unknown_project_gives_404(finance_world, finance, api):
    response = api(finance)(plan_url(finance_world, project=[finance_world.p0.pk, 999999]))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_project_of_another_municipality_gives_404_not_its_figures(finance_world, celle, finance, api):
    from stadtlotse.portfolio import services as portfolio_services

    foreign = portfolio_services.create_project(municipality=celle, by=None, title="Celler Vorhaben",
                                                visibility="public")  # fmt: skip
    response = api(finance)(plan_url(finance_world, project=foreign.pk))
    assert response.status_code == 404
    assert "Celler" not in response.content.decode()


def test_project_id_too_large_for_the_database_gives_json_404(finance_world, finance, token_of):
    client = Client(raise_request_exception=False)
    response = client.get(plan_url(finance_world, project=99999999999999999999), **token_of(finance))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_municipality_gives_404(finance_world, finance, api):
    assert api(finance)("/api/v1/atlantis/finance/plan").status_code == 404


# --- who may read the plan ------------------------------------------------------------------------


def test_anonymous_gets_401_without_figures(finance_world, api):
    response = api(None)(plan_url(finance_world))
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
def test_people_outside_plauens_administration_get_403_without_figures(finance_world, api, request, persona):
    response = api(request.getfixturevalue(persona))(plan_url(finance_world))
    assert response.status_code == 403
    body = response.content.decode()
    assert set(response.json()) == {"detail"}
    assert INTERNAL_MARKER not in body
    assert "Finanzprojekt" not in body


def test_session_of_a_citizen_gets_403_too(finance_world, citizen, client_of):
    assert client_of(citizen).get(plan_url(finance_world)).status_code == 403


@pytest.mark.parametrize("persona", ["council", "committee", "reader", "pilot", "staff", "finance", "admin"])
def test_internal_roles_of_the_municipality_read_the_plan(finance_world, api, request, persona):
    response = api(request.getfixturevalue(persona))(plan_url(finance_world))
    assert response.status_code == 200
    # Everybody inside reads internal projects: its cliff (Y+1) is listed with its title.
    assert finance_world.internal.pk in response.json()["projects"]
    assert INTERNAL_MARKER in response.content.decode()


def test_session_of_the_council_reads_the_plan(finance_world, council, client_of):
    response = client_of(council).get(plan_url(finance_world))
    assert response.status_code == 200
    assert response.json()["municipality"] == "plauen"


@pytest.mark.parametrize("persona", ["reader", "pilot"])
def test_confidential_project_neither_named_nor_counted_for_those_who_may_not_read_it(
    finance_world, api, finance, request, persona
):
    y = finance_world.year
    url = plan_url(finance_world, from_=y, to=y + 9, scenario="planned")
    limited = api(request.getfixturevalue(persona))(url)
    full = api(finance)(url).json()
    body = limited.content.decode()
    data = limited.json()
    assert CONFIDENTIAL_MARKER not in body
    assert CONFIDENTIAL_MARKER in json.dumps(full, ensure_ascii=False)  # the marker would show if it leaked
    assert finance_world.confidential.pk not in data["projects"]
    # Investment in Y: 12,000 + 13,000 (public) + 99,999 (internal); the confidential 77,777.77 only for finance.
    assert by_year(data)[y]["cost_investment"] == "124999.00"
    assert by_year(full)[y]["cost_investment"] == "202776.77"
    assert by_year(data)[y]["budget"] == "11555.55"  # 3,000 × 2 + 5,555.55 (internal line)
    assert by_year(full)[y]["budget"] == "17111.10"
    assert {c["project"] for c in data["cliffs"]} == {p.pk for p in finance_world.projects} | {
        finance_world.internal.pk}  # fmt: skip
    assert all(w["project"] != finance_world.confidential.pk for w in data["warnings"])


def test_asking_for_a_confidential_project_by_id_gives_the_same_404_as_an_unknown_one(finance_world, reader, api):
    response = api(reader)(plan_url(finance_world, project=finance_world.confidential.pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_admin_of_celle_cannot_read_plauens_internal_project_through_celle(finance_world, celle, celle_admin, api):
    response = api(celle_admin)(f"/api/v1/celle/finance/plan?project={finance_world.internal.pk}")
    assert response.status_code == 404
    assert INTERNAL_MARKER not in response.content.decode()
    costs = api(celle_admin)(f"/api/v1/celle/projects/{finance_world.internal.pk}/costs")
    assert costs.status_code == 404
    assert INTERNAL_MARKER not in costs.content.decode()


# --- query count ----------------------------------------------------------------------------------


@pytest.mark.parametrize("finance_world", SIZES, indirect=True)
def test_query_count_of_the_plan_does_not_grow_with_the_projects(
    finance_world, anonymous, finance, token_of, django_assert_max_num_queries
):
    headers = token_of(finance)
    y = finance_world.year
    with django_assert_max_num_queries(PLAN_QUERIES):
        response = anonymous.get(plan_url(finance_world, from_=y, to=y + 9, scenario="planned"), **headers)
    assert response.status_code == 200
    assert len(response.json()["projects"]) == finance_world.size + 2


def test_query_count_of_the_plan_is_the_same_after_the_portfolio_grew(
    finance_world, anonymous, finance, token_of, django_assert_num_queries
):
    from django.test.utils import CaptureQueriesContext

    headers = token_of(finance)
    url = plan_url(finance_world, scenario="planned")
    with CaptureQueriesContext(connection) as small:
        assert anonymous.get(url, **headers).status_code == 200
    finance_world.grow(SIZES[1] - SIZES[0])
    with django_assert_num_queries(len(small.captured_queries)):
        response = anonymous.get(url, **headers)
    assert len(response.json()["projects"]) == SIZES[1] + 2


# --- costs, savings and grants of a project ---------------------------------------------------------


def items_url(project, what: str, slug: str = "plauen") -> str:
    return f"/api/v1/{slug}/projects/{project.pk}/{what}"


def test_costs_savings_and_grants_of_a_project_are_listed_with_decimal_strings(finance_world, reader, api):
    get = api(reader)
    p0 = finance_world.p0
    costs = get(items_url(p0, "costs")).json()
    y = finance_world.year
    rows = [(c["kind"], c["amount_eur"], c["first_year"], c["last_year"], c["yearly_increase_percent"]) for c in costs]
    assert rows == [("investment", "12000.00", y, y, "0.00"), ("operating", "2000.00", y, y + 9, "10.00")]
    assert costs[0]["budget_line_id"] == finance_world.lines[p0.pk].pk
    savings = get(items_url(p0, "savings")).json()
    assert [(s["kind"], s["amount_eur"], s["fte"], s["cash"]) for s in savings] == [
        ("personnel", "1500.00", "0.50", False)]  # fmt: skip
    grants = get(items_url(p0, "grants")).json()
    assert {g["status"] for g in grants} == {"approved", "applied", "planned"}
    approved = next(g for g in grants if g["status"] == "approved")
    assert (approved["programme_id"], approved["approved_eur"]) == (finance_world.programme.pk, "8000.00")


@pytest.mark.parametrize("what", ["costs", "savings", "grants"])
def test_items_of_a_confidential_project_give_404_to_a_reader(finance_world, reader, finance, api, what):
    response = api(reader)(items_url(finance_world.confidential, what))
    assert response.status_code == 404
    assert CONFIDENTIAL_MARKER not in response.content.decode()
    full = api(finance)(items_url(finance_world.confidential, what))
    assert full.status_code == 200 and CONFIDENTIAL_MARKER in full.content.decode()


@pytest.mark.parametrize("what", ["costs", "savings", "grants"])
def test_items_need_an_internal_role(finance_world, citizen, api, what):
    assert api(None)(items_url(finance_world.internal, what)).status_code == 401
    response = api(citizen)(items_url(finance_world.internal, what))
    assert response.status_code == 403
    assert INTERNAL_MARKER not in response.content.decode()


COST = {"kind": "operating", "category": "software", "description": "Wartungsvertrag", "amount_eur": "1234.56",
        "first_year": 2027, "last_year": 2029, "yearly_increase_percent": "2.50", "cash": True}  # fmt: skip


@pytest.mark.parametrize("persona", ["staff", "finance", "admin"])
def test_post_cost_item_creates_it_and_answers_201(finance_world, anonymous, token_of, request, persona):
    p0 = finance_world.p0
    response = post_json(anonymous, items_url(p0, "costs"), COST, **token_of(request.getfixturevalue(persona)))
    assert response.status_code == 201, response.content
    data = response.json()
    item = CostItem.objects.get(pk=data["id"])
    assert (item.project, item.kind, item.amount_eur, item.first_year, item.last_year) == (
        p0, "operating", D("1234.56"), 2027, 2029)  # fmt: skip
    assert item.yearly_increase_percent == D("2.50")
    assert item.municipality_id == p0.municipality_id
    assert data["amount_eur"] == "1234.56"
    assert item.history.get().history_user == request.getfixturevalue(persona)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_eur": "-1.00"}, "amount_eur"),
        ({"amount_eur": "zwölf"}, "amount_eur"),
        ({"amount_eur": "1.234,56"}, "amount_eur"),
        ({"amount_eur": "12.345"}, "amount_eur"),
        ({"first_year": 2029, "last_year": 2027}, "last_year"),
        ({"yearly_increase_percent": "51"}, "yearly_increase_percent"),
        ({"yearly_increase_percent": "1.234"}, "yearly_increase_percent"),
        ({"kind": "luxury"}, "kind"),
        ({"first_year": 1800}, "first_year"),
    ],
)
def test_post_bad_cost_item_gives_422_json_and_saves_nothing(
    finance_world, anonymous, finance, token_of, change, field
):
    before = CostItem.objects.count()
    response = post_json(anonymous, items_url(finance_world.p0, "costs"), {**COST, **change}, **token_of(finance))
    assert response.status_code == 422, response.content
    body = response.json()
    if isinstance(body["detail"], list):
        assert any(error["loc"][-1] == field and error["msg"] for error in body["detail"]), body
    else:
        assert field in body["errors"] and body["detail"].startswith(f"{field}: ")
    assert CostItem.objects.count() == before


@pytest.mark.parametrize("persona", ["citizen", "council", "reader", "celle_admin"])
def test_post_cost_item_is_refused_for_roles_that_may_not_change_finance(
    finance_world, anonymous, token_of, request, persona
):
    before = CostItem.objects.count()
    response = post_json(anonymous, items_url(finance_world.p0, "costs"), COST,
                         **token_of(request.getfixturevalue(persona)))  # fmt: skip
    assert response.status_code == 403
    assert "detail" in response.json()
    assert CostItem.objects.count() == before


def test_anonymous_post_cost_item_gives_401(finance_world, anonymous):
    response = post_json(anonymous, items_url(finance_world.p0, "costs"), COST)
    assert response.status_code == 401
    assert not CostItem.objects.filter(description="Wartungsvertrag").exists()


def test_post_cost_item_to_a_project_of_another_municipality_gives_404(finance_world, celle, finance, token_of):
    from stadtlotse.portfolio import services as portfolio_services

    foreign = portfolio_services.create_project(municipality=celle, by=None, title="Celler Vorhaben",
                                                visibility="public")  # fmt: skip
    response = post_json(Client(), items_url(foreign, "costs"), COST, **token_of(finance))
    assert response.status_code == 404
    assert not CostItem.objects.filter(project=foreign).exists()


def test_post_saving_with_the_calculator_proposes_amount_and_fte(finance_world, anonymous, staff, token_of):
    payload = {"kind": "personnel", "description": "Online-Antrag", "first_year": 2027, "last_year": 2030,
               "cases_per_year": 3000, "minutes_saved_per_case": "7.5", "hourly_rate_eur": "52.40"}  # fmt: skip
    response = post_json(anonymous, items_url(finance_world.p0, "savings"), payload, **token_of(staff))
    assert response.status_code == 201, response.content
    # 3,000 × 7.5 min = 375 h; × 52.40 EUR = 19,650.00 EUR; 375 h / 1,600 h = 0.23 FTE
    assert (response.json()["amount_eur"], response.json()["fte"]) == ("19650.00", "0.23")
    saving = Saving.objects.get(pk=response.json()["id"])
    assert (saving.amount_eur, saving.fte, saving.cases_per_year) == (D("19650.00"), D("0.23"), 3000)


@pytest.mark.parametrize(
    "change",
    [
        {"amount_eur": None},  # neither an amount nor the calculator's inputs
        {"amount_eur": "-5"},
        {"amount_eur": "abc"},
        {"first_year": 2030, "last_year": 2027},
        {"amount_eur": None, "cases_per_year": -1, "minutes_saved_per_case": "5", "hourly_rate_eur": "50"},
    ],
)
def test_post_bad_saving_gives_422_and_saves_nothing(finance_world, anonymous, finance, token_of, change):
    payload = {"kind": "material", "amount_eur": "100.00", "first_year": 2027, "last_year": 2030, **change}
    before = Saving.objects.count()
    response = post_json(anonymous, items_url(finance_world.p0, "savings"), payload, **token_of(finance))
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert Saving.objects.count() == before


GRANT = {"name": "Kreisförderung", "status": "approved", "approved_eur": "5000.00", "rate_percent": "40",
         "eligible_kinds": "investment,operating"}  # fmt: skip


def grant_payload(world: FinanceWorld, **change) -> dict:
    """A valid grant within the project's years (Y-1 … Y+10), with ``change`` applied; years as offsets to Y."""
    payload = {**GRANT, "first_year": 1, "last_year": 2, **change}
    for key in ("first_year", "last_year"):
        payload[key] += world.year
    return payload


def test_post_grant_creates_it_and_changes_the_plan(finance_world, anonymous, finance, token_of, api):
    y = finance_world.year
    payload = grant_payload(finance_world, first_year=2, last_year=2)
    response = post_json(anonymous, items_url(finance_world.p0, "grants"), payload, **token_of(finance))
    assert response.status_code == 201, response.content
    grant = Grant.objects.get(pk=response.json()["id"])
    assert (grant.project, grant.status, grant.approved_eur, grant.rate_percent) == (
        finance_world.p0, "approved", D("5000.00"), D("40.00"))  # fmt: skip
    data = api(finance)(plan_url(finance_world, from_=y, to=y + 4, project=finance_world.p0.pk)).json()
    assert by_year(data)[y + 2]["grants"] == "968.00"  # 40 % of 2,420


def test_saving_posted_through_the_api_brings_the_payback_year(finance_world, anonymous, finance, token_of, api):
    """Project 00's cumulative own share is 7,000 in Y and 8,200 in Y+1; with 10,000 more savings a
    year from Y+1 the cumulative savings (11,500) reach it in Y+1."""
    y = finance_world.year
    payload = {"kind": "material", "amount_eur": "10000.00", "first_year": y + 1, "last_year": y + 9}
    response = post_json(anonymous, items_url(finance_world.p0, "savings"), payload, **token_of(finance))
    assert response.status_code == 201, response.content
    data = api(finance)(plan_url(finance_world, from_=y, to=y + 4, project=finance_world.p0.pk)).json()
    assert data["payback_year"] == y + 1
    assert by_year(data)[y + 1]["cumulative_savings"] == "11500.00"
    assert by_year(data)[y + 1]["cash_savings"] == "10000.00"  # the new saving is cash, the old one imputed


def test_post_grant_of_the_catalogue_takes_the_programmes_rate(finance_world, anonymous, finance, token_of):
    payload = {"programme_id": finance_world.programme.pk, "status": "planned", "requested_eur": "100.00",
               "first_year": finance_world.year + 1, "last_year": finance_world.year + 1}  # fmt: skip
    response = post_json(anonymous, items_url(finance_world.p0, "grants"), payload, **token_of(finance))
    assert response.status_code == 201, response.content
    grant = Grant.objects.get(pk=response.json()["id"])
    assert (grant.programme, grant.effective_rate) == (finance_world.programme, D("50.00"))


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"rate_percent": "100.01"}, 422),
        ({"rate_percent": "-1"}, 422),
        ({"approved_eur": "-1"}, 422),
        ({"approved_eur": "viel"}, 422),
        ({"approved_eur": None}, 422),  # approved without the approved amount
        ({"first_year": 2, "last_year": 1}, 422),
        ({"rate_percent": None}, 422),  # neither a rate nor a programme
        ({"eligible_kinds": "catering"}, 422),
        ({"status": "promised"}, 422),
        ({"first_year": -3, "last_year": -2}, 422),  # before the project (Y-1 …)
        ({"first_year": 10, "last_year": 11}, 422),  # after the project (… Y+10)
        ({"programme_id": 999999}, 404),
    ],
)
def test_post_bad_grant_is_refused_with_json_and_saves_nothing(
    finance_world, anonymous, finance, token_of, change, status
):
    before = Grant.objects.count()
    payload = grant_payload(finance_world, **change)
    response = post_json(anonymous, items_url(finance_world.p0, "grants"), payload, **token_of(finance))
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert Grant.objects.count() == before


def test_citizen_post_grant_gives_403(finance_world, anonymous, citizen, token_of):
    before = Grant.objects.count()
    response = post_json(anonymous, items_url(finance_world.p0, "grants"), grant_payload(finance_world),
                         **token_of(citizen))  # fmt: skip
    assert response.status_code == 403
    assert Grant.objects.count() == before


def test_reader_cannot_add_a_saving_to_the_confidential_project_nor_learn_it_exists(
    finance_world, anonymous, reader, token_of
):
    payload = {"kind": "material", "amount_eur": "1.00", "first_year": 2027, "last_year": 2027}
    response = post_json(anonymous, items_url(finance_world.confidential, "savings"), payload, **token_of(reader))
    assert response.status_code == 404
    assert not Saving.objects.filter(project=finance_world.confidential, amount_eur=D("1.00")).exists()

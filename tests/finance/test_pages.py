"""The finance pages over HTTP: who may see them, that they speak German, that their number of
queries does not grow with the portfolio, that nothing confidential leaks, that the CSV and XLSX
exports hold exactly the computed plan, and the forms behind the project and budget pages."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Role
from stadtlotse.finance import selectors, services
from stadtlotse.finance.models import BudgetAmount, BudgetLine, CostItem, Grant, Saving

from ..conftest import make_user
from .conftest import CONFIDENTIAL_MARKER, INTERNAL_MARKER, PLANNED_GRANT_NAME, PROGRAMME_NAME, SIZES, FinanceWorld

BASE = "/plauen/intern/finanzen/"
EXPORT_HEADER = [
    "Jahr", "Investition", "Betrieb", "Personal", "Kosten", "Fördermittel", "Eigenanteil", "Einsparungen",
    "Nettobelastung", "Veranschlagt", "Nicht durch den Haushalt gedeckt", "Kosten (haushaltswirksam)",
    "Kosten (kalkulatorisch)", "Abgezinst (Einsparungen − Eigenanteil)", "Kumulierter Eigenanteil",
    "Kumulierte Einsparungen",
]  # fmt: skip


@dataclass(frozen=True)
class Page:
    persona: str
    url: str  # formatted with p0 (project 00's id)
    texts: tuple[str, ...]  # German texts that must appear
    max_queries: int  # the same at every size
    latest: str = ""  # text of the newest project, formatted with last=size-1: the page shows all of them


PAGES: dict[str, Page] = {
    "plan": Page("reader", BASE, ("Finanzplan", "Zeitraum, Szenario und Projekte", "Berechnen", "Als CSV herunterladen",
                                  "Als Excel (XLSX) herunterladen", "Eigenanteil", "Förderabbruchkante"), 12,
                 "Finanzprojekt {last:02d}"),
    "plan-finance": Page("finance", BASE + "?start={y}&end={y9}&scenario=planned", ("Finanzplan", "Nettobelastung",
                                                                                     "Gekürzte Fördermittel"), 12,
                         "Finanzprojekt {last:02d}"),
    "long-term": Page("council", BASE + "langfristig/", ("Langfristige Finanzierung und Förderabbruchkante",
                                                        "Laufende Kosten nach Förderende, nicht gedeckt, pro Jahr"), 12,
                      "Finanzprojekt {last:02d}"),
    "programmes": Page("committee", BASE + "foerderprogramme/", ("Förderprogramme", "Katalog", PROGRAMME_NAME,
                                                                "Programme, die Ihre Projekte fördern könnten"), 8,
                       "Finanzprojekt {last:02d}"),
    "budget": Page("finance", BASE + "haushalt/", ("Haushaltsstellen", "Haushaltsstelle anlegen oder ändern",
                                                   "Digitalisierung allgemein"), 8, "54321.{last:02d}"),
    "budget-reader": Page("pilot", BASE + "haushalt/", ("Haushaltsstellen", "Haushaltsstelle Projekt 00"), 7,
                          "54321.{last:02d}"),
    "project-editor": Page("staff", BASE + "projekt/{p0}/", (
        "Finanzprojekt 00", "Die Finanzen über die gesamte Lebensdauer des Projekts", "Kostenpositionen",
        "Kostenposition hinzufügen", "Fördermittel hinzufügen", "Einsparung hinzufügen", "Zurück zum Projekt",
        "Diese Programme könnten das Projekt fördern", PLANNED_GRANT_NAME), 23),
    "project-finance": Page("finance", BASE + "projekt/{p0}/", ("Kostenpositionen", "Kostenposition hinzufügen"), 22),
    "project-reader": Page("reader", BASE + "projekt/{p0}/",
                           ("Kostenpositionen", "mit allen Fördermitteln, auch geplanten."), 19),
    "medium-term": Page("finance", BASE + "mittelfristig/?start={y}&years=5&scenario=approved",
                        ("Mittelfristige Planung und Investitionsprogramm",
                                                             "Investitionsprogramm", "Auszahlungen für Investitionen",
                                                             "Laufende Kosten und Einsparungen"), 14,
                        "Finanzprojekt {last:02d}"),
    "rates": Page("finance", BASE + "saetze/", ("Kalkulationszinssätze", "Stundensätze nach Entgeltgruppe",
                                                "Datierten Kalkulationszinssatz hinzufügen"), 8),
    "rates-reader": Page("reader", BASE + "saetze/", ("Kalkulationszinssätze",), 7),
}  # fmt: skip
ALL_URLS = [BASE, BASE + "finanzplan.csv", BASE + "finanzplan.xlsx", BASE + "langfristig/",
            BASE + "foerderprogramme/", BASE + "haushalt/", BASE + "projekt/{p0}/", BASE + "mittelfristig/",
            BASE + "mittelfristig.csv", BASE + "mittelfristig.xlsx", BASE + "saetze/"]  # fmt: skip


def url_of(url: str, world: FinanceWorld, project=None) -> str:
    return url.format(p0=(project or world.p0).pk, y=world.year, y9=world.year + 9)


def page_params():
    for key in PAGES:
        for size in SIZES:
            yield pytest.param(key, size, id=f"{key}-{size}")


# --- every page: German, bounded queries ------------------------------------------------------------


@pytest.mark.parametrize(("key", "finance_world"), list(page_params()), indirect=["finance_world"])
def test_persona_sees_finance_page_in_german_with_queries_bounded_whatever_the_data(
    key, finance_world, request, client_of, django_assert_max_num_queries
):
    page = PAGES[key]
    client = client_of(request.getfixturevalue(page.persona))
    url = url_of(page.url, finance_world)
    with django_assert_max_num_queries(page.max_queries):
        response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert '<html lang="de"' in body
    for text in page.texts:
        assert text in body, f"{text!r} missing on {url}"
    if page.latest:
        assert page.latest.format(last=finance_world.size - 1) in body


@pytest.mark.parametrize("key", [*PAGES, "csv", "xlsx"])
def test_query_count_of_a_finance_page_is_the_same_after_the_portfolio_grew(
    key, finance_world, request, client_of, django_assert_num_queries
):
    page = PAGES.get(key) or Page("finance", BASE + f"finanzplan.{key}?scenario=planned", (), 0)
    client = client_of(request.getfixturevalue(page.persona))
    url = url_of(page.url, finance_world)
    assert client.get(url).status_code == 200  # warm up (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    finance_world.grow(SIZES[1] - SIZES[0])
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_every_finance_page_is_covered():
    """A new page in finance/urls.py must be tested here."""
    from django.urls import resolve

    from stadtlotse.finance.urls import urlpatterns

    covered = {resolve(url.format(p0=1)).url_name for url in ALL_URLS}
    assert covered == {p.name for p in urlpatterns}


# --- who may not see them -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ALL_URLS)
def test_anonymous_visitor_is_sent_to_the_login(finance_world, anonymous, url):
    response = anonymous.get(url_of(url, finance_world))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=")


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
@pytest.mark.parametrize("url", ALL_URLS)
def test_people_outside_plauens_administration_get_403_in_german_and_no_marker(
    finance_world, request, client_of, persona, url
):
    client = client_of(request.getfixturevalue(persona))
    for project in (finance_world.p0, finance_world.internal):
        response = client.get(url_of(url, finance_world, project))
        assert response.status_code == 403
        body = response.content.decode()
        assert "Dieser Bereich ist der Verwaltung und dem Rat vorbehalten." in body
        assert INTERNAL_MARKER not in body
        assert "Finanzprojekt" not in body


def test_internal_project_page_is_open_to_every_internal_role(finance_world, pilot, client_of):
    response = client_of(pilot).get(url_of(BASE + "projekt/{p0}/", finance_world, finance_world.internal))
    assert response.status_code == 200
    assert INTERNAL_MARKER in response.content.decode()


def test_admin_of_celle_gets_404_for_plauens_project_through_celle(finance_world, celle, celle_admin, client_of):
    response = client_of(celle_admin).get(f"/celle/intern/finanzen/projekt/{finance_world.internal.pk}/")
    assert response.status_code == 404
    assert INTERNAL_MARKER not in response.content.decode()


@pytest.mark.parametrize("persona", ["reader", "pilot"])
@pytest.mark.parametrize(
    "url",
    [
        BASE, BASE + "?start={y}&end={y9}&scenario=planned", BASE + "langfristig/", BASE + "foerderprogramme/",
        BASE + "projekt/{p0}/", BASE + "finanzplan.csv",
        BASE + "haushalt/", BASE + "mittelfristig/", BASE + "mittelfristig.csv", BASE + "saetze/",
    ],
)  # fmt: skip
def test_confidential_project_never_shows_to_those_who_may_not_read_it(
    finance_world, request, client_of, finance, persona, url
):
    url = url_of(url, finance_world)
    body = client_of(request.getfixturevalue(persona)).get(url).content.decode()
    assert CONFIDENTIAL_MARKER not in body
    assert "77.777,77" not in body and "77777.77" not in body


@pytest.mark.parametrize("url", [BASE + "?start={y}&end={y9}&scenario=planned", BASE + "langfristig/",
                                 BASE + "foerderprogramme/", BASE + "haushalt/"])  # fmt: skip
def test_confidential_project_shows_to_finance(finance_world, client_of, finance, url):
    """The counterpart of the test above: the marker is there to be found."""
    body = client_of(finance).get(url_of(url, finance_world)).content.decode()
    assert CONFIDENTIAL_MARKER in body


@pytest.mark.parametrize("persona", ["reader", "pilot"])
def test_confidential_project_page_gives_404_to_reader_and_pilot(finance_world, request, client_of, persona):
    url = url_of(BASE + "projekt/{p0}/", finance_world, finance_world.confidential)
    response = client_of(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 404
    assert CONFIDENTIAL_MARKER not in response.content.decode()


def test_reader_cannot_smuggle_the_confidential_project_into_the_plan_by_id(finance_world, reader, client_of):
    url = f"{BASE}?project={finance_world.confidential.pk}"
    body = client_of(reader).get(url).content.decode()
    assert CONFIDENTIAL_MARKER not in body
    csv_body = client_of(reader).get(f"{BASE}finanzplan.csv?project={finance_world.confidential.pk}")
    rows = read_csv(csv_body)
    assert all(value == "0.00" for row in rows[1:] for value in row[1:])


# --- figures on the pages -------------------------------------------------------------------------------


def test_long_term_page_sums_the_uncovered_running_costs_after_the_grants_by_hand(
    finance_world, client_of, reader, finance
):
    """Applied grants end in Y+3 for the public projects: operating costs Y+4…Y+9 (2,928.20, 3,221.02,
    3,543.12, 3,897.43, 4,287.18, 4,715.90) less 1,500 savings a year = 13,592.85 each; the internal and
    the confidential project leave 500 − 100 = 400 a year in Y+1…Y+9 = 3,600 each."""
    reader_body = client_of(reader).get(BASE + "langfristig/").content.decode()
    finance_body = client_of(finance).get(BASE + "langfristig/").content.decode()
    assert "<strong>13.592,85</strong>" in reader_body
    assert "<strong>30.785,7</strong>" in reader_body  # 2 × 13,592.85 + 3,600
    assert "<strong>34.385,7</strong>" in finance_body  # and the confidential 3,600
    assert "<strong>3.256,4</strong>" in reader_body  # Y+4: 2 × 1,428.20 + 400


def test_project_page_shows_what_each_grant_pays_in_german_figures(finance_world, client_of, staff):
    body = client_of(staff).get(url_of(BASE + "projekt/{p0}/", finance_world)).content.decode()
    assert "zahlt 8.000 EUR" in body  # the approved grant, up to its cap
    assert "zahlt 6.000 EUR" in body  # the planned one, cut to the room left
    assert "zahlt 1.000 EUR" in body  # the applied one, up to the requested amount
    assert "12.000 EUR" in body and "2.928,2" in body
    assert f"Plan {finance_world.year - 3}–{finance_world.year + 9} mit allen Fördermitteln, auch geplanten." in body


def test_grant_cut_warning_on_the_plan_page_is_german(finance_world, client_of, finance):
    body = client_of(finance).get(url_of(BASE + "?start={y}&end={y9}&scenario=planned", finance_world)).content
    body = body.decode()
    assert "Gekürzte Fördermittel" in body
    assert PLANNED_GRANT_NAME in body
    assert "since the project" not in body
    assert "cut by" not in body


def test_plan_page_with_a_bad_horizon_explains_it_in_german_and_shows_the_default(finance_world, client_of, reader):
    response = client_of(reader).get(f"{BASE}?start=2000&end=2060&scenario=approved")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wählen Sie einen Zeitraum von 1 bis 50 Jahren, der nach seinem Beginn endet." in body
    assert (response.context["plan"].first_year, response.context["plan"].last_year) == (
        finance_world.year, finance_world.year + 4)  # fmt: skip


@pytest.mark.parametrize("url", [BASE, BASE + "finanzplan.csv"])
def test_plan_page_ignores_a_project_id_too_large_for_the_database(finance_world, client_of, reader, url):
    client = client_of(reader)
    client.raise_request_exception = False
    response = client.get(f"{url}?project=99999999999999999999")
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_export_in_an_unknown_format_gives_404(finance_world, client_of, reader, fmt):
    assert client_of(reader).get(f"{BASE}finanzplan.{fmt}").status_code == 404


# --- exports ------------------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def read_xlsx(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def expected_rows(user, world: FinanceWorld, first: int, last: int, scenario: str, ids) -> list[list]:
    """The plan as the export should hold it, computed with the selector, independent of the view."""
    result = selectors.plan_for(user, world.municipality, first_year=first, last_year=last, scenario=scenario,
                                project_ids=ids, on=timezone.localdate())  # fmt: skip
    return [
        [y.year, y.costs["investment"], y.costs["operating"], y.costs["personnel"], y.cost, y.grants, y.own_share,
         y.savings, y.net_burden, y.budget, y.uncovered, y.cash_costs, y.imputed_costs, y.discounted,
         y.cumulative_own_share, y.cumulative_savings]
        for y in result.plan.years
    ]  # fmt: skip


def export_cases(world: FinanceWorld):
    y = world.year
    return [
        ("", (y, y + 4, "approved", None)),
        (f"?start={y - 1}&end={y + 11}&scenario=planned", (y - 1, y + 11, "planned", None)),
        (f"?start={y}&end={y + 4}&scenario=applied&project={world.p0.pk}&project={world.internal.pk}",
         (y, y + 4, "applied", [world.p0.pk, world.internal.pk])),
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ["reader", "finance"])
@pytest.mark.parametrize("case", range(3))
def test_csv_export_holds_exactly_the_computed_plan(finance_world, request, client_of, persona, case):
    user = request.getfixturevalue(persona)
    query, (first, last, scenario, ids) = export_cases(finance_world)[case]
    response = client_of(user).get(BASE + "finanzplan.csv" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="finanzplan-plauen-{first}-{last}-{scenario}.csv"')  # fmt: skip
    rows = read_csv(response)
    assert rows[0] == EXPORT_HEADER
    expected = expected_rows(user, finance_world, first, last, scenario, ids)
    assert len(rows) - 1 == len(expected) == last - first + 1
    for got, want in zip(rows[1:], expected, strict=True):
        assert got[0] == str(want[0])
        assert got[1:] == [f"{value:.2f}" for value in want[1:]], want[0]


@pytest.mark.parametrize("persona", ["reader", "finance"])
@pytest.mark.parametrize("case", range(3))
def test_xlsx_export_holds_exactly_the_computed_plan(finance_world, request, client_of, persona, case):
    user = request.getfixturevalue(persona)
    query, (first, last, scenario, ids) = export_cases(finance_world)[case]
    response = client_of(user).get(BASE + "finanzplan.xlsx" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith(f'-{first}-{last}-{scenario}.xlsx"')
    rows = read_xlsx(response)
    assert rows[0] == EXPORT_HEADER
    expected = expected_rows(user, finance_world, first, last, scenario, ids)
    assert len(rows) - 1 == len(expected)
    for got, want in zip(rows[1:], expected, strict=True):
        assert got[0] == want[0]
        assert [D(str(value)).quantize(D("0.01")) for value in got[1:]] == list(want[1:]), want[0]


def test_csv_export_of_project_00_matches_the_hand_computed_figures(finance_world, client_of, reader):
    y = finance_world.year
    response = client_of(reader).get(f"{BASE}finanzplan.csv?start={y}&end={y + 4}&scenario=applied"
                                     f"&project={finance_world.p0.pk}")  # fmt: skip
    rows = {row[0]: dict(zip(EXPORT_HEADER, row, strict=True)) for row in read_csv(response)[1:]}
    assert [rows[str(y + k)]["Fördermittel"] for k in range(5)] == ["7000.00", "1000.00", "484.00", "516.00", "0.00"]
    assert [rows[str(y + k)]["Eigenanteil"] for k in range(5)] == ["7000.00", "1200.00", "1936.00", "2146.00",
                                                                   "2928.20"]  # fmt: skip
    assert rows[str(y)]["Nicht durch den Haushalt gedeckt"] == "4000.00"
    assert rows[str(y + 4)]["Kumulierte Einsparungen"] == "6000.00"


def test_csv_export_for_a_reader_leaves_out_the_confidential_figures(finance_world, client_of, reader, finance):
    y = str(finance_world.year)
    limited = {row[0]: row for row in read_csv(client_of(reader).get(BASE + "finanzplan.csv"))}
    full = {row[0]: row for row in read_csv(client_of(finance).get(BASE + "finanzplan.csv"))}
    assert limited[y][1] == "124999.00"  # 12,000 + 13,000 + 99,999
    assert full[y][1] == "202776.77"  # and the confidential 77,777.77


# --- the project page's forms ----------------------------------------------------------------------------


def project_url(world: FinanceWorld, project=None) -> str:
    return url_of(BASE + "projekt/{p0}/", world, project)


def cost_data(world: FinanceWorld, **change) -> dict:
    data = {"c-kind": "personnel", "c-category": "staff", "c-description": "Projektstelle", "c-amount_eur": "45000",
            "c-first_year": world.year + 1, "c-last_year": world.year + 3, "c-yearly_increase_percent": "2",
            "c-budget_line": world.lines[world.p0.pk].pk, "c-cash": "on", "add_cost": "1"}  # fmt: skip
    return {**data, **change}


def grant_data(world: FinanceWorld, **change) -> dict:
    data = {"g-programme": "", "g-name": "Kreisförderung", "g-status": "approved", "g-requested_eur": "",
            "g-approved_eur": "3000", "g-rate_percent": "25", "g-eligible_kinds": "operating",
            "g-first_year": world.year + 4, "g-last_year": world.year + 5, "add_grant": "1"}  # fmt: skip
    return {**data, **change}


def saving_data(world: FinanceWorld, **change) -> dict:
    data = {"s-kind": "material", "s-description": "Porto", "s-amount_eur": "800", "s-first_year": world.year + 1,
            "s-last_year": world.year + 5, "s-fte": "0", "s-cash": "on", "s-cases_per_year": "",
            "s-minutes_saved_per_case": "", "s-pay_grade": "", "s-hourly_rate_eur": "", "add_saving": "1"}  # fmt: skip
    return {**data, **change}


@pytest.mark.parametrize("persona", ["staff", "finance"])
def test_editor_and_finance_add_cost_item_grant_and_saving_through_the_project_page(
    finance_world, request, client_of, persona
):
    user = request.getfixturevalue(persona)
    client = client_of(user)
    p0, y = finance_world.p0, finance_world.year
    url = project_url(finance_world)

    response = client.post(url, cost_data(finance_world))
    assert response.status_code == 302 and response["Location"] == url
    item = CostItem.objects.get(project=p0, description="Projektstelle")
    assert (item.kind, item.category, item.amount_eur, item.first_year, item.last_year) == (
        "personnel", "staff", D("45000.00"), y + 1, y + 3)  # fmt: skip
    assert (item.yearly_increase_percent, item.budget_line, item.cash) == (D("2.00"), finance_world.lines[p0.pk], True)
    assert item.history.get().history_user == user

    response = client.post(url, grant_data(finance_world), follow=True)
    assert "Gespeichert." in response.content.decode()
    grant = Grant.objects.get(project=p0, name="Kreisförderung")
    assert (grant.status, grant.approved_eur, grant.rate_percent, grant.eligible_kinds) == (
        "approved", D("3000.00"), D("25.00"), "operating")  # fmt: skip
    assert (grant.first_year, grant.last_year) == (y + 4, y + 5)

    response = client.post(url, saving_data(finance_world))
    assert response.status_code == 302
    saving = Saving.objects.get(project=p0, description="Porto")
    assert (saving.kind, saving.amount_eur, saving.first_year, saving.last_year, saving.cash) == (
        "material", D("800.00"), y + 1, y + 5, True)  # fmt: skip

    # The page now counts them: 25 % of the operating costs of Y+4 (2,928.20) = 732.05.
    result = selectors.plan_for(user, finance_world.municipality, first_year=y + 4, last_year=y + 4,
                                scenario="approved", project_ids=[p0.pk], on=timezone.localdate())  # fmt: skip
    assert result.plan.years[0].grants == D("732.05")


@pytest.mark.parametrize("persona", ["council", "committee", "reader", "pilot"])
@pytest.mark.parametrize("form", ["cost", "grant", "saving", "delete"])
def test_roles_without_finance_rights_are_refused_and_nothing_changes(finance_world, request, client_of, persona, form):
    client = client_of(request.getfixturevalue(persona))
    before = (CostItem.objects.count(), Grant.objects.count(), Saving.objects.count())
    data = {
        "cost": cost_data(finance_world), "grant": grant_data(finance_world), "saving": saving_data(finance_world),
        "delete": {"kind": "cost", "delete": CostItem.objects.filter(project=finance_world.p0).first().pk},
    }[form]  # fmt: skip
    response = client.post(project_url(finance_world), data)
    assert response.status_code == 403
    assert "Ihre Rolle erlaubt das nicht." in response.content.decode()
    assert (CostItem.objects.count(), Grant.objects.count(), Saving.objects.count()) == before
    # The page itself offers them no forms.
    assert "Kostenposition hinzufügen" not in client.get(project_url(finance_world)).content.decode()


def test_editor_limited_to_a_department_changes_only_the_money_of_its_projects(finance_world, client_of):
    municipality = finance_world.municipality
    schools = core_services.create_department(municipality=municipality, by=None, code="40", name="Schulen")
    outside = make_user("schulamt")
    core_services.grant_role(municipality=municipality, user=outside, role=Role.EDITOR, by=None, departments=[schools])
    inside = make_user("kaemmerei")
    core_services.grant_role(municipality=municipality, user=inside, role=Role.EDITOR, by=None,
                             departments=[finance_world.department])  # fmt: skip
    refused = client_of(outside).post(project_url(finance_world), cost_data(finance_world))
    assert refused.status_code == 403
    assert not CostItem.objects.filter(description="Projektstelle").exists()
    accepted = client_of(inside).post(project_url(finance_world), cost_data(finance_world))
    assert accepted.status_code == 302
    assert CostItem.objects.filter(project=finance_world.p0, description="Projektstelle").exists()


def test_citizen_post_to_the_project_page_gets_403(finance_world, client_of, citizen):
    response = client_of(citizen).post(project_url(finance_world), cost_data(finance_world))
    assert response.status_code == 403
    assert not CostItem.objects.filter(description="Projektstelle").exists()


@pytest.mark.parametrize(
    ("form", "change", "error"),
    [
        ("cost", {"c-first_year": "2030", "c-last_year": "2029"}, "Das letzte Jahr liegt vor dem ersten Jahr."),
        ("cost", {"c-amount_eur": "-1"}, "größer oder gleich 0"),
        ("cost", {"c-amount_eur": "viel"}, "Bitte eine Zahl eingeben."),
        ("cost", {"c-yearly_increase_percent": "51"}, "kleiner oder gleich 50"),
        ("cost", {"c-kind": "luxus"}, "Bitte eine gültige Auswahl treffen."),
        ("grant", {"g-approved_eur": ""}, "Für bewilligte Fördermittel fehlt der bewilligte Betrag."),
        ("grant", {"g-rate_percent": ""}, "Geben Sie eine Förderquote an oder wählen Sie ein Programm."),
        ("grant", {"g-rate_percent": "101"}, "kleiner oder gleich 100"),
        ("grant", {"g-first_year": "2090", "g-last_year": "2091"}, "Die Förderung umfasst Jahre außerhalb"),
        ("saving", {"s-amount_eur": ""}, "Geben Sie den Betrag an oder Fälle, Minuten und Stundensatz."),
        ("saving", {"s-amount_eur": "", "s-cases_per_year": "100", "s-minutes_saved_per_case": "5"},
         "Geben Sie den Betrag an oder Fälle, Minuten und Stundensatz."),
        ("saving", {"s-last_year": "2000"}, "Das letzte Jahr liegt vor dem ersten Jahr."),
    ],
)  # fmt: skip
def test_invalid_post_shows_the_error_in_german_and_saves_nothing(finance_world, client_of, staff, form, change, error):
    data = {"cost": cost_data, "grant": grant_data, "saving": saving_data}[form](finance_world, **change)
    before = (CostItem.objects.count(), Grant.objects.count(), Saving.objects.count())
    response = client_of(staff).post(project_url(finance_world), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    assert 'role="alert"' in body
    assert (CostItem.objects.count(), Grant.objects.count(), Saving.objects.count()) == before


def test_savings_calculator_proposes_the_amount_when_it_is_left_empty(finance_world, client_of, staff):
    data = saving_data(finance_world, **{"s-description": "Online-Antrag", "s-amount_eur": "",
                                         "s-cases_per_year": "3000", "s-minutes_saved_per_case": "7.5",
                                         "s-hourly_rate_eur": "52.40", "s-kind": "personnel"})  # fmt: skip
    response = client_of(staff).post(project_url(finance_world), data)
    assert response.status_code == 302, response.content.decode()
    saving = Saving.objects.get(description="Online-Antrag")
    # 3,000 cases × 7.5 min = 375 h; × 52.40 EUR/h = 19,650.00 EUR; 375 h / 1,600 h = 0.23 FTE
    assert (saving.amount_eur, saving.fte) == (D("19650.00"), D("0.23"))
    assert (saving.cases_per_year, saving.minutes_saved_per_case, saving.hourly_rate_eur) == (3000, D("7.50"),
                                                                                             D("52.40"))  # fmt: skip
    body = client_of(staff).get(project_url(finance_world)).content.decode()
    assert "19.650 EUR" in body and "0,23" in body


def test_savings_calculator_takes_the_hourly_rate_of_the_chosen_pay_grade(finance_world, client_of, finance):
    grade = services.set_hourly_rate(municipality=finance_world.municipality, by=None, label="E 9a",
                                     eur_per_hour=D("60.00"))  # fmt: skip
    data = saving_data(finance_world, **{"s-description": "E-Akte", "s-amount_eur": "", "s-cases_per_year": "960",
                                         "s-minutes_saved_per_case": "10", "s-pay_grade": grade.pk})  # fmt: skip
    response = client_of(finance).post(project_url(finance_world), data)
    assert response.status_code == 302
    saving = Saving.objects.get(description="E-Akte")
    # 960 × 10 min = 160 h × 60 EUR = 9,600 EUR; 160 / 1,600 = 0.10 FTE
    assert (saving.amount_eur, saving.fte, saving.hourly_rate_eur) == (D("9600.00"), D("0.10"), D("60.00"))


def test_given_amount_wins_over_the_calculator(finance_world, client_of, staff):
    data = saving_data(finance_world, **{"s-description": "Fest", "s-amount_eur": "500", "s-cases_per_year": "3000",
                                         "s-minutes_saved_per_case": "10", "s-hourly_rate_eur": "50"})  # fmt: skip
    assert client_of(staff).post(project_url(finance_world), data).status_code == 302
    assert Saving.objects.get(description="Fest").amount_eur == D("500.00")


def test_editor_deletes_a_cost_item_of_the_project_but_not_one_of_another(finance_world, client_of, staff):
    client = client_of(staff)
    own = CostItem.objects.filter(project=finance_world.p0).first()
    other = CostItem.objects.filter(project=finance_world.p1).first()
    response = client.post(project_url(finance_world), {"kind": "cost", "delete": other.pk})
    assert response.status_code == 302
    assert CostItem.objects.filter(pk=other.pk).exists()
    response = client.post(project_url(finance_world), {"kind": "cost", "delete": own.pk}, follow=True)
    assert "Gelöscht." in response.content.decode()
    assert not CostItem.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("bad", ["abc", "1.5"])
def test_delete_with_a_malformed_id_is_ignored_not_a_server_error(finance_world, client_of, staff, bad):
    client = client_of(staff)
    client.raise_request_exception = False
    before = CostItem.objects.count()
    response = client.post(project_url(finance_world), {"kind": "cost", "delete": bad})
    assert response.status_code < 500
    assert CostItem.objects.count() == before


def test_cost_form_offers_only_the_budget_lines_of_the_municipality(finance_world, celle, client_of, staff):
    foreign = services.save_budget_line(municipality=celle, by=None, code="CE-1", name="Celler Stelle", amounts={})
    response = client_of(staff).post(project_url(finance_world), cost_data(finance_world, **{
        "c-budget_line": foreign.pk}))  # fmt: skip
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert not CostItem.objects.filter(description="Projektstelle").exists()


# --- budget lines ---------------------------------------------------------------------------------------------


def budget_post(world: FinanceWorld, code: str = "61000", **amounts) -> dict:
    data = {"code": code, "name": "Lizenzen Schulen", "projects": [world.p0.pk, world.p1.pk]}
    data.update({f"year_{world.year + int(k[1:])}": v for k, v in amounts.items()})
    return data


@pytest.mark.parametrize(("typed", "amount"), [("1.234,56", "1234.56"), ("1234,56", "1234.56"),
                                               ("1234.56", "1234.56"), ("12.345.678,9", "12345678.90"),
                                               (" 2 500 ", "2500.00"), ("12.500", "12500.00")])  # fmt: skip
def test_finance_saves_a_budget_line_with_amounts_as_germans_type_them(
    finance_world, client_of, finance, typed, amount
):
    response = client_of(finance).post(BASE + "haushalt/", budget_post(finance_world, y0=typed, y1="500"),
                                       follow=True)  # fmt: skip
    assert "Die Haushaltsstelle wurde gespeichert." in response.content.decode()
    line = BudgetLine.objects.get(municipality=finance_world.municipality, code="61000")
    assert line.name == "Lizenzen Schulen"
    assert set(line.projects.all()) == {finance_world.p0, finance_world.p1}
    amounts = {a.year: a.amount_eur for a in BudgetAmount.objects.filter(budget_line=line)}
    assert amounts == {finance_world.year: D(amount), finance_world.year + 1: D("500.00")}
    assert line.history.first().history_user == finance


def test_saving_a_budget_line_again_changes_its_amounts(finance_world, client_of, admin):
    client = client_of(admin)
    client.post(BASE + "haushalt/", budget_post(finance_world, y0="1.000,00"))
    client.post(BASE + "haushalt/", budget_post(finance_world, y0="2.000,50", y2="10"))
    line = BudgetLine.objects.get(code="61000")
    assert {a.year: a.amount_eur for a in line.amounts.all()} == {
        finance_world.year: D("2000.50"), finance_world.year + 2: D("10.00")}  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("zwölf", "Geben Sie die Beträge als Zahlen ein."),
        ("-5", "Veranschlagte Beträge dürfen nicht negativ sein."),
        ("1,2,3", "Geben Sie die Beträge als Zahlen ein."),
        ("Infinity", "Geben Sie die Beträge als Zahlen ein."),
        ("NaN", "Geben Sie die Beträge als Zahlen ein."),
        ("12.5001", "höchstens 2 Dezimalstellen"),  # not silently 12.50
    ],
)
def test_budget_line_with_a_bad_amount_shows_an_error_and_saves_nothing(
    finance_world, client_of, finance, typed, message
):
    lines = BudgetLine.objects.count()
    response = client_of(finance).post(BASE + "haushalt/", budget_post(finance_world, y0=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BudgetLine.objects.count() == lines
    assert not BudgetLine.objects.filter(code="61000").exists()


@pytest.mark.parametrize("persona", ["staff", "council", "reader"])
def test_budget_lines_are_managed_by_finance_and_the_office_only(finance_world, request, client_of, persona):
    client = client_of(request.getfixturevalue(persona))
    response = client.post(BASE + "haushalt/", budget_post(finance_world, y0="1.234,56"))
    assert response.status_code == 403
    assert "Ihre Rolle erlaubt das nicht." in response.content.decode()
    assert not BudgetLine.objects.filter(code="61000").exists()
    assert "Haushaltsstelle anlegen oder ändern" not in client.get(BASE + "haushalt/").content.decode()

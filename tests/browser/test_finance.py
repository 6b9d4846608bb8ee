"""The finance part in a real browser: every page type as a finance user, entering a project's costs and a
grant that ends before its running costs do until the funding cliff shows, and the citizen who is kept out.

Demo data (``stadtlotse.finance.demo``): Plauen's P-01 and P-03 have costs, a grant and a budget line;
P-02 "Cloud-Arbeitsplatz" has no money entered yet, and the example programmes "Digitale Verwaltung
Sachsen" and "Modellprojekte Smart Cities" match it.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from stadtlotse.finance.models import CostItem, Grant
from stadtlotse.portfolio.models import Project

CLOUD = "Cloud-Arbeitsplatz"  # P-02, no money entered yet
SMART_CITIES = "Modellprojekte Smart Cities (Beispiel)"  # 65 %, investment, operating and personnel
# The years of the scenario, relative to today as the pages' horizons are (2026: grant 2026–2027, cliff 2028).
Y = date.today().year
FIRST, GRANT_END, CLIFF, LAST = str(Y), str(Y + 1), str(Y + 2), str(Y + 6)


def _project(external_id: str) -> Project:
    return Project.objects.get(municipality__slug="plauen", external_id=external_id)


def _paths() -> dict[str, str]:
    central = _project("P-01").pk
    return {
        "finance-plan": "/plauen/intern/finanzen/",
        "finance-plan-filtered": f"/plauen/intern/finanzen/?start=2024&end=2030&scenario=planned&project={central}",
        "finance-medium-term": "/plauen/intern/finanzen/mittelfristig/",
        "finance-long-term": "/plauen/intern/finanzen/langfristig/",
        "finance-programmes": "/plauen/intern/finanzen/foerderprogramme/",
        "finance-budget": "/plauen/intern/finanzen/haushalt/",
        "finance-rates": "/plauen/intern/finanzen/saetze/",
        "finance-project": f"/plauen/intern/finanzen/projekt/{central}/",
        "finance-project-empty": f"/plauen/intern/finanzen/projekt/{_project('P-02').pk}/",
    }


PAGES = [
    "finance-plan", "finance-plan-filtered", "finance-medium-term", "finance-long-term", "finance-programmes",
    "finance-budget", "finance-rates", "finance-project", "finance-project-empty",
]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_finance_page_is_accessible_for_the_finance_office(visit, name):
    visit.login("plauen-finanzen")
    visit.goto(_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    expect(visit.page.get_by_role("navigation", name="Ansichten der Finanzen")).to_be_visible()
    visit.check(name)


def _form(page, heading: str):
    """The form under its heading (the three forms of the project page share labels like "Erstes Jahr")."""
    return page.locator("form").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _add_cost(page, kind, category, description, amount, first, last):
    form = _form(page, "Kostenposition hinzufügen")
    form.get_by_label("Art", exact=True).select_option(label=kind)
    form.get_by_label("Kategorie").select_option(label=category)
    form.get_by_label("Beschreibung").fill(description)
    form.get_by_label("Betrag pro Jahr (EUR)").fill(amount)
    form.get_by_label("Erstes Jahr").fill(first)
    form.get_by_label("Letztes Jahr").fill(last)
    form.get_by_role("button", name="Kostenposition hinzufügen").click()
    expect(page.get_by_role("status").filter(has_text="Gespeichert.")).to_be_visible()


def test_finance_office_enters_costs_and_a_grant_and_sees_the_funding_cliff(visit):
    page = visit.page
    visit.login("plauen-finanzen")
    visit.goto("/plauen/intern/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Finanzen").click()
    expect(page.get_by_role("heading", name="Finanzplan", level=1)).to_be_visible()
    # The project's finance page is reached through the programmes that could fund it.
    page.get_by_role("navigation", name="Ansichten der Finanzen").get_by_role("link", name="Förderprogramme").click()
    page.get_by_role("main").get_by_role("link", name=CLOUD, exact=True).click()
    expect(page.get_by_role("heading", name=CLOUD, level=1)).to_be_visible()
    cliff = page.get_by_role("region", name="Förderabbruchkante")
    expect(cliff).to_contain_text("Kein Projekt hat in diesem Zeitraum laufende Kosten nach dem Ende seiner Förderung.")

    _add_cost(page, "Investition", "Hardware", "Thin Clients", "50000", FIRST, FIRST)
    costs = page.get_by_role("region", name="Kostenpositionen").get_by_role("listitem")
    expect(costs).to_have_count(1)
    expect(costs.first).to_contain_text(f"Investition / Hardware: Thin Clients – 50.000 EUR {FIRST}")

    _add_cost(page, "Betrieb / laufend", "Software und Lizenzen", "Cloud-Lizenzen", "10000", FIRST, LAST)
    expect(costs).to_have_count(2)
    expect(costs.filter(has_text="Cloud-Lizenzen")).to_contain_text(
        f"Betrieb / laufend / Software und Lizenzen: Cloud-Lizenzen – 10.000 EUR pro Jahr {FIRST}–{LAST}"
    )
    # Running costs without any grant are no funding cliff.
    expect(cliff.get_by_role("table")).to_have_count(0)

    grant = _form(page, "Fördermittel hinzufügen")
    grant.get_by_label("Förderprogramm").select_option(label=SMART_CITIES)
    grant.get_by_label("Status").select_option(label="genehmigt")
    grant.get_by_label("Beantragt (EUR)").fill("13000")
    grant.get_by_label("Bewilligt (EUR)").fill("13000")
    grant.get_by_role("group", name="Förderfähige Kostenarten").get_by_label("Betrieb / laufend").check()
    grant.get_by_label("Erstes Jahr").fill(FIRST)
    grant.get_by_label("Letztes Jahr").fill(GRANT_END)
    grant.get_by_role("button", name="Fördermittel hinzufügen").click()
    expect(page.get_by_role("status").filter(has_text="Gespeichert.")).to_be_visible()
    grants = page.get_by_role("region", name="Fördermittel").get_by_role("listitem")
    expect(grants).to_have_count(1)
    expect(grants.first).to_contain_text(f"{SMART_CITIES}: genehmigt, 65 %")
    expect(grants.first).to_contain_text(f"{FIRST}–{GRANT_END}, genehmigt 13.000 EUR")
    expect(grants.first).to_contain_text("zahlt 13.000 EUR")  # 65 % of 10.000 EUR operating costs, two years

    # The plan per year: the grant pays in its two years only, and for the running costs only.
    plan = page.get_by_role("table", name="Der Finanzplan pro Jahr, in EUR")
    for year, values in {
        FIRST: ["50.000", "10.000", "0", "6.500", "53.500"],
        GRANT_END: ["0", "10.000", "0", "6.500", "3.500"],
        CLIFF: ["0", "10.000", "0", "0", "10.000"],
    }.items():
        row = plan.get_by_role("row").filter(has=page.get_by_role("rowheader", name=year, exact=True))
        expect(row.get_by_role("cell").nth(0)).to_have_text(values[0])  # investment
        expect(row.get_by_role("cell").nth(1)).to_have_text(values[1])  # operating
        expect(row.get_by_role("cell").nth(2)).to_have_text(values[2])  # personnel
        expect(row.get_by_role("cell").nth(3)).to_have_text(values[3])  # grants
        expect(row.get_by_role("cell").nth(4)).to_have_text(values[4])  # own share

    # The funding cliff: from the year after the grant the running costs stand alone, nothing covers them.
    table = cliff.get_by_role("table", name="Laufende Kosten, die nach dem Ende der Förderung bleiben")
    expect(table.get_by_role("columnheader")).to_have_text([
        "Projekt", "Letztes Förderjahr", "Erstes Jahr ohne Förderung", "Laufende Kosten",
        "Gedeckt durch Einsparungen", "Gedeckt durch Haushaltsstellen", "Nicht gedeckt",
    ])  # fmt: skip
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=CLOUD))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_text([GRANT_END, CLIFF, "10.000", "0", "0", "10.000"])
    expect(table.get_by_role("row")).to_have_count(2)  # the header and this project only
    visit.check("flow-finance-cliff")

    # The long-term view lists it too, with 10.000 EUR uncovered in each year from the cliff to the last year.
    page.get_by_role("navigation", name="Ansichten der Finanzen").get_by_role(
        "link", name="Langfristige Finanzierung und Förderabbruchkante"
    ).click()
    expect(
        page.get_by_role("heading", name="Langfristige Finanzierung und Förderabbruchkante", level=1)
    ).to_be_visible()
    cliffs = page.get_by_role("region", name="Förderabbruchkante").get_by_role("table")
    row = cliffs.get_by_role("row").filter(has=page.get_by_role("rowheader", name=CLOUD))
    expect(row.get_by_role("cell")).to_have_text([GRANT_END, CLIFF, "10.000", "0", "0", "10.000"])
    per_year = page.get_by_role("table", name=re.compile("pro Projekt und Jahr"))
    headers = per_year.get_by_role("columnheader").all_inner_texts()
    row = per_year.get_by_role("row").filter(has=page.get_by_role("rowheader", name=CLOUD))
    cells = row.get_by_role("cell").all_inner_texts()
    by_year = dict(zip(headers[1:], cells, strict=True))
    assert [by_year[str(y)] for y in range(Y + 2, Y + 7)] == ["10.000"] * 5, by_year
    assert by_year[GRANT_END] == "–" and by_year["Summe"] == "50.000", by_year
    visit.check("flow-finance-long-term")

    project = _project("P-02")
    items = CostItem.objects.filter(project=project).values_list("kind", "amount_eur", "first_year", "last_year")
    assert sorted(items) == [("investment", 50000, Y, Y), ("operating", 10000, Y, Y + 6)]
    grant = Grant.objects.get(project=project)
    assert (grant.status, grant.eligible_kinds, grant.first_year, grant.last_year) == (
        "approved",
        "operating",
        Y,
        Y + 1,
    )


def test_the_bars_of_one_year_do_not_overlap_the_next_year_in_the_chart(visit):
    visit.login("plauen-finanzen")
    visit.goto(f"/plauen/intern/finanzen/projekt/{_project('P-01').pk}/")
    chart = visit.page.get_by_role("img", name=re.compile("^Kosten, Fördermittel und Eigenanteil pro Jahr"))
    expect(chart).to_be_visible()
    # Five bars per year in document order: investment, operating, personnel, grants, own share.
    bars = chart.locator("rect").evaluate_all(
        "rects => rects.map(r => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))])"
    )
    years = [bars[i : i + 5] for i in range(0, len(bars), 5)]
    assert len(years) == 13, len(years)
    overlaps = [
        (i, this[4], following[0])
        for i, (this, following) in enumerate(zip(years, years[1:], strict=False))
        if this[4][0] + this[4][1] > following[0][0]
    ]
    assert overlaps == [], overlaps


def test_a_citizen_gets_the_no_access_page_for_the_finances(visit):
    visit.login("plauen-buerger")
    visit.goto("/plauen/intern/finanzen/", 403)
    expect(visit.page.get_by_role("heading", name=re.compile("Kein Zugang"))).to_be_visible()
    expect(visit.page.get_by_role("navigation", name="Ansichten der Finanzen")).to_have_count(0)
    expect(visit.page.get_by_text("Förderabbruchkante")).to_have_count(0)
    visit.check("finance-forbidden")

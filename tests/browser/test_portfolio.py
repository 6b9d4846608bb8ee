"""The project portfolio in a real browser: every page type, creating and assessing a project until it
shows as a quick win in ranking and matrix, and a dependency cycle that is refused.

Demo data (``stadtlotse.portfolio.demo``): Sindelfingen has five public projects, the dependencies
S-01 → S-04 and S-01 → S-02 (S-04 and S-02 build on S-01) and the public decision on workplace hardware.
"""

import re

import pytest
from playwright.sync_api import expect

from stadtlotse.portfolio.models import Assessment, Decision, Dependency, Project

DMS = "Dokumentenmanagementsystem"  # S-01
SESSION_PAPERS = "Digitale Sitzungsunterlagen für den Gemeinderat"  # S-04, builds on S-01

# The default criteria as the assessment form labels them, with the scores of a quick win.
QUICK_WIN_SCORES = {
    "Nutzen für Bürgerinnen und Bürger": "5",
    "Effizienzgewinn der Verwaltung": "5",
    "Gesetzliche Pflicht und Dringlichkeit": "5",
    "Beitrag zur Strategie": "5",
    "Aufwand und Ressourcen": "0",
    "Notwendige Strukturveränderung": "0",
}


def _project(external_id: str) -> Project:
    return Project.objects.get(municipality__slug="sindelfingen", external_id=external_id)


def _public_paths() -> dict[str, str]:
    decision = Decision.objects.get(municipality__slug="sindelfingen")
    return {
        "portfolio-public-list": "/sindelfingen/projekte/",
        "portfolio-project": f"/sindelfingen/projekte/{_project('S-01').pk}/",
        "portfolio-public-ranking": "/sindelfingen/projekte/prioritaeten/",
        "portfolio-roadmap": "/sindelfingen/projekte/fahrplan/",
        "portfolio-decisions": "/sindelfingen/projekte/entscheidungen/",
        "portfolio-decision": f"/sindelfingen/projekte/entscheidungen/{decision.pk}/",
    }


def _internal_paths() -> dict[str, str]:
    project = _project("S-01")
    return {
        "portfolio-list": "/sindelfingen/intern/projekte/",
        "portfolio-manage": f"/sindelfingen/intern/projekte/{project.pk}/",
        "portfolio-create": "/sindelfingen/intern/projekte/neu/",
        "portfolio-edit": f"/sindelfingen/intern/projekte/{project.pk}/bearbeiten/",
        "portfolio-ranking": "/sindelfingen/intern/projekte/prioritaeten/",
        "portfolio-sequencing": "/sindelfingen/intern/projekte/reihenfolge/",
        "portfolio-criteria": "/sindelfingen/intern/projekte/kriterien/",
        "portfolio-templates": "/sindelfingen/intern/projekte/vorlagen/",
        "portfolio-import": "/sindelfingen/intern/projekte/import/",
    }


PUBLIC_PAGES = [
    "portfolio-public-list", "portfolio-project", "portfolio-public-ranking", "portfolio-roadmap",
    "portfolio-decisions",
    "portfolio-decision",
]  # fmt: skip
INTERNAL_PAGES = [
    "portfolio-list", "portfolio-manage", "portfolio-create", "portfolio-edit", "portfolio-ranking",
    "portfolio-sequencing", "portfolio-criteria", "portfolio-templates", "portfolio-import",
]  # fmt: skip


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_portfolio_page_is_accessible(visit, name):
    visit.goto(_public_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    if name == "portfolio-public-ranking":
        expect(visit.page.get_by_role("img", name="Wirkungs-Aufwands-Matrix")).to_be_visible()
        expect(visit.page.locator("svg.sl-chart circle")).to_have_count(5)
    visit.check(name)


@pytest.mark.parametrize("name", INTERNAL_PAGES)
def test_internal_portfolio_page_is_accessible(visit, name):
    visit.login("sindelfingen-admin")
    visit.goto(_internal_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    if name == "portfolio-import":
        expect(visit.page.get_by_text("Schritt 1 von 2", exact=False)).to_be_visible()
    visit.check(name)


def test_admin_creates_and_assesses_a_project_that_becomes_a_quick_win(visit):
    page = visit.page
    title = "Online-Bürgerterminbuchung für das Standesamt"
    visit.login("sindelfingen-admin")
    visit.goto("/sindelfingen/intern/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Projekte").click()
    page.get_by_role("link", name="Neues Projekt").click()
    expect(page.get_by_role("heading", name="Neues Projekt", level=1)).to_be_visible()

    form = page.locator("form").filter(has=page.get_by_role("button", name="Projekt anlegen"))
    form.get_by_label("Titel", exact=True).fill(title)
    form.get_by_label("Federführendes Amt").select_option(label="12 Amt für Digitalisierung")
    form.get_by_label("Sichtbarkeit").select_option(label="öffentlich")
    form.get_by_label("Geplanter Beginn").fill("2027-02-01")
    form.get_by_label("Geplantes Ende").fill("2027-04-30")
    form.get_by_role("button", name="Projekt anlegen").click()

    expect(page.get_by_role("status").filter(has_text="Das Projekt wurde angelegt.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assessment = page.locator("#assess")
    for criterion, score in QUICK_WIN_SCORES.items():
        assessment.get_by_label(f"Bewertung: {criterion}", exact=True).fill(score)
    assessment.get_by_label("Begründung: Nutzen für Bürgerinnen und Bürger").fill("Häufigste Anfrage im Bürgerbüro")
    assessment.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_role("status").filter(has_text="Die Bewertung wurde gespeichert.")).to_be_visible()
    expect(page.get_by_label("Bewertung: Nutzen für Bürgerinnen und Bürger", exact=True)).to_have_value("5")
    visit.check("flow-portfolio-assessed")

    project = Project.objects.get(title=title)
    assert (project.visibility, project.lead_department.code) == ("public", "12")
    assert Assessment.objects.filter(project=project).count() == len(QUICK_WIN_SCORES)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Projekte").click()
    page.get_by_role("navigation", name="Ansichten des Portfolios").get_by_role(
        "link", name="Prioritäten und Matrix"
    ).click()
    expect(page.get_by_role("heading", name="Rangliste")).to_be_visible()

    row = (
        page.get_by_role("table", name=re.compile("Rangliste"))
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(title))))
    )
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_contain_text("Quick Win")
    number = row.get_by_role("cell").first.inner_text().strip()
    assert number.isdigit(), number

    matrix = page.get_by_role("img", name="Wirkungs-Aufwands-Matrix")
    expect(matrix).to_be_visible()
    point = matrix.locator("g").filter(has=page.locator("text", has_text=re.compile(f"^{number}$")))
    expect(point).to_have_count(1)
    expect(point.locator("circle")).to_have_count(1)
    expect(point.locator("circle")).to_have_attribute("fill", "#1f7a3a")  # the quick-win colour
    rows = page.get_by_role("table", name=re.compile("Rangliste")).locator("tbody tr")
    expect(matrix.locator("circle")).to_have_count(rows.count())
    visit.check("flow-portfolio-ranking")


def test_a_dependency_that_would_close_a_cycle_is_refused_by_name(visit):
    page = visit.page
    dms = _project("S-01")
    before = set(Dependency.objects.filter(municipality=dms.municipality).values_list("foundation", "dependent"))
    visit.login("sindelfingen-admin")
    visit.goto("/sindelfingen/intern/projekte/")
    # The table's link (a reminder of missing status reports above it may link the project too).
    page.get_by_role("table", name="Projekte").get_by_role("link", name=DMS, exact=True).click()
    expect(page.get_by_role("heading", name=DMS, level=1)).to_be_visible()
    dependencies = page.get_by_role("region", name="Abhängigkeiten")
    expect(dependencies).to_contain_text("Baut auf: –")

    form = page.locator("form").filter(has=page.get_by_role("button", name="Abhängigkeit hinzufügen"))
    form.get_by_label("Dieses Projekt baut auf").select_option(label=SESSION_PAPERS)
    form.get_by_label("Anmerkung").fill("Kreis zum Test")
    form.get_by_role("button", name="Abhängigkeit hinzufügen").click()

    alert = page.get_by_role("alert").filter(has_text="Das ergäbe einen Kreis")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(f"{SESSION_PAPERS} → {DMS} → {SESSION_PAPERS}")
    visit.check("flow-portfolio-cycle")

    assert (
        set(Dependency.objects.filter(municipality=dms.municipality).values_list("foundation", "dependent")) == before
    )
    visit.goto(f"/sindelfingen/intern/projekte/{dms.pk}/")
    expect(page.get_by_role("region", name="Abhängigkeiten")).to_contain_text("Baut auf: –")
    expect(page.get_by_role("alert")).to_have_count(0)

"""The strategy in a real browser: every page type, editing a draft and comparing it, and what citizens see.

Demo data (``stadtlotse.strategy.demo``): Plauen has an adopted version 1 and an internal draft
version 2; Sindelfingen an adopted version 1 and version 2 in public consultation.
"""

import re

import pytest
from playwright.sync_api import expect

from stadtlotse.strategy.models import Goal, Indicator, Section, Strategy, StrategyVersion

ADOPTED_GOAL = "IT-Strukturen der Stadtverwaltung zentralisieren"
DRAFT_LABEL = "Fortschreibung IT-Strategie 2028"
DRAFT_ONLY_GOAL = "Sachstandsbericht zweimal jährlich veröffentlichen"
OLD_TARGET, NEW_TARGET = "2026-12-31", "2027-06-30"  # the target date of ADOPTED_GOAL, before and after


def _strategy(slug: str) -> Strategy:
    return Strategy.objects.get(municipality__slug=slug)


def _version(slug: str, status: str) -> StrategyVersion:
    return StrategyVersion.objects.get(strategy__municipality__slug=slug, status=status)


def _public_paths() -> dict[str, str]:
    plauen, sindelfingen = _strategy("plauen"), _strategy("sindelfingen")
    adopted = _version("plauen", "adopted")
    return {
        "strategy-list": "/plauen/strategie/",
        "strategy-detail": f"/plauen/strategie/{plauen.pk}/",
        "strategy-version": f"/plauen/strategie/{plauen.pk}/version/{adopted.pk}/",
        "strategy-version-consultation": (
            f"/sindelfingen/strategie/{sindelfingen.pk}/version/{_version('sindelfingen', 'consultation').pk}/"
        ),
        "strategy-compare-public": f"/sindelfingen/strategie/{sindelfingen.pk}/vergleich/",
    }


def _internal_paths() -> dict[str, str]:
    plauen = _strategy("plauen")
    adopted, draft = _version("plauen", "adopted"), _version("plauen", "draft")
    goal = Goal.objects.get(version=draft, title=ADOPTED_GOAL)
    indicator = Indicator.objects.filter(version=draft, goal=goal).first()
    section = Section.objects.filter(version=draft).first()
    return {
        "strategy-compare-draft": f"/plauen/strategie/{plauen.pk}/vergleich/?a={adopted.pk}&b={draft.pk}",
        "strategy-manage-list": "/plauen/intern/strategie/",
        "strategy-manage": f"/plauen/intern/strategie/{plauen.pk}/",
        "strategy-version-edit": f"/plauen/intern/strategie/version/{draft.pk}/",
        "strategy-version-edit-adopted": f"/plauen/intern/strategie/version/{adopted.pk}/",
        "strategy-field-edit": f"/plauen/intern/strategie/handlungsfeld/{goal.field_of_action_id}/",
        "strategy-goal-edit": f"/plauen/intern/strategie/ziel/{goal.pk}/",
        "strategy-goal-edit-adopted": (
            f"/plauen/intern/strategie/ziel/{Goal.objects.get(version=adopted, title=ADOPTED_GOAL).pk}/"
        ),
        "strategy-indicator-edit": f"/plauen/intern/strategie/kennzahl/{indicator.pk}/",
        "strategy-section-edit": f"/plauen/intern/strategie/abschnitt/{section.pk}/",
    }


PUBLIC_PAGES = [
    "strategy-list", "strategy-detail", "strategy-version", "strategy-version-consultation", "strategy-compare-public",
]  # fmt: skip
INTERNAL_PAGES = [
    "strategy-compare-draft", "strategy-manage-list", "strategy-manage", "strategy-version-edit",
    "strategy-version-edit-adopted", "strategy-field-edit", "strategy-goal-edit", "strategy-goal-edit-adopted",
    "strategy-indicator-edit", "strategy-section-edit",
]  # fmt: skip


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_strategy_page_is_accessible(visit, name):
    visit.goto(_public_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    visit.check(name)


@pytest.mark.parametrize("name", INTERNAL_PAGES)
def test_internal_strategy_page_is_accessible(visit, name):
    visit.login("plauen-admin")
    visit.goto(_internal_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    visit.check(name)


def test_admin_edits_a_goal_of_the_draft_and_sees_it_in_the_comparison(visit):
    page = visit.page
    new_title = "IT-Strukturen der Stadtverwaltung bündeln und vereinheitlichen"
    visit.login("plauen-admin")
    visit.goto("/plauen/intern/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Strategie").click()
    expect(page.get_by_role("heading", name="Strategie", level=1)).to_be_visible()
    page.get_by_role("link", name="Digitalagenda Plauen").click()
    expect(page.get_by_text("Versionen und ihr Lebenszyklus")).to_be_visible()
    page.get_by_role("link", name=re.compile(f"Version 2 – {DRAFT_LABEL}")).click()
    expect(page.get_by_text("Entwurf", exact=True).first).to_be_visible()

    page.get_by_role("link", name=ADOPTED_GOAL).click()
    expect(page.get_by_role("heading", name=ADOPTED_GOAL, level=1)).to_be_visible()
    # The goal's own form (the page also has a form to add an indicator, with its own "Zieldatum").
    form = page.locator("form").filter(has=page.get_by_role("button", name="Speichern", exact=True))
    expect(form.get_by_label("Zieldatum")).to_have_value(OLD_TARGET)
    expect(form.get_by_label("Status")).to_have_value("in_progress")
    form.get_by_label("Ziel", exact=True).fill(new_title)
    form.get_by_label("Zieldatum").fill(NEW_TARGET)
    form.get_by_label("Status").select_option(label="erreicht")
    form.get_by_role("button", name="Speichern", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Gespeichert.")).to_be_visible()
    expect(page.get_by_role("heading", name=new_title, level=1)).to_be_visible()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Speichern", exact=True))
    expect(form.get_by_label("Ziel", exact=True)).to_have_value(new_title)
    expect(form.get_by_label("Zieldatum")).to_have_value(NEW_TARGET)
    expect(form.get_by_label("Status").locator("option:checked")).to_have_text("erreicht")
    visit.check("flow-strategy-goal-saved")

    page.get_by_role("link", name="Zurück zur Version").click()
    expect(page.get_by_role("link", name=new_title)).to_be_visible()
    page.get_by_role("link", name="Alle Versionen").click()
    page.get_by_role("link", name="Versionen vergleichen").click()
    expect(page.get_by_role("heading", name="Versionen vergleichen", level=1)).to_be_visible()
    page.get_by_label("Ältere Version").select_option(label="Version 1 (beschlossen)")
    page.get_by_label("Neuere Version").select_option(label="Version 2 (Entwurf)")
    page.get_by_role("button", name="Vergleichen").click()
    expect(page.get_by_text("Änderungen von Version 1 zu Version 2")).to_be_visible()

    # Side by side: the row of the goal has the old values in the column "Version 1" and the new ones in
    # the column "Version 2", each changed field once, in the same order.
    table = page.get_by_role("table", name="Vergleich der beiden Versionen, Eintrag für Eintrag")
    headers = table.get_by_role("columnheader")
    expect(headers).to_have_text(["Eintrag", "Änderung", "Version 1", "Version 2"])
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=f"Ziel: {new_title}"))
    expect(row).to_have_count(1)
    change, before, after = row.get_by_role("cell").all()
    expect(change).to_have_text("geändert")
    expect(before.get_by_role("deletion")).to_have_text([ADOPTED_GOAL, OLD_TARGET, "in Arbeit"])
    expect(after.get_by_role("insertion")).to_have_text([new_title, NEW_TARGET, "erreicht"])
    expect(before.get_by_role("insertion")).to_have_count(0)
    expect(after.get_by_role("deletion")).to_have_count(0)
    # Old and new value really stand next to each other: same line, the new one to the right.
    old_box, new_box = (
        before.get_by_role("deletion").nth(1).bounding_box(),
        after.get_by_role("insertion").nth(1).bounding_box(),
    )
    assert new_box["x"] > old_box["x"] + old_box["width"], (old_box, new_box)
    assert abs(new_box["y"] - old_box["y"]) < 2, (old_box, new_box)
    visit.check("flow-strategy-compare")

    # The adopted version is untouched.
    adopted_goal = Goal.objects.get(version=_version("plauen", "adopted"), title=ADOPTED_GOAL)
    assert (adopted_goal.target_date.isoformat(), adopted_goal.status) == (OLD_TARGET, "in_progress")
    draft_goal = Goal.objects.get(version=_version("plauen", "draft"), title=new_title)
    assert (draft_goal.target_date.isoformat(), draft_goal.status) == (NEW_TARGET, "achieved")


def test_the_comparison_names_the_changed_fields_in_the_page_language(visit):
    plauen = _strategy("plauen")
    adopted, draft = _version("plauen", "adopted"), _version("plauen", "draft")
    visit.login("plauen-admin")
    visit.goto(f"/plauen/strategie/{plauen.pk}/vergleich/?a={adopted.pk}&b={draft.pk}")
    table = visit.page.get_by_role("table", name="Vergleich der beiden Versionen, Eintrag für Eintrag")
    row = table.get_by_role("row").filter(has=visit.page.get_by_role("rowheader", name=f"Ziel: {DRAFT_ONLY_GOAL}"))
    terms = row.locator("dt").all_inner_texts()
    assert "Zieldatum" in terms, terms
    assert not {"title", "target_date", "status"} & set(terms), terms


def test_citizen_sees_the_adopted_version_and_never_the_draft(visit):
    page = visit.page
    plauen = _strategy("plauen")
    draft = _version("plauen", "draft")
    draft_goal = Goal.objects.get(version=draft, title=DRAFT_ONLY_GOAL)
    visit.login("plauen-buerger")

    visit.goto("/plauen/strategie/")
    expect(page.get_by_role("link", name="Digitalagenda Plauen")).to_be_visible()
    expect(page.get_by_text("Version 1")).to_be_visible()
    expect(page.get_by_text("Version 2")).to_have_count(0)
    page.get_by_role("link", name="Digitalagenda Plauen").click()

    expect(page.get_by_role("heading", name="Digitalagenda Plauen", level=1)).to_be_visible()
    expect(page.get_by_text("Version 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Beschlossen am")).to_be_visible()
    expect(page.get_by_role("heading", name=ADOPTED_GOAL)).to_be_visible()
    content = page.locator("main").inner_text()
    for hidden in (DRAFT_LABEL, DRAFT_ONLY_GOAL, "Souveräne Cloud", "Version 2", "Entwurf"):
        assert hidden not in content, hidden
    expect(page.get_by_role("link", name="Versionen vergleichen")).to_have_count(0)
    expect(page.get_by_role("link", name="Im Arbeitsbereich bearbeiten")).to_have_count(0)
    visit.check("strategy-citizen")

    # The draft's address, asked for directly, and a comparison that names it, do not reveal it.
    visit.goto(f"/plauen/strategie/{plauen.pk}/version/{draft.pk}/", 404)
    expect(page.get_by_text(DRAFT_LABEL)).to_have_count(0)
    visit.check("strategy-draft-not-found")
    visit.goto(f"/plauen/strategie/{plauen.pk}/vergleich/?b={draft.pk}")
    assert DRAFT_ONLY_GOAL not in page.locator("main").inner_text()
    visit.goto(f"/plauen/intern/strategie/ziel/{draft_goal.pk}/", 403)

"""Participation in a real browser: a citizen registers, comments on a section of Sindelfingen's
draft, the office answers and sets a status, and the citizen sees both; every page type is
checked with axe-core.

Demo data (``stadtlotse.participation.demo``): Sindelfingen's draft in consultation has an open
phase with comments, the office's answer, supports, a hidden comment and ideas.
"""

import pytest
from playwright.sync_api import expect

from stadtlotse.participation import guard
from stadtlotse.participation.models import Contribution, Phase

PASSWORD = "Lange-Sichere-Phrase-42"


@pytest.fixture
def quick_forms(monkeypatch):
    # The minimum fill time is tested in tests/participation; a browser fills forms at once.
    monkeypatch.setattr(guard, "MIN_FILL_SECONDS", 0)


def test_citizen_registers_comments_and_sees_the_official_answer(visit, quick_forms):
    phase = Phase.objects.get(municipality__slug="sindelfingen")
    page = visit.page
    visit.goto("/sindelfingen/beteiligung/")
    visit.check("participation-index")
    visit.goto("/sindelfingen/beteiligung/registrieren/")
    visit.check("participation-register")
    page.get_by_label("Benutzername").fill("neue-buergerin")
    page.get_by_label("E-Mail-Adresse").fill("neu@example.org")
    page.get_by_label("Pseudonym").fill("Neue Stimme")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung)").fill(PASSWORD)
    page.get_by_label("Ich akzeptiere die Verhaltensregeln.").check()
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_text("Ihr Konto wurde angelegt")).to_be_visible()

    visit.goto(f"/sindelfingen/beteiligung/phase/{phase.pk}/")
    visit.check("participation-phase")
    page.get_by_label("Bezug").select_option(label="Digitallotsinnen und -lotsen")
    page.get_by_label("Ihr Kommentar").fill("Bitte die Schulungstermine der Digitallotsen veröffentlichen.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    expect(page.get_by_text("Ihr Kommentar wurde veröffentlicht")).to_be_visible()
    comment = Contribution.objects.get(text__startswith="Bitte die Schulungstermine")
    assert comment.section.heading == "Digitallotsinnen und -lotsen" and comment.author.username == "neue-buergerin"

    page.get_by_role("button", name="Abmelden").click()
    visit.login("sindelfingen-admin")
    visit.goto(f"/sindelfingen/intern/beteiligung/beitrag/{comment.pk}/")
    visit.check("participation-manage")
    page.get_by_label("Antwort der Verwaltung").fill("Vielen Dank für Ihre Anregung. Die Termine folgen.")
    page.locator("form", has_text="Öffentlich antworten").get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Gespeichert.", exact=True)).to_be_visible()
    page.get_by_label("Status", exact=True).select_option(label="in Prüfung")
    page.locator("form", has_text="Status setzen").get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Gespeichert.", exact=True)).to_be_visible()
    visit.goto("/sindelfingen/intern/beteiligung/")
    visit.check("participation-workspace")
    page.get_by_role("button", name="Abmelden").click()
    visit.login("neue-buergerin", PASSWORD)

    visit.goto(f"/sindelfingen/beteiligung/beitrag/{comment.pk}/")
    visit.check("participation-contribution")
    expect(page.locator(".sl-reply--official")).to_contain_text("Die Termine folgen.")
    expect(page.locator(".sl-reply--official")).to_contain_text("Antwort der Verwaltung")
    expect(page.get_by_role("heading", name="Statusverlauf")).to_be_visible()
    expect(page.locator("main")).to_contain_text("in Prüfung")
    visit.goto("/konto/benachrichtigungen/")
    expect(page.locator("main")).to_contain_text("Die Verwaltung hat Ihren Beitrag beantwortet")


def test_the_other_pages_pass_axe(visit):
    for name, path in [("participation-ideas", "/sindelfingen/beteiligung/ideen/"),
                       ("participation-rules", "/sindelfingen/beteiligung/regeln/"),
                       ("participation-moderation-log", "/sindelfingen/beteiligung/moderation/")]:  # fmt: skip
        visit.goto(path)
        visit.check(name)
    hidden = Contribution.objects.get(municipality__slug="sindelfingen", moderation="hidden")
    visit.goto(f"/sindelfingen/beteiligung/beitrag/{hidden.pk}/")
    expect(visit.page.locator("main")).to_contain_text("Werbung")
    assert "Günstige Uhren" not in visit.page.content()
    visit.check("participation-hidden")
    visit.login("sindelfingen-anna")
    visit.goto("/sindelfingen/beteiligung/meine-daten/")
    visit.check("participation-my-data")

"""Tasks as a person does them: sign in, navigate, fill in forms, read the result."""

import re

from playwright.sync_api import expect

from stadtlotse.core.models import Announcement


def test_admin_publishes_an_announcement_and_finds_its_history(visit):
    page = visit.page
    visit.login("plauen-admin")
    visit.goto("/plauen/")
    page.get_by_role("link", name="Arbeitsbereich").click()
    expect(page.get_by_role("heading", name="Arbeitsbereich")).to_be_visible()
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Mitteilungen").click()

    page.get_by_label("Titel").fill("Breitband für alle Schulen")
    page.get_by_label("Text").fill("Der Ausbau beginnt im Frühjahr.")
    page.get_by_label("Sichtbarkeit").select_option("public")
    page.get_by_label("Datum").fill("2026-11-20")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Mitteilung wurde gespeichert.")).to_be_visible()
    visit.check("flow-announcement-saved")

    page.get_by_role("link", name=re.compile("Bearbeiten.*Breitband")).click()
    page.get_by_label("Titel").fill("Breitband für alle Grundschulen")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("link", name=re.compile("Verlauf.*Breitband")).click()
    expect(page.get_by_role("cell", name="Breitband für alle Schulen")).to_be_visible()
    expect(page.get_by_role("cell", name="Breitband für alle Grundschulen")).to_be_visible()
    visit.check("flow-history")

    # The public portal shows it to an anonymous visitor after signing out.
    page.get_by_role("button", name="Abmelden").click()
    visit.goto("/plauen/")
    expect(page.get_by_role("link", name="Breitband für alle Grundschulen")).to_be_visible()
    assert Announcement.objects.filter(title="Breitband für alle Grundschulen", visibility="public").exists()


def test_form_errors_are_shown_next_to_the_field_and_nothing_is_saved(visit):
    page = visit.page
    visit.login("plauen-admin")
    visit.goto("/plauen/intern/abteilungen/")
    count = page.locator("tbody tr").count()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Dieses Feld ist zwingend erforderlich.")).to_be_visible()
    expect(page.get_by_label(re.compile("^Name"))).to_have_attribute("aria-invalid", "true")
    visit.check("flow-form-error")
    assert page.locator("tbody tr").count() == count


def test_language_switch_turns_the_page_english(visit):
    page = visit.page
    visit.goto("/plauen/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Topics")).to_be_visible()
    visit.check("portal-english")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", name="Themen")).to_be_visible()


def test_keyboard_user_reaches_the_content_with_the_skip_link(visit):
    page = visit.page
    visit.goto("/plauen/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

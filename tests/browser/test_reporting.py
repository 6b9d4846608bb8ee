"""Reporting in a real browser: the office publishes Celle's draft status report, opens the public
edition and downloads its PDF; the cockpit, dashboard, open data, search and comparison pass axe.

Demo data (``stadtlotse.reporting.demo``): Plauen, Sindelfingen and Iserlohn have a published
report and take part in the comparison; Celle has a draft.
"""

import pytest
from playwright.sync_api import expect

from stadtlotse.reporting.models import PeriodReport

PUBLIC_PAGES = ["/plauen/berichte/", "/plauen/berichte/daten/", "/plauen/berichte/daten/projects/",
                "/plauen/berichte/abonnieren/", "/plauen/berichte/suche/?q=Digital", "/plauen/berichte/vergleich/"]


def test_office_publishes_a_report_and_downloads_its_pdf(visit):
    draft = PeriodReport.objects.get(municipality__slug="celle")
    _login(visit, "celle-admin")
    visit.goto("/celle/intern/berichte/")
    visit.check("reporting-cockpit")
    visit.page.get_by_role("link", name=draft.title).first.click()
    expect(visit.page.get_by_text("Entwurf: aktuelle Zahlen")).to_be_visible()
    visit.check("reporting-draft")
    visit.page.get_by_role("button", name="Veröffentlichen und einfrieren").click()
    expect(visit.page.get_by_text("Der Bericht ist veröffentlicht")).to_be_visible()
    draft.refresh_from_db()
    assert draft.is_published
    visit.goto(f"/celle/berichte/{draft.pk}/")
    expect(visit.page.get_by_role("heading", name="Zusammenfassung")).to_be_visible()
    visit.check("reporting-public-report")
    link = visit.page.get_by_role("link", name="Als PDF herunterladen")
    response = visit.page.request.get(visit.base_url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def _login(visit, username: str) -> None:
    """Sign in by the form's fields (independent of the language the login page shows)."""
    visit.goto("/konto/anmelden/")
    visit.page.locator("#id_username").fill(username)
    visit.page.locator("#id_password").fill("demo")
    visit.page.locator("form:has(#id_username) button[type=submit]").click()
    visit.page.wait_for_load_state()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe(visit, path):
    visit.goto(path)
    visit.check("reporting" + path.replace("/", "-").replace("?", "-").replace("=", "-"))

"""The online services in a real browser: every page type passes axe-core, and raising a
service's maturity level on its page changes the overview.

Demo data (``stadtlotse.onlineservices.demo``): Celle has nine services assessed by model 1.1, of
which four are OZG-compliant (level 3 or more); "Meldebescheinigung ausstellen" is at level 1
and has no online offer, so it is one of the biggest levers. The e-invoice workflow has been
rolled out department by department.
"""

import re

from playwright.sync_api import expect

from stadtlotse.onlineservices.models import Process, Service

CERTIFICATE = "Meldebescheinigung ausstellen"


def _login(visit, username: str) -> None:
    """Sign in by pressing Enter in the password field (independent of the button's label)."""
    visit.goto("/konto/anmelden/")
    visit.page.locator("input[name=username]").fill(username)
    visit.page.locator("input[name=password]").fill("demo")
    visit.page.locator("input[name=password]").press("Enter")
    visit.page.wait_for_load_state()


def _service(name: str) -> Service:
    return Service.objects.get(municipality__slug="celle", name=name)


def test_public_page_passes_axe_and_links_the_services(visit):
    visit.goto("/celle/onlinedienste/")
    expect(visit.page.get_by_role("link", name="Geburtsurkunde bestellen und bezahlen")).to_have_attribute(
        "href", "https://www.celle.de/urkunden"
    )
    expect(visit.page.get_by_text("Gewerbe anmelden")).to_have_count(0)  # internal service
    visit.check("onlineservices-public")


def test_internal_pages_pass_axe(visit):
    _login(visit, "celle-admin")
    process = Process.objects.get(municipality__slug="celle", name="E-Rechnungs-Workflow")
    for name, path in {
        "onlineservices-list": "/celle/intern/onlinedienste/",
        "onlineservices-detail": f"/celle/intern/onlinedienste/{_service(CERTIFICATE).pk}/",
        "onlineservices-edit": f"/celle/intern/onlinedienste/{_service(CERTIFICATE).pk}/bearbeiten/",
        "onlineservices-overview": "/celle/intern/onlinedienste/uebersicht/",
        "onlineservices-processes": "/celle/intern/onlinedienste/prozesse/",
        "onlineservices-rollout": f"/celle/intern/onlinedienste/prozesse/{process.pk}/",
        "onlineservices-import": "/celle/intern/onlinedienste/import/",
    }.items():
        visit.goto(path)
        visit.check(name)


def test_raising_a_level_changes_the_overview(visit):
    _login(visit, "celle-admin")
    page = visit.page
    visit.goto("/celle/intern/onlinedienste/uebersicht/")
    summary = page.locator("#compliant-summary")
    expect(summary).to_contain_text("4 von 9")
    expect(page.locator("#levers")).to_contain_text(CERTIFICATE)

    visit.goto(f"/celle/intern/onlinedienste/{_service(CERTIFICATE).pk}/")
    form = page.locator("#assess-level")
    form.get_by_label("Reifegradmodell").select_option("1.1")
    form.get_by_label("Reifegrad", exact=True).fill("3")
    form.get_by_label("Bewertet am").fill("2026-06-01")
    form.get_by_role("button", name="Bewertung speichern").click()
    expect(page.locator("#current-level")).to_contain_text("Stufe 3")
    visit.check("onlineservices-detail-raised")

    visit.goto("/celle/intern/onlinedienste/uebersicht/")
    expect(summary).to_contain_text("5 von 9")
    expect(summary).to_contain_text(re.compile(r"55,6\s*%"))
    assert _service(CERTIFICATE).maturity_level == 3


def test_a_level_outside_the_range_is_refused_in_german(visit):
    _login(visit, "celle-admin")
    page = visit.page
    visit.goto(f"/celle/intern/onlinedienste/{_service(CERTIFICATE).pk}/")
    form = page.locator("#assess-level")
    form.get_by_label("Reifegrad", exact=True).fill("5")
    form.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_text("Modell 1.1 hat Stufen von 0 bis 4.").first).to_be_visible()
    assert _service(CERTIFICATE).maturity_level == 1
    visit.check("onlineservices-detail-error")

"""The council in a real browser on the demo data: a visitor follows Plauen's motion Reg.-Nr. 222-21
to the administration's statement and back to its mandate "by mid-December"; the office opens the
mandate; Celle's non-public consultation stays hidden from the public and shows to a member of the
Verwaltungsausschuss. Every page is checked with axe-core and must log no console errors."""

from playwright.sync_api import expect

from stadtlotse.council.models import Meeting, Paper


def _login(visit, username: str) -> None:
    """Sign in through the form by its field names (independent of the login page's wording)."""
    visit.goto("/konto/anmelden/")
    visit.page.locator("input[name=username]").fill(username)
    visit.page.locator("input[name=password]").fill("demo")
    visit.page.locator("main form button[type=submit]").click()
    visit.page.wait_for_load_state()


def _paper(slug: str, reference: str) -> Paper:
    return Paper.objects.get(municipality__slug=slug, reference=reference)


def test_visitor_follows_a_motion_to_its_statement_and_its_mandate(visit):
    motion = _paper("plauen", "222-21")
    visit.goto("/plauen/rat/")
    visit.check("council-public-index")
    visit.page.get_by_role("link", name="Alle Vorlagen").click()
    visit.page.get_by_label("Suche").fill("222-21")
    visit.page.get_by_role("button", name="Suche").click()
    visit.check("council-public-search")
    visit.page.get_by_role("link", name="Erarbeitung einer ganzheitlichen Digitalstrategie").click()
    expect(visit.page.get_by_role("heading", level=1)).to_have_text("Erarbeitung einer ganzheitlichen Digitalstrategie")
    mandates = visit.page.locator("#mandates-heading + div table")
    expect(mandates).to_contain_text("Vorschlag für die Arbeitsgruppe Schulen vorlegen")
    expect(mandates).to_contain_text("15.12.2021")
    expect(mandates).to_contain_text("bis Mitte Dezember")
    visit.check("council-public-motion")
    visit.page.get_by_role("link", name="Stellungnahme 222-21/S").click()
    expect(visit.page.get_by_role("heading", level=1)).to_contain_text("Stellungnahme zum Antrag")
    expect(
        visit.page.get_by_text("Den Vorschlag einer Arbeitsgruppe zum Thema Schulen unterstützen wir gern.")
    ).to_be_visible()
    visit.check("council-public-statement")
    # Back from the statement to the motion it answers.
    visit.page.get_by_role("link", name="Antrag 222-21").click()
    assert visit.page.url.endswith(f"/plauen/rat/vorlagen/{motion.pk}/")


def test_office_opens_the_motions_mandate(visit):
    _login(visit, "plauen-admin")
    visit.goto("/plauen/intern/rat/")
    visit.check("council-index")
    visit.page.get_by_role("link", name="Vorschlag für die Arbeitsgruppe Schulen vorlegen").first.click()
    expect(visit.page.get_by_role("heading", level=1)).to_have_text("Vorschlag für die Arbeitsgruppe Schulen vorlegen")
    expect(visit.page.get_by_text("überfällig", exact=True)).to_be_visible()
    visit.check("council-mandate")
    visit.page.get_by_role("link", name="Antrag 222-21").click()
    expect(visit.page.get_by_role("heading", name="Beratungsfolge")).to_be_visible()
    visit.check("council-paper-internal")


def test_non_public_consultation_is_hidden_from_the_public(visit):
    information = _paper("celle", "AN/0211/20-1")
    visit.goto(f"/celle/rat/vorlagen/{information.pk}/")
    steps = visit.page.locator("#steps-heading + div table")
    expect(steps).to_contain_text("Ausschuss für Finanzen, Personal und Verwaltungsmodernisierung")
    expect(steps).not_to_contain_text("Verwaltungsausschuss")
    visit.check("council-celle-public")
    admin_meeting = Meeting.objects.get(municipality__slug="celle", body__name="Verwaltungsausschuss")
    visit.goto(f"/celle/rat/sitzungen/{admin_meeting.pk}/")
    expect(visit.page.get_by_text("Keine Tagesordnungspunkte.")).to_be_visible()
    # A council member who sits in the Verwaltungsausschuss sees the non-public step.
    _login(visit, "celle-rat")
    visit.goto(f"/celle/intern/rat/vorlagen/{information.pk}/")
    expect(visit.page.locator("#steps-heading + div table")).to_contain_text("Verwaltungsausschuss")
    visit.check("council-celle-member")

"""The bodies part in a real browser: the public pages and the workspace pass axe-core; an
administrator opens Plauen's working group "Schulen", sees the seats still missing, adds the
district pupils' council's representative and sees that seat filled.

Demo data (``stadtlotse.governance.demo``): the working group needs one person of each of six
stakeholder groups and one of each of five factions; Kreisschülerrat, Fördervereine, AfD and
FDP/Freie Wähler are open. Sindelfingen's committee has 12 of 13 and 10 of 12 seats filled.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from stadtlotse.core.models import User
from stadtlotse.governance.models import Body, Person


def _sign_in(visit, username: str) -> None:
    """A session for the demo account, handed to the browser (the login form has its own tests)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    visit.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": visit.base_url}])


def _body(slug: str, name: str) -> Body:
    return Body.objects.get(municipality__slug=slug, name=name)


def _public_paths() -> dict[str, str]:
    return {
        "governance-public-index": "/plauen/gremien/",
        "governance-body": f"/sindelfingen/gremien/{_body('sindelfingen', 'Ausschuss für Digitalisierung').pk}/",
        "governance-departments": "/plauen/gremien/verwaltung/",
        "governance-pilots": "/sindelfingen/gremien/digitallotsen/",
    }


def _internal_paths() -> dict[str, str]:
    body = _body("plauen", "Arbeitsgruppe Schulen")
    return {
        "governance-index": "/plauen/intern/gremien/",
        "governance-manage": f"/plauen/intern/gremien/{body.pk}/",
        "governance-people": "/plauen/intern/gremien/personen/",
        "governance-registry": "/plauen/intern/gremien/stammdaten/",
        "governance-pilots-internal": "/plauen/intern/gremien/digitallotsen/",
        "governance-edit": f"/plauen/intern/gremien/{body.pk}/bearbeiten/",
    }


@pytest.mark.parametrize("name", ["governance-public-index", "governance-body", "governance-departments",
                                  "governance-pilots"])  # fmt: skip
def test_public_governance_page_is_accessible(visit, name):
    visit.goto(_public_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    if name == "governance-body":
        expect(visit.page.get_by_role("cell", name="12 von 13")).to_be_visible()
        expect(visit.page.get_by_role("cell", name="10 von 12")).to_be_visible()
    if name == "governance-pilots":
        expect(visit.page.locator("#uncovered")).to_contain_text("Amt für Stadtentwicklung")
    visit.check(name)


@pytest.mark.parametrize("name", ["governance-index", "governance-manage", "governance-people",
                                  "governance-registry", "governance-pilots-internal", "governance-edit"])  # fmt: skip
def test_internal_governance_page_is_accessible(visit, name):
    _sign_in(visit, "plauen-admin")
    visit.goto(_internal_paths()[name])
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
    visit.check(name)


def test_adding_a_member_fills_the_missing_seat(visit):
    body = _body("plauen", "Arbeitsgruppe Schulen")
    newcomer = Person.objects.filter(municipality__slug="plauen").exclude(memberships__body=body).first()
    _sign_in(visit, "plauen-admin")
    visit.goto(f"/plauen/intern/gremien/{body.pk}/")
    page = visit.page
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kreisschülerrat", exact=True))
    expect(row).to_contain_text("0 von 1")
    expect(row).to_contain_text("1 fehlt")
    expect(page.locator("#composition")).to_contain_text("7 von 11 vorgesehenen Sitzen sind besetzt; 4 fehlen.")
    visit.check("governance-missing-seats")

    page.locator("#id_person").select_option(str(newcomer.pk))
    page.locator("#id_role").select_option("member")
    page.locator("#id_stakeholder_group").select_option(label="Kreisschülerrat")
    page.locator("#id_start").fill("2025-01-15")
    page.get_by_role("button", name="Mitglied hinzufügen").click()
    page.wait_for_load_state()

    expect(page.get_by_text("Das Mitglied wurde hinzugefügt.")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kreisschülerrat", exact=True))
    expect(row).to_contain_text("1 von 1")
    expect(row).to_contain_text("besetzt")
    expect(row).to_contain_text(newcomer.name)
    expect(page.locator("#composition")).to_contain_text("8 von 11 vorgesehenen Sitzen sind besetzt; 3 fehlen.")
    visit.check("governance-seat-filled")


def test_a_second_seat_in_the_same_role_is_refused_with_a_message(visit):
    body = _body("plauen", "Arbeitsgruppe Schulen")
    member = body.memberships.select_related("person").filter(role="member").first()
    _sign_in(visit, "plauen-admin")
    visit.goto(f"/plauen/intern/gremien/{body.pk}/")
    page = visit.page
    page.locator("#id_person").select_option(str(member.person_id))
    page.locator("#id_role").select_option("member")
    page.get_by_role("button", name="Mitglied hinzufügen").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="zu dieser Zeit bereits")).to_be_visible()
    assert body.memberships.filter(person=member.person, role="member").count() == 1

"""The page types the other browser tests do not check with axe-core, found by listing the URL
patterns (``django.urls.get_resolver()``) against the paths those tests visit; the public pages
once more for a signed-in administrator (header, edit links and forms differ); the main pages at
a phone's width (375 px) and one page at 200 % and 400 % zoom, where the content must reflow
without horizontal scrolling (WCAG 1.4.10).

Not checked here: downloads and feeds (CSV, XLSX, DOCX, PDF, iCalendar, Atom, JSON), POST-only
addresses, the JSON of the API and OParl, and the operator's back office (Django's admin under
/betrieb/, named in the accessibility statement).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from stadtlotse.core.models import User
from stadtlotse.council.models import Mandate, Meeting, Paper
from stadtlotse.governance.models import BodyMembership, DigitalPilot, Person
from stadtlotse.participation.models import Contribution, Phase
from stadtlotse.portfolio.models import Project
from stadtlotse.strategy.models import Section, StrategyVersion


def _sign_in(visit, username: str) -> None:
    """A session for the demo account, handed to the browser (the login form has its own tests)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    visit.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": visit.base_url}])


def _check_all(visit, paths: dict[str, str]) -> None:
    for name, path in paths.items():
        visit.goto(path)
        visit.check(name)


def _missing_public_pages() -> dict[str, str]:
    plauen_meeting = Meeting.objects.filter(municipality__slug="plauen").first()
    consultation = StrategyVersion.objects.get(strategy__municipality__slug="sindelfingen", status="consultation")
    section = Section.objects.filter(version=consultation).first()
    return {
        "more-statement-plauen": "/plauen/barrierefreiheit/",
        "more-statement-celle": "/celle/barrierefreiheit/",
        "more-council-meetings": "/plauen/rat/sitzungen/",
        "more-council-meeting": f"/plauen/rat/sitzungen/{plauen_meeting.pk}/",
        "more-council-papers": "/plauen/rat/vorlagen/",
        "more-participation-section": f"/sindelfingen/beteiligung/abschnitt/{section.pk}/",
    }


def _missing_internal_pages() -> dict[str, str]:
    motion = Paper.objects.get(municipality__slug="plauen", reference="222-21")
    meeting = Meeting.objects.filter(municipality__slug="plauen").first()
    mandate = Mandate.objects.filter(municipality__slug="plauen").first()
    project = Project.objects.filter(municipality__slug="plauen").first()
    version = StrategyVersion.objects.filter(strategy__municipality__slug="plauen").first()
    seat = BodyMembership.objects.filter(municipality__slug="plauen").first()
    person = Person.objects.filter(municipality__slug="plauen").first()
    pilot = DigitalPilot.objects.filter(municipality__slug="plauen").first()
    return {
        "more-notifications": "/konto/benachrichtigungen/",
        "more-governance-seat-edit": f"/plauen/intern/gremien/sitze/{seat.pk}/",
        "more-governance-person-edit": f"/plauen/intern/gremien/personen/{person.pk}/",
        "more-governance-departments": "/plauen/intern/gremien/verwaltung/",
        "more-governance-pilot-edit": f"/plauen/intern/gremien/digitallotsen/{pilot.pk}/",
        "more-council-papers-internal": "/plauen/intern/rat/vorlagen/",
        "more-council-paper-create": "/plauen/intern/rat/vorlagen/neu/",
        "more-council-paper-edit": f"/plauen/intern/rat/vorlagen/{motion.pk}/bearbeiten/",
        "more-council-meetings-internal": "/plauen/intern/rat/sitzungen/",
        "more-council-meeting-internal": f"/plauen/intern/rat/sitzungen/{meeting.pk}/",
        "more-council-mandates": "/plauen/intern/rat/auftraege/",
        "more-council-history": f"/plauen/intern/rat/verlauf/paper/{motion.pk}/",
        "more-council-mandate-history": f"/plauen/intern/rat/verlauf/mandate/{mandate.pk}/",
        "more-council-drafts": "/plauen/intern/rat/entwurf/",
        "more-council-draft-project": f"/plauen/intern/rat/entwurf/projekt/{project.pk}/",
        "more-council-draft-version": f"/plauen/intern/rat/entwurf/strategie/{version.pk}/",
        "more-onlineservices-create": "/plauen/intern/onlinedienste/neu/",
    }


def test_page_types_no_other_test_checks_pass_axe(visit):
    _check_all(visit, _missing_public_pages())
    _sign_in(visit, "plauen-admin")
    _check_all(visit, _missing_internal_pages())
    phase = Phase.objects.get(municipality__slug="sindelfingen")
    _sign_in(visit, "sindelfingen-admin")
    visit.goto(f"/sindelfingen/intern/beteiligung/phase/{phase.pk}/abwaegung/")
    visit.check("more-participation-weighing")


def test_error_pages_pass_axe(visit):
    """The 500 and 503 pages are served by Django only when something breaks; their templates
    are rendered here and served from the live server's address, so their styles load."""
    visit.goto("/atlantis/", 404)
    visit.check("more-not-found")
    pages = {
        "/fehler-500/": (500, render_to_string("500.html")),
        "/fehler-503/": (503, render_to_string("503.html", {"message": "Die Datenbank ist nicht erreichbar."})),
    }
    def serve(status: int, html: str):
        return lambda route, _request=None: route.fulfill(status=status, body=html, content_type="text/html")

    for path, (status, html) in pages.items():
        visit.page.route(visit.base_url + path, serve(status, html))
        visit.goto(path, status)
        visit.errors.clear()  # the browser logs the status itself
        visit.check(f"more-error-{status}")


def _public_pages_for_everyone() -> dict[str, str]:
    motion = Paper.objects.get(municipality__slug="plauen", reference="222-21")
    project = Project.objects.filter(municipality__slug="plauen", visibility="public").first()
    return {
        "portal": "/plauen/",
        "strategy": "/plauen/strategie/",
        "projects": "/plauen/projekte/",
        "project": f"/plauen/projekte/{project.pk}/",
        "bodies": "/plauen/gremien/",
        "council": "/plauen/rat/",
        "motion": f"/plauen/rat/vorlagen/{motion.pk}/",
        "reports": "/plauen/berichte/",
        "statement": "/plauen/barrierefreiheit/",
    }


def test_public_pages_pass_axe_for_a_signed_in_administrator(visit):
    phase = Phase.objects.get(municipality__slug="sindelfingen")
    comment = Contribution.objects.filter(phase=phase, parent=None, moderation="published").first()
    _sign_in(visit, "plauen-admin")
    _check_all(visit, {f"more-admin-{name}": path for name, path in _public_pages_for_everyone().items()})
    _sign_in(visit, "sindelfingen-admin")
    _check_all(visit, {
        "more-admin-participation": "/sindelfingen/beteiligung/",
        "more-admin-phase": f"/sindelfingen/beteiligung/phase/{phase.pk}/",
        "more-admin-contribution": f"/sindelfingen/beteiligung/beitrag/{comment.pk}/",
        "more-admin-schools": "/sindelfingen/schulen/",
        "more-admin-onlineservices": "/sindelfingen/onlinedienste/",
    })  # fmt: skip


def _overflow(page) -> int:
    """How far the page is wider than the viewport (0 = no horizontal scrolling). Wide tables
    scroll inside their own region (``kern-table-responsive``), which WCAG 1.4.10 allows."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def narrow(browser, live_server, demo_data):
    """A phone: 375 px wide, touch, two device pixels per CSS pixel."""
    from .conftest import Visit

    context = browser.new_context(
        locale="de-DE", viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield Visit(context.new_page(), live_server.url)
    context.close()


def test_main_pages_at_a_phones_width(narrow):
    phase = Phase.objects.get(municipality__slug="sindelfingen")
    pages = {
        "more-375-home": "/",
        "more-375-login": "/konto/anmelden/",
        "more-375-phase": f"/sindelfingen/beteiligung/phase/{phase.pk}/",
        **{f"more-375-{name}": path for name, path in _public_pages_for_everyone().items()},
    }
    for name, path in pages.items():
        narrow.goto(path)
        assert _overflow(narrow.page) <= 0, f"{name}: {_overflow(narrow.page)} px wider than a phone's screen"
        narrow.check(name)
    _sign_in(narrow, "plauen-admin")
    for name, path in {"more-375-workspace": "/plauen/intern/", "more-375-council-internal": "/plauen/intern/rat/",
                       "more-375-projects-internal": "/plauen/intern/projekte/"}.items():  # fmt: skip
        narrow.goto(path)
        assert _overflow(narrow.page) <= 0, f"{name}: {_overflow(narrow.page)} px wider than a phone's screen"
        narrow.check(name)


def test_a_page_reflows_at_200_and_400_percent_zoom(browser, live_server, demo_data):
    """Browser zoom on a 1280 px window: 200 % leaves 640 CSS pixels, 400 % leaves 320 (the
    width WCAG 1.4.10 names). The text must stay readable without scrolling sideways."""
    from .conftest import Visit

    phase = Phase.objects.get(municipality__slug="sindelfingen")
    for zoom in (200, 400):
        width, height = 1280 * 100 // zoom, 1024 * 100 // zoom
        context = browser.new_context(
            locale="de-DE", viewport={"width": width, "height": height}, device_scale_factor=zoom / 100
        )
        visit = Visit(context.new_page(), live_server.url)
        try:
            visit.goto(f"/sindelfingen/beteiligung/phase/{phase.pk}/")
            assert _overflow(visit.page) <= 0, f"{zoom} %: {_overflow(visit.page)} px of sideways scrolling"
            # Every paragraph, label and heading fits the viewport's width.
            wider = visit.page.evaluate(
                """(w) => Array.from(document.querySelectorAll('main p, main label, main h1, main h2'))
                     .filter(el => el.getBoundingClientRect().right > w + 1)
                     .map(el => el.textContent.trim().slice(0, 40))""",
                width,
            )
            assert wider == [], f"{zoom} %: text runs past the edge: {wider}"
            visit.check(f"more-zoom-{zoom}")
        finally:
            context.close()

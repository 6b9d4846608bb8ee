"""Every HTML page of the portfolio, over HTTP: who may see it, that it speaks German, that its
number of queries is the same for a small and a large portfolio, and that nothing of the internal
project (``INTERNAL_MARKER``) ever reaches anonymous visitors, citizens or another town's staff."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from stadtlotse.portfolio.models import Criterion, Dependency

from .conftest import INTERNAL_MARKER, SIZES, PortfolioWorld


@dataclass(frozen=True)
class Page:
    persona: str | None  # fixture name, None for an anonymous visitor
    url: str  # formatted with the ids of the world
    texts: tuple[str, ...]  # German texts that must appear
    queries: int  # exactly this many, at every size
    latest: str = ""  # newest data, formatted with last/last_decision: the page shows all of it
    internal: bool | None = None  # must the internal marker appear (True) or never (False)?


# Queries: anonymous visitors start with the municipality; signed-in people add session, user and
# their roles. The lists rank the portfolio (settings, criteria, open projects, the scores' revision,
# scores, edges; inside the test's transaction the ranking is never served from the cache) and
# count their projects before reading one page of them.
PAGES: dict[str, Page] = {
    "public-list": Page(None, "/plauen/projekte/", ("Projekte", "Alle Projekte", "Nur Quick Wins", "überfällig"), 13,
                        "Projekt {last}", internal=False),
    "public-list-citizen": Page("citizen", "/plauen/projekte/", ("Projekte", "Federführendes Amt"), 16,
                                "Projekt {last}", internal=False),
    "detail": Page(None, "/plauen/projekte/{p0}/", ("Projekt 00", "Meilensteine", "Abhängigkeiten", "Ist Grundlage für",
                                                    "Entscheidungen", "Beschaffung Projekt 00"), 9, internal=False),
    "detail-citizen": Page("citizen", "/plauen/projekte/{p0}/", ("Projekt 00", "Sachstandsberichte"), 12,
                           internal=False),
    "detail-internal-reader": Page("reader", "/plauen/projekte/{internal}/", ("Meilensteine", "Baut auf"), 12,
                                   internal=True),
    "public-ranking": Page(None, "/plauen/projekte/prioritaeten/", ("Prioritäten", "Rangliste", "Rang",
                                                                    "Wie die Punktzahl berechnet wird"), 7,
                           "Projekt {last}", internal=False),
    "public-ranking-citizen": Page("citizen", "/plauen/projekte/prioritaeten/?scheme=wibe",
                                   ("Prioritäten", "Ablösedringlichkeit des bisherigen Verfahrens"), 10,
                                   "Projekt {last}", internal=False),
    "roadmap": Page(None, "/plauen/projekte/fahrplan/", ("Zeitplan", "Meilensteine", "Ausschreibung 00"), 4,
                    "Abnahme {last}", internal=False),
    "roadmap-citizen": Page("citizen", "/plauen/projekte/fahrplan/", ("Zeitplan",), 7, "Projekt {last}",
                            internal=False),
    "roadmap-reader": Page("reader", "/plauen/projekte/fahrplan/", ("Zeitplan",), 7, "Projekt {last}",
                           internal=True),
    "decisions": Page(None, "/plauen/projekte/entscheidungen/",
                      ("Entscheidungen über Hardware, Software und Gestaltung", "Produkt B"), 2,
                      "Beschaffung Projekt {last_decision}", internal=False),
    "decisions-citizen": Page("citizen", "/plauen/projekte/entscheidungen/", ("Entscheidungen",), 5,
                              "Beschaffung Projekt {last_decision}", internal=False),
    "decision": Page(None, "/plauen/projekte/entscheidungen/{d0}/",
                     ("Beschaffung Projekt 00", "Gewählt: Produkt B (01.03.2025)", "Gewichtete Summe", "7,2", "6,8"),
                     5, internal=False),
    "decision-citizen": Page("citizen", "/plauen/projekte/entscheidungen/{d0}/", ("Günstiger im Betrieb.",), 8,
                             internal=False),
    "decision-editor": Page("staff", "/plauen/projekte/entscheidungen/{d0}/", ("Gewichtete Summe", "Rang"), 9),
    "decision-internal-reader": Page("reader", "/plauen/projekte/entscheidungen/{di}/", ("Gewählt: Produkt B",), 8,
                                     internal=True),
    "list-reader": Page("reader", "/plauen/intern/projekte/", ("Projekte", "Umsetzungsreihenfolge", "intern"), 18,
                        "Projekt {last}", internal=True),
    "list-editor": Page("staff", "/plauen/intern/projekte/", ("Projekte", "Neues Projekt"), 18, "Projekt {last}",
                        internal=True),
    "list-admin-sorted": Page("admin", "/plauen/intern/projekte/?sort=priority&status=in_progress",
                              ("Projekte", "Kriterien", "Import"), 18, internal=True),
    "create": Page("staff", "/plauen/intern/projekte/neu/",
                   ("Neues Projekt", "Projekt anlegen", "Mit Vorlage beginnen"),
                   7),
    "import": Page("admin", "/plauen/intern/projekte/import/", ("Projekte importieren", "Hochladen und prüfen"), 4),
    "ranking": Page("reader", "/plauen/intern/projekte/prioritaeten/", ("Prioritäten", "Wirkung und Aufwand",
                                                                        "Rangliste"), 11,
                    "Projekt {last}", internal=True),
    "ranking-wibe-finance": Page("finance", "/plauen/intern/projekte/prioritaeten/?scheme=wibe",
                                 ("Prioritäten", "Einhaltung gesetzlicher Vorgaben"), 16, "Projekt {last}",
                                 internal=True),
    "sequencing": Page("reader", "/plauen/intern/projekte/reihenfolge/",
                       ("Umsetzungsreihenfolge", "Geplante Beginne vor Abschluss einer Grundlage"), 6,
                       "Projekt {last}", internal=True),
    "criteria": Page("admin", "/plauen/intern/projekte/kriterien/",
                     ("Kriterien der Priorisierung", "Kriterien und Gewichte", "Quick Wins",
                      "Notwendige Strukturveränderung"), 7),
    "templates": Page("reader", "/plauen/intern/projekte/vorlagen/",
                      ("Projektvorlagen", "Es wurden noch keine Vorlagen geteilt."), 5),
    "manage-editor": Page("staff", "/plauen/intern/projekte/{p0}/",
                          ("Projekt im Arbeitsbereich", "Status ändern", "Meilenstein hinzufügen",
                           "Bewertung für die Priorisierung", "Abhängigkeit hinzufügen"), 18, internal=True),
    "manage-reader": Page("reader", "/plauen/intern/projekte/{p0}/",
                          ("Projekt im Arbeitsbereich", "Als Seite anzeigen"), 14, internal=True),
    "manage-internal-admin": Page("admin", "/plauen/intern/projekte/{internal}/",
                                  ("Projekt im Arbeitsbereich", "Als Vorlage veröffentlichen"), 16, internal=True),
    "edit": Page("staff", "/plauen/intern/projekte/{p0}/bearbeiten/", ("Projekt bearbeiten", "Speichern"), 9),
}  # fmt: skip


def url_of(page: Page, world: PortfolioWorld) -> str:
    return page.url.format(p0=world.projects[0].pk, internal=world.internal.pk, d0=world.decisions[0].pk,
                           di=world.internal_decision.pk)  # fmt: skip


def check_page(key: str, world: PortfolioWorld, client) -> list[str]:
    """The problems of one page, as texts naming the page (empty if it is as it should be)."""
    page = PAGES[key]
    url = url_of(page, world)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        return [f"{key}: {url} answers {response.status_code}"]
    body = response.content.decode()
    problems = []
    if len(queries) != page.queries:
        problems.append(f"{key}: {len(queries)} queries instead of {page.queries}")
    if '<html lang="de"' not in body:
        problems.append(f"{key}: not in German")
    problems += [f"{key}: {text!r} missing" for text in page.texts if text not in body]
    last = world.size - 1
    latest = page.latest.format(last=f"{last:02d}", last_decision=f"{last // 4 * 4:02d}")
    if latest and latest not in body:
        problems.append(f"{key}: the newest data {latest!r} missing")
    if page.internal is not None and (INTERNAL_MARKER in body) is not page.internal:
        problems.append(f"{key}: the internal marker is {'missing' if page.internal else 'shown'}")
    return problems


@pytest.mark.parametrize("portfolio_world", SIZES, indirect=True)
def test_every_page_for_its_persona_in_german_with_the_same_queries_at_every_size(portfolio_world, request, client_of):
    """One world per size for all pages (building the large one takes seconds); every problem of
    every page is reported at once."""
    problems = []
    for key, page in PAGES.items():
        client = client_of(request.getfixturevalue(page.persona) if page.persona else None)
        problems += check_page(key, portfolio_world, client)
    assert not problems, "\n".join(problems)


def test_every_portfolio_page_is_in_the_page_table():
    from stadtlotse.portfolio.urls import urlpatterns

    covered = {resolve(page.url.format(p0=1, internal=2, d0=3, di=4).split("?")[0]).url_name for page in PAGES.values()}
    assert covered == {pattern.name for pattern in urlpatterns}


# --- nothing internal on public pages ------------------------------------------------------------


def public_urls(world: PortfolioWorld) -> list[str]:
    urls = ["/plauen/projekte/", "/plauen/projekte/prioritaeten/", "/plauen/projekte/prioritaeten/?scheme=wibe",
            "/plauen/projekte/fahrplan/", "/plauen/projekte/entscheidungen/"]  # fmt: skip
    filters = ["sort=priority", "quick_wins=1", "q=Vorhaben", "q=intern",
               "status=in_progress", f"department={world.it.pk}", "sort=department", "min_score=0"]  # fmt: skip
    urls += [f"/plauen/projekte/?{f}" for f in filters]
    urls += [f"/plauen/projekte/{p.pk}/" for p in world.projects]
    urls += [f"/plauen/projekte/entscheidungen/{d.pk}/" for d in world.decisions]
    return urls


@pytest.mark.parametrize("portfolio_world", SIZES, indirect=True)
def test_public_pages_never_show_the_internal_project(portfolio_world, request, client_of):
    world = portfolio_world
    hidden = (
        f"/plauen/projekte/{world.internal.pk}/",
        f"/plauen/projekte/entscheidungen/{world.internal_decision.pk}/",
    )
    for persona in (None, "citizen", "outsider", "celle_admin", "celle_staff"):
        client = client_of(request.getfixturevalue(persona) if persona else None)
        for url in public_urls(world):
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
            body = response.content.decode()
            for secret in (INTERNAL_MARKER, "GEHEIM-1", "Nur intern"):
                assert secret not in body, (persona, url, secret)
        # The internal project and the (public) decision on it do not exist for them.
        for url in hidden:
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
            assert INTERNAL_MARKER not in response.content.decode()


def test_public_lists_show_exactly_the_public_projects(portfolio_world, anonymous):
    world = portfolio_world
    body = anonymous.get("/plauen/projekte/").content.decode()
    assert "3 Projekte" in body
    for project in world.projects:
        assert f'href="/plauen/projekte/{project.pk}/"' in body
    # The public ranking ranks the public projects among themselves (55, 49, 40 points).
    ranking = anonymous.get("/plauen/projekte/prioritaeten/").content.decode()
    assert ranking.index("Projekt 00") < ranking.index("Projekt 01") < ranking.index("Projekt 02")
    assert "<strong>55</strong>" in ranking and "<strong>95</strong>" not in ranking
    # The project page of the internal project's dependent names no foundation.
    detail = anonymous.get(f"/plauen/projekte/{world.projects[0].pk}/").content.decode()
    assert "Baut auf: –" in detail


def test_search_for_the_internal_project_finds_it_only_inside(portfolio_world, anonymous, reader, client_of):
    # The search box repeats what was typed, so only the number of results tells.
    for query in (INTERNAL_MARKER, "GEHEIM-1"):
        body = anonymous.get(f"/plauen/projekte/?q={query}").content.decode()
        assert "0 Projekte" in body
        assert f'href="/plauen/projekte/{portfolio_world.internal.pk}/"' not in body
    inside = client_of(reader).get(f"/plauen/intern/projekte/?q={INTERNAL_MARKER}").content.decode()
    assert "1 Projekt" in inside and INTERNAL_MARKER in inside


def test_celle_pages_show_nothing_of_plauen(portfolio_world, celle, celle_admin, client_of):
    client = client_of(celle_admin)
    for url in ("/celle/projekte/", "/celle/projekte/fahrplan/", "/celle/projekte/entscheidungen/",
                "/celle/intern/projekte/", "/celle/intern/projekte/reihenfolge/", "/celle/projekte/prioritaeten/",
                "/celle/intern/projekte/prioritaeten/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Projekt 00" not in body and INTERNAL_MARKER not in body, url
    # Plauen's project ids under Celle's address do not exist.
    assert client.get(f"/celle/projekte/{portfolio_world.projects[0].pk}/").status_code == 404
    assert client.get(f"/celle/intern/projekte/{portfolio_world.internal.pk}/").status_code == 404
    assert client.get(f"/celle/projekte/entscheidungen/{portfolio_world.decisions[0].pk}/").status_code == 404


# --- the workspace is closed to outsiders -----------------------------------------------------------

INTERNAL_URLS = ["/plauen/intern/projekte/", "/plauen/intern/projekte/neu/", "/plauen/intern/projekte/import/",
                 "/plauen/intern/projekte/prioritaeten/", "/plauen/intern/projekte/reihenfolge/",
                 "/plauen/intern/projekte/kriterien/", "/plauen/intern/projekte/vorlagen/",
                 "/plauen/intern/projekte/{p0}/", "/plauen/intern/projekte/{p0}/bearbeiten/",
                 "/plauen/intern/projekte/{internal}/", "/plauen/intern/projekte/{internal}/bearbeiten/"]  # fmt: skip


def internal_urls(world: PortfolioWorld) -> list[str]:
    return [u.format(p0=world.projects[0].pk, internal=world.internal.pk) for u in INTERNAL_URLS]


def test_anonymous_visitor_is_sent_to_the_login_from_every_workspace_page(portfolio_world, anonymous):
    for url in internal_urls(portfolio_world):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/konto/anmelden/?next={quote(url)}"
    response = anonymous.post(f"/plauen/intern/projekte/{portfolio_world.projects[0].pk}/", {"status": "paused"})
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
def test_people_outside_the_administration_get_403_in_german_on_every_workspace_page(
    portfolio_world, persona, request, client_of, django_assert_max_num_queries
):
    client = client_of(request.getfixturevalue(persona))
    for url in internal_urls(portfolio_world):
        with django_assert_max_num_queries(5):
            response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert "Kein Zugang" in body
        assert "Dieser Bereich ist der Verwaltung und dem Rat vorbehalten." in body
        assert INTERNAL_MARKER not in body


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("reader", "/plauen/intern/projekte/neu/"),
        ("council", "/plauen/intern/projekte/neu/"),
        ("staff", "/plauen/intern/projekte/kriterien/"),
        ("finance", "/plauen/intern/projekte/kriterien/"),
        ("staff", "/plauen/intern/projekte/import/"),
        ("reader", "/plauen/intern/projekte/{p0}/bearbeiten/"),
        ("pilot", "/plauen/intern/projekte/{p0}/bearbeiten/"),
    ],
)
def test_internal_roles_without_the_right_get_403_on_writing_pages(portfolio_world, persona, url, request, client_of):
    response = client_of(request.getfixturevalue(persona)).get(url.format(p0=portfolio_world.projects[0].pk))
    assert response.status_code == 403
    assert "Ihre Rolle erlaubt das nicht." in response.content.decode()


def test_reader_sees_the_workspace_without_writing_controls(portfolio_world, reader, client_of):
    client = client_of(reader)
    listing = client.get("/plauen/intern/projekte/").content.decode()
    assert "Neues Projekt" not in listing
    manage = client.get(f"/plauen/intern/projekte/{portfolio_world.projects[0].pk}/").content.decode()
    for control in ('name="status"', 'name="assess"', 'name="add_decision"', 'name="publish_template"',
                    "Beschreibung und Termine bearbeiten"):  # fmt: skip
        assert control not in manage, control


# --- pages in unusual states ---------------------------------------------------------------------


def test_ranking_page_explains_weights_summing_to_zero(portfolio_world, reader, anonymous, client_of):
    Criterion.objects.filter(municipality=portfolio_world.municipality, scheme="default").update(weight=0)
    for client in (client_of(reader), anonymous):
        url = "/plauen/intern/projekte/prioritaeten/" if client is not anonymous else "/plauen/projekte/prioritaeten/"
        response = client.get(url)
        assert response.status_code == 200
        assert "Die Gewichte der Kriterien ergeben zusammen null" in response.content.decode()


def test_sequencing_page_explains_a_cycle_written_past_the_service(portfolio_world, reader, client_of):
    world = portfolio_world
    # 0 → 1 exists; 1 → 0 closes a cycle that add_dependency would refuse.
    Dependency.objects.create(
        municipality=world.municipality, foundation=world.projects[1], dependent=world.projects[0]
    )
    response = client_of(reader).get("/plauen/intern/projekte/reihenfolge/")
    assert response.status_code == 200
    assert "Die Abhängigkeiten bilden einen Kreis; entfernen Sie eine davon." in response.content.decode()


def test_pages_of_an_empty_portfolio(plauen, anonymous, admin, client_of):
    # The public ranking changes nothing, so without criteria it says so.
    public = anonymous.get("/plauen/projekte/prioritaeten/").content.decode()
    assert "Es sind noch keine Kriterien eingerichtet." in public
    assert "Keine offenen Projekte." not in public
    assert "0 Projekte" in anonymous.get("/plauen/projekte/").content.decode()
    # The internal ranking sets up the default criteria, then has no open project to rank.
    body = client_of(admin).get("/plauen/intern/projekte/prioritaeten/").content.decode()
    assert "Keine offenen Projekte." in body
    assert "Noch keine Projekte." in client_of(admin).get("/plauen/intern/projekte/reihenfolge/").content.decode()


def test_unknown_municipality_and_project_are_404(portfolio_world, anonymous, reader, client_of):
    assert anonymous.get("/atlantis/projekte/").status_code == 404
    assert anonymous.get("/plauen/projekte/999999/").status_code == 404
    assert client_of(reader).get("/plauen/intern/projekte/999999/").status_code == 404
    assert anonymous.get("/plauen/projekte/entscheidungen/999999/").status_code == 404

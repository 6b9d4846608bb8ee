"""Search on SQLite (FTS5) and PostgreSQL (German configuration): visibility and bad input."""

from __future__ import annotations

import pytest

from .conftest import CELLE, CONFIDENTIAL, INTERNAL


def results(client, q, slug="plauen"):
    response = client.get(f"/{slug}/berichte/suche/", {"q": q})
    return response.status_code, response.content.decode()


def test_anonymous_finds_public_projects_goals_and_comments(world, anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        status, html = results(anonymous, "Projekt")
    assert status == 200 and "Projekt 00" in html
    assert INTERNAL not in html and CONFIDENTIAL not in html and CELLE not in html
    assert "Online-Dienste ausbauen" in results(anonymous, "Online-Dienste")[1]
    assert "<mark>" in results(anonymous, "Termine")[1]


@pytest.mark.parametrize("who, internal, confidential", [
    ("anonymous", False, False), ("citizen", False, False), ("celle_admin", False, False),
    ("pilot", True, False), ("reader", True, False), ("staff", True, True), ("admin", True, True),
])  # fmt: skip
def test_search_respects_visibility(world, request, client_of, who, internal, confidential):
    client = request.getfixturevalue(who) if who == "anonymous" else client_of(request.getfixturevalue(who))
    html = results(client, "Projekt")[1]
    assert (INTERNAL in html) is internal
    assert (CONFIDENTIAL in html) is confidential
    comment = results(client, "Hinweis")[1]
    assert (INTERNAL in comment) is internal  # the comment in the internal project's consultation


def test_search_by_marker_word_finds_nothing_for_the_public(world, anonymous, citizen, client_of):
    for client in (anonymous, client_of(citizen)):
        status, html = results(client, CONFIDENTIAL)
        assert status == 200 and "0 Treffer" in html and "Nichts gefunden" in html


@pytest.mark.parametrize("q, message", [
    ("", "Bitte geben Sie ein"), ("   ", "Bitte geben Sie ein"), ("x" * 201, "höchstens 200"),
    ('"*" () ^ - :', "Bitte suchen Sie mit Wörtern"),
])  # fmt: skip
def test_bad_queries_get_a_clear_message(world, anonymous, q, message):
    status, html = results(anonymous, q)
    assert status == 400 and message in html


@pytest.mark.parametrize("q", ['Projekt" OR "', "Projekt*", "NEAR(Projekt 00)", "Projekt AND -x", "title:Projekt",
                               "'; DROP TABLE x; --", "Projekt^2 ~ {}"])
def test_fts_syntax_is_taken_as_plain_words(world, anonymous, q):
    status, html = results(anonymous, q)
    assert status == 200


def test_other_municipality_search_does_not_see_plauen(world, celle_admin, client_of):
    html = results(client_of(celle_admin), "Projekt", slug="celle")[1]
    assert CELLE in html and "Projekt 00" not in html and INTERNAL not in html


def test_search_api(world, anonymous, client_of, admin):
    data = anonymous.get("/api/v1/plauen/search", {"q": "Projekt"}).json()
    assert data and all(INTERNAL not in hit["title"] for hit in data)
    assert any(CONFIDENTIAL in hit["title"] for hit in client_of(admin).get("/api/v1/plauen/search",
                                                                             {"q": "Projekt"}).json())  # fmt: skip
    response = anonymous.get("/api/v1/plauen/search", {"q": ""})
    assert response.status_code == 422
    assert anonymous.get("/api/v1/nirgendwo/search", {"q": "x"}).status_code == 404

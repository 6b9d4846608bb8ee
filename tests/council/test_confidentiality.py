"""The confidentiality rule through every channel: public and internal pages, API, search, CSV
export, iCalendar feed and history pages — as anonymous visitor, citizen, council member outside
the body, member of the body, administration, and the other municipality's staff."""

from __future__ import annotations

import pytest

from .conftest import SECRET_ITEM, SECRET_MANDATE, SECRET_PAPER

# Who reads the Verwaltungsausschuss' confidential matters.
READERS = {"anonymous": False, "citizen": False, "reader": False, "council": False, "member": True, "admin": True,
           "celle_admin": False}  # fmt: skip


def client_for(request, client_of, who):
    if who == "anonymous":
        return client_of(None)
    return client_of(request.getfixturevalue(who))


@pytest.fixture
def as_(request, client_of, world):
    return lambda who: client_for(request, client_of, who)


def markers_in(text: str) -> set[str]:
    return {m for m in (SECRET_PAPER, SECRET_ITEM, SECRET_MANDATE) if m in text}


@pytest.mark.parametrize("who", list(READERS))
def test_public_pages_never_show_confidential_matters(as_, world, who):
    client = as_(who)
    for url in ("/plauen/rat/", "/plauen/rat/vorlagen/", "/plauen/rat/vorlagen/?q=GEHEIMVORLAGE",
                "/plauen/rat/sitzungen/", f"/plauen/rat/sitzungen/{world.meeting.pk}/",
                f"/plauen/rat/vorlagen/{world.motion.pk}/", f"/plauen/rat/vorlagen/{world.mixed.pk}/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert markers_in(response.content.decode()) == set(), url
    assert client.get(f"/plauen/rat/vorlagen/{world.secret.pk}/").status_code == 404
    # The public part of the meeting is there for everybody.
    assert "Öffentlicher Punkt" in client.get(f"/plauen/rat/sitzungen/{world.meeting.pk}/").content.decode()


@pytest.mark.parametrize("who", list(READERS))
def test_mixed_paper_shows_its_non_public_step_only_to_readers_of_the_body(as_, world, who):
    response = as_(who).get(f"/api/v1/plauen/council/papers/{world.mixed.pk}")
    assert response.status_code == 200
    publics = [s["public"] for s in response.json()["steps"]]
    assert publics == ([True, False] if READERS[who] else [True])


@pytest.mark.parametrize("who", ["council", "member", "admin", "reader"])
def test_internal_pages_show_confidential_matters_only_to_readers_of_the_body(as_, world, who):
    client = as_(who)
    expected = {SECRET_PAPER, SECRET_ITEM, SECRET_MANDATE} if READERS[who] else set()
    pages = {
        "/plauen/intern/rat/": {SECRET_PAPER, SECRET_MANDATE},
        "/plauen/intern/rat/vorlagen/": {SECRET_PAPER},
        f"/plauen/intern/rat/vorlagen/?q={SECRET_PAPER[:8]}": {SECRET_PAPER},
        f"/plauen/intern/rat/sitzungen/{world.meeting.pk}/": {SECRET_ITEM},
        "/plauen/intern/rat/auftraege/": {SECRET_MANDATE},
    }
    for url, shown in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert markers_in(response.content.decode()) & shown == shown & expected, url
    detail = client.get(f"/plauen/intern/rat/vorlagen/{world.secret.pk}/")
    assert detail.status_code == (200 if READERS[who] else 404)
    mandate = client.get(f"/plauen/intern/rat/auftraege/{world.secret_mandate.pk}/")
    assert mandate.status_code == (200 if READERS[who] else 404)


@pytest.mark.parametrize("who", list(READERS))
def test_api_follows_the_rule(as_, world, who):
    client = as_(who)
    papers = client.get("/api/v1/plauen/council/papers?limit=100").json()["items"]
    assert (world.secret.pk in {p["id"] for p in papers}) == READERS[who]
    assert client.get(f"/api/v1/plauen/council/papers/{world.secret.pk}").status_code == (200 if READERS[who] else 404)
    found = client.get(f"/api/v1/plauen/council/papers?q={SECRET_PAPER}").json()["items"]
    assert len(found) == (1 if READERS[who] else 0)
    agenda = client.get(f"/api/v1/plauen/council/meetings/{world.meeting.pk}").json()["items"]
    assert (SECRET_ITEM in {i["title"] for i in agenda}) == READERS[who]
    mandates = client.get("/api/v1/plauen/council/mandates")
    if who in ("anonymous", "citizen", "celle_admin"):
        assert SECRET_MANDATE not in mandates.content.decode()
    else:
        assert (SECRET_MANDATE in mandates.content.decode()) == READERS[who]


@pytest.mark.parametrize("who", list(READERS))
def test_csv_export_follows_the_rule(as_, world, who):
    response = as_(who).get("/plauen/rat/vorlagen.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert (SECRET_PAPER in text) == READERS[who]
    assert "222-21" in text
    # The mixed paper's non-public step is listed only for readers of the body.
    mixed_row = next(line for line in text.splitlines() if line.startswith("M-1-21"))
    assert ("N 2021-11-16 Verwaltungsausschuss" in mixed_row) == READERS[who]


@pytest.mark.parametrize("who", list(READERS))
def test_calendar_feed_follows_the_rule(as_, world, who):
    response = as_(who).get("/plauen/rat/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode().replace("\r\n ", "")  # unfold
    assert text.startswith("BEGIN:VCALENDAR") and text.rstrip().endswith("END:VCALENDAR")
    assert f"UID:meeting-{world.meeting.pk}@" in text
    assert "Vorschlag Arbeitsgruppe Schulen" in text  # the public motion's mandate is due
    assert (SECRET_ITEM in text) == READERS[who]
    assert (SECRET_MANDATE in text) == READERS[who]


@pytest.mark.parametrize("who", ["council", "member", "admin"])
def test_history_pages_follow_the_rule(as_, world, who):
    client = as_(who)
    expected = 200 if READERS[who] else 404
    assert client.get(f"/plauen/intern/rat/verlauf/paper/{world.secret.pk}/").status_code == expected
    assert client.get(f"/plauen/intern/rat/verlauf/mandate/{world.secret_mandate.pk}/").status_code == expected
    assert client.get(f"/plauen/intern/rat/verlauf/paper/{world.motion.pk}/").status_code == 200
    # The generic history page serves council objects to the administration only.
    generic = client.get(f"/plauen/intern/verlauf/paper/{world.secret.pk}/")
    assert generic.status_code == (200 if who == "admin" else 403)
    if who != "admin":
        assert SECRET_PAPER not in generic.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_history_and_internal_pages_are_closed_to_the_public(as_, world, who):
    client = as_(who)
    for url in (f"/plauen/intern/rat/verlauf/paper/{world.motion.pk}/", "/plauen/intern/rat/",
                f"/plauen/intern/rat/vorlagen/{world.motion.pk}/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert markers_in(response.content.decode()) == set()


def test_other_municipality_gets_404_for_plauen_objects(client_of, celle_admin, world):
    client = client_of(celle_admin)
    for url in (f"/celle/rat/vorlagen/{world.motion.pk}/", f"/celle/intern/rat/vorlagen/{world.motion.pk}/",
                f"/celle/intern/rat/auftraege/{world.mandate.pk}/", f"/celle/rat/sitzungen/{world.meeting.pk}/",
                f"/celle/intern/rat/sitzungen/{world.meeting.pk}/",
                f"/celle/intern/rat/verlauf/paper/{world.motion.pk}/",
                f"/api/v1/celle/council/papers/{world.motion.pk}", f"/api/v1/celle/council/meetings/{world.meeting.pk}",
                "/celle/intern/rat/entwurf/projekt/999999/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    # Their own lists and exports contain nothing of Plauen.
    for url in ("/celle/intern/rat/vorlagen/", "/celle/rat/vorlagen.csv", "/celle/rat/kalender.ics",
                "/api/v1/celle/council/papers"):  # fmt: skip
        text = client.get(url).content.decode("utf-8-sig")
        assert "222-21" not in text and SECRET_PAPER not in text, url
    assert "AN/0211/20-1" in client.get("/celle/intern/rat/vorlagen/").content.decode()

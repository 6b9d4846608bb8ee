"""The governance pages over HTTP: who sees what (the internal body and the internal person never
reach anonymous visitors, citizens or another town's staff), German texts, query counts that do not
grow with the data, and the forms that add members, rules, people and pilots."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadtlotse.governance import services
from stadtlotse.governance.models import BodyMembership, CompositionRule, DigitalPilot, Person

from .conftest import INTERNAL_MARKER, PERSON_MARKER, SIZES, START

# (persona or None, url with {ids}, German texts that must appear, exact queries at every size)
PUBLIC = {
    "index": (None, "/plauen/gremien/", ("Gremien", "Stadtrat", "Arbeitsgruppe Schulen"), 7),
    "council": (None, "/plauen/gremien/{council}/", ("Zusammensetzung", "Mitglied 00", "Fraktionen"), 7),
    "working-group": (None, "/plauen/gremien/{wg}/", ("Eltern", "Lehrerschaft", "1 fehlt"), 7),
    "departments": (None, "/plauen/gremien/verwaltung/", ("Amt 00", "Lotse 00"), 6),
    "pilots": (None, "/plauen/gremien/digitallotsen/", ("Abdeckung", "Ämter noch ohne"), 4),
    "council-citizen": ("citizen", "/plauen/gremien/{council}/", ("Zusammensetzung",), 10),
    "index-celle": ("celle_admin", "/plauen/gremien/", ("Gremien",), 10),
}
INTERNAL = {
    "index": ("/plauen/intern/gremien/", ("Neues Gremium", INTERNAL_MARKER), 13),
    "manage": ("/plauen/intern/gremien/{council}/", ("Mitglied hinzufügen", "Regel hinzufügen", PERSON_MARKER), 14),
    "manage-internal": ("/plauen/intern/gremien/{internal}/", (INTERNAL_MARKER,), 13),
    "edit": ("/plauen/intern/gremien/{council}/bearbeiten/", ("Gremium bearbeiten",), 8),
    "people": ("/plauen/intern/gremien/personen/", ("Neue Person", PERSON_MARKER), 7),
    "person": ("/plauen/intern/gremien/personen/{person}/", ("Person bearbeiten",), 7),
    "registry": ("/plauen/intern/gremien/stammdaten/", ("Fraktionen", "Interessengruppen", "Wahlperioden"), 7),
    "departments": ("/plauen/intern/gremien/verwaltung/", ("Amt 00", "Ämter bearbeiten"), 9),
    "pilots": ("/plauen/intern/gremien/digitallotsen/", ("Neue Digitallotsin", "Lotse 00"), 9),
    "pilot": ("/plauen/intern/gremien/digitallotsen/{pilot}/", ("Digitallotsin oder -lotsen bearbeiten",), 7),
    "membership": ("/plauen/intern/gremien/sitze/{seat}/", ("Sitz bearbeiten",), 9),
}


def _ids(world) -> dict:
    return {"council": world.council.pk, "wg": world.working_group.pk, "internal": world.internal_body.pk,
            "person": world.members[0].pk, "pilot": world.pilots[0].pk,
            "seat": BodyMembership.objects.filter(body=world.council).first().pk}  # fmt: skip


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.mark.parametrize("world", SIZES, indirect=True)
@pytest.mark.parametrize("key", PUBLIC)
def test_public_pages_show_public_matters_in_fixed_queries(world, key, request, client_of, anonymous):
    persona, url, texts, expected = PUBLIC[key]
    client = client_of(request.getfixturevalue(persona)) if persona else anonymous
    response, queries = _get(client, url.format(**_ids(world)))
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html
    assert INTERNAL_MARKER not in html and PERSON_MARKER not in html
    assert queries == expected, f"{key}: {queries} queries"


@pytest.mark.parametrize("world", SIZES, indirect=True)
@pytest.mark.parametrize("key", INTERNAL)
def test_internal_pages_in_fixed_queries(world, key, admin, client_of):
    url, texts, expected = INTERNAL[key]
    response, queries = _get(client_of(admin), url.format(**_ids(world)))
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html, text
    assert queries == expected, f"{key}: {queries} queries"


def test_the_public_page_counts_the_unpublished_member_without_naming_them(world, anonymous):
    html = anonymous.get(f"/plauen/gremien/{world.council.pk}/").content.decode()
    assert "1 weiteres Mitglied, dessen Name nicht veröffentlicht ist" in html
    assert PERSON_MARKER not in html


def test_internal_readers_see_the_internal_person_and_body(world, reader, client_of):
    client = client_of(reader)
    assert PERSON_MARKER in client.get(f"/plauen/gremien/{world.council.pk}/").content.decode()
    assert INTERNAL_MARKER in client.get(f"/plauen/gremien/{world.internal_body.pk}/").content.decode()
    assert INTERNAL_MARKER in client.get("/plauen/intern/gremien/").content.decode()


@pytest.mark.parametrize("persona", [None, "citizen", "outsider", "celle_admin", "celle_reader"])
def test_the_internal_body_is_not_found_from_outside(world, persona, request, client_of, anonymous):
    client = client_of(request.getfixturevalue(persona)) if persona else anonymous
    assert client.get(f"/plauen/gremien/{world.internal_body.pk}/").status_code == 404
    assert client.get(f"/celle/gremien/{world.internal_body.pk}/").status_code == 404
    assert INTERNAL_MARKER not in client.get("/plauen/gremien/").content.decode()


@pytest.mark.parametrize("persona", [None, "citizen", "celle_admin"])
def test_a_public_body_formed_by_an_internal_one_does_not_name_it(world, persona, request, client_of, anonymous):
    """Found by the security crawler: the list and the page of a public body named its internal parent."""
    child = services.create_body(municipality=world.municipality, by=None, name="Unterarbeitsgruppe",
                                 kind="working_group", parent=world.internal_body)  # fmt: skip
    client = client_of(request.getfixturevalue(persona)) if persona else anonymous
    for url in ("/plauen/gremien/", f"/plauen/gremien/{child.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert INTERNAL_MARKER not in response.content.decode(), url
    api = client.get(f"/api/v1/plauen/bodies/{child.pk}").json()
    assert api["name"] == "Unterarbeitsgruppe" and api["parent_id"] is None


def test_an_internal_reader_sees_the_internal_parent(world, reader, client_of):
    child = services.create_body(municipality=world.municipality, by=None, name="Unterarbeitsgruppe",
                                 kind="working_group", parent=world.internal_body)  # fmt: skip
    client = client_of(reader)
    assert INTERNAL_MARKER in client.get(f"/plauen/gremien/{child.pk}/").content.decode()
    assert client.get(f"/api/v1/plauen/bodies/{child.pk}").json()["parent_id"] == world.internal_body.pk


def test_another_towns_body_is_not_found_even_for_the_administrator(world, admin, client_of):
    client = client_of(admin)
    assert client.get(f"/plauen/gremien/{world.celle_body.pk}/").status_code == 404
    assert client.get(f"/plauen/intern/gremien/{world.celle_body.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
def test_the_workspace_is_closed_to_those_without_an_internal_role(world, persona, request, client_of, anonymous):
    client = client_of(request.getfixturevalue(persona))
    for url in ("/plauen/intern/gremien/", f"/plauen/intern/gremien/{world.council.pk}/",
                "/plauen/intern/gremien/personen/", "/plauen/intern/gremien/digitallotsen/"):  # fmt: skip
        assert client.get(url).status_code == 403
        assert anonymous.get(url).status_code == 302


def test_the_administrator_adds_a_member_and_the_seat_is_filled(world, admin, client_of):
    client = client_of(admin)
    url = f"/plauen/intern/gremien/{world.working_group.pk}/"
    assert "0 von 1" in client.get(url).content.decode()  # Lehrerschaft
    data = {"add_member": "1", "person": world.members[1].pk, "role": "member",
            "stakeholder_group": world.groups[1].pk, "start": "2024-07-01"}
    response = client.post(url, data, follow=True)
    assert "Das Mitglied wurde hinzugefügt." in response.content.decode()
    assert BodyMembership.objects.filter(body=world.working_group, person=world.members[1]).exists()


def test_a_member_twice_in_one_seat_is_refused_on_the_page_and_nothing_is_saved(world, admin, client_of):
    client = client_of(admin)
    before = BodyMembership.objects.count()
    response = client.post(f"/plauen/intern/gremien/{world.council.pk}/",
                           {"add_member": "1", "person": world.members[0].pk, "role": "member",
                            "start": "2025-01-01"})  # fmt: skip
    assert response.status_code == 200
    assert "hat die Rolle „Mitglied“ in diesem Gremium zu dieser Zeit bereits" in response.content.decode()
    assert BodyMembership.objects.count() == before


def test_an_end_before_the_start_is_refused_on_the_page(world, admin, client_of):
    seat = BodyMembership.objects.filter(body=world.council).first()
    response = client_of(admin).post(f"/plauen/intern/gremien/sitze/{seat.pk}/",
                                     {"person": seat.person_id, "role": seat.role, "start": "2024-07-01",
                                      "end": "2024-01-01"})  # fmt: skip
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    seat.refresh_from_db()
    assert seat.end is None and seat.start == START


def test_the_administrator_adds_a_rule_person_and_pilot(world, admin, council, client_of):
    client = client_of(admin)
    client.post(f"/plauen/intern/gremien/{world.council.pk}/",
                {"add_rule": "1", "kind": "role_count", "count": "9", "exact": "on", "roles": ["member", "chair"],
                 "label": "Ratsmitglieder"})  # fmt: skip
    rule = CompositionRule.objects.get(body=world.council, label="Ratsmitglieder")
    assert (rule.count, rule.role_list) == (9, ["member", "chair"])
    client.post("/plauen/intern/gremien/personen/", {"name": "Neue Person", "visibility": "public",
                                                     "username": "council"})  # fmt: skip
    assert Person.objects.get(name="Neue Person").user.username == "council"
    response = client.post("/plauen/intern/gremien/personen/", {"name": "Ohne Konto", "visibility": "public",
                                                                "username": "gibt-es-nicht"})  # fmt: skip
    assert "Es gibt kein Konto mit diesem Benutzernamen." in response.content.decode()
    person = Person.objects.get(name="Neue Person")
    data = {"person": person.pk, "department": world.departments[-1].pk, "training_status": "trained",
            "status": "active"}
    client.post("/plauen/intern/gremien/digitallotsen/", data)
    assert DigitalPilot.objects.filter(person=person, department=world.departments[-1]).exists()
    html = client.get("/plauen/gremien/digitallotsen/").content.decode()
    assert "Jedes Amt hat eine ausgebildete Digitallotsin oder einen ausgebildeten Digitallotsen." in html


@pytest.mark.parametrize("persona", ["reader", "council", "pilot", "staff"])
def test_other_internal_roles_read_but_cannot_change(world, persona, request, client_of):
    client = client_of(request.getfixturevalue(persona))
    url = f"/plauen/intern/gremien/{world.council.pk}/"
    assert client.get(url).status_code == 200
    before = BodyMembership.objects.count()
    response = client.post(url, {"add_member": "1", "person": world.hidden.pk, "role": "guest"})
    assert response.status_code == 403
    assert client.get(f"{url}bearbeiten/").status_code == 403
    seat = BodyMembership.objects.filter(body=world.council).first()
    assert client.post(f"/plauen/intern/gremien/sitze/{seat.pk}/loeschen/").status_code == 403
    assert BodyMembership.objects.count() == before

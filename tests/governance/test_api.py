"""The governance API under /api/v1/: public data for everyone, internal data only for internal
roles, the same 404 for hidden and foreign objects, writes for the administration with clear
errors, and query counts that do not grow with the data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadtlotse.core import services as core_services
from stadtlotse.governance.models import BodyMembership, DigitalPilot, Person

from .conftest import INTERNAL_MARKER, PERSON_MARKER, SIZES

API = "/api/v1/plauen"


@pytest.fixture
def key_of(db):
    def make(user) -> dict[str, str]:
        _token, key = core_services.create_api_token(user=user, name="Skript")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


def send(client, method: str, url: str, data=None, **extra):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json", **extra)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), len(queries)


# (path formatted with ids, anonymous queries, internal reader queries)
READS = {
    "department-tree": ("/department-tree", 4, 7),
    "people": ("/people", 2, 5),
    "factions": ("/factions", 2, 4),
    "groups": ("/stakeholder-groups", 2, 4),
    "terms": ("/terms", 2, 4),
    "bodies": ("/bodies", 7, 10),
    "body": ("/bodies/{council}", 7, 10),
    "pilots": ("/pilots", 2, 5),
    "coverage": ("/pilots/coverage", 3, 5),
}


@pytest.mark.parametrize("world", SIZES, indirect=True)
@pytest.mark.parametrize("key", READS)
def test_reads_in_fixed_queries_and_without_internal_data_for_anonymous(world, key, anonymous, reader, client_of):
    path, anonymous_queries, reader_queries = READS[key]
    url = API + path.format(council=world.council.pk)
    data, queries = _get(anonymous, url)
    assert INTERNAL_MARKER not in json.dumps(data) and PERSON_MARKER not in json.dumps(data)
    assert queries == anonymous_queries, f"{key}: {queries} queries"
    _data, queries = _get(client_of(reader), url)
    assert queries == reader_queries, f"{key} as reader: {queries} queries"


def test_internal_readers_get_the_internal_body_and_person(world, reader, client_of):
    client = client_of(reader)
    bodies = client.get(f"{API}/bodies").json()
    assert INTERNAL_MARKER in json.dumps(bodies)
    people = client.get(f"{API}/people").json()
    assert PERSON_MARKER in {p["name"] for p in people}
    assert all("email" in p for p in people)
    council = client.get(f"{API}/bodies/{world.council.pk}").json()
    assert council["hidden_members"] == 0 and PERSON_MARKER in {m["person_name"] for m in council["members"]}


@pytest.mark.parametrize("persona", [None, "citizen", "outsider", "celle_admin", "celle_reader"])
def test_from_outside_the_internal_body_is_not_found_and_people_show_no_contact_data(
    world, persona, request, client_of, anonymous
):
    client = client_of(request.getfixturevalue(persona)) if persona else anonymous
    response = client.get(f"{API}/bodies/{world.internal_body.pk}")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    people = client.get(f"{API}/people").json()
    assert PERSON_MARKER not in {p["name"] for p in people}
    assert all("email" not in p and "user_id" not in p for p in people)
    council = client.get(f"{API}/bodies/{world.council.pk}").json()
    assert council["hidden_members"] == 1
    assert PERSON_MARKER not in json.dumps(council)
    assert client.get(f"/api/v1/celle/bodies/{world.council.pk}").status_code == 404


def test_the_body_shows_its_composition(world, anonymous):
    data = anonymous.get(f"{API}/bodies/{world.working_group.pk}").json()
    (rule,) = data["composition"]["rules"]
    assert [(line["label"], line["filled"], line["missing"]) for line in rule["lines"]] == [
        ("Eltern", 1, 0), ("Lehrerschaft", 0, 1), ("Unternehmen", 0, 1),
    ]  # fmt: skip
    assert (data["composition"]["required"], data["composition"]["filled"], data["composition"]["ok"]) == (3, 1, False)
    council = anonymous.get(f"{API}/bodies/{world.council.pk}").json()
    # Every faction has its one member; the internal person's advisory seat counts no faction.
    assert council["composition"]["ok"] is True and council["composition"]["required"] == world.size


@pytest.mark.parametrize("world", SIZES, indirect=True)
def test_coverage_names_the_department_still_without_a_pilot(world, anonymous):
    data = anonymous.get(f"{API}/pilots/coverage").json()
    size = world.size
    expected = (Decimal(size - 1) * 100 / size).quantize(Decimal("0.1"))
    assert (data["covered"], data["total"], Decimal(str(data["percent"])), data["complete"]) == (
        size - 1, size, expected, False)  # fmt: skip
    assert [d["name"] for d in data["uncovered"]] == [f"Amt {size - 1:02d}"]


def test_the_department_tree_nests_units_with_their_pilots(world, anonymous):
    child = core_services.create_department(municipality=world.municipality, by=None, code="00.1", name="Sachgebiet",
                                            parent=world.departments[0])  # fmt: skip
    tree = anonymous.get(f"{API}/department-tree").json()
    first = next(node for node in tree if node["name"] == "Amt 00")
    assert [c["id"] for c in first["children"]] == [child.pk]
    assert first["pilots"] == [world.pilots[0].pk]
    assert child.pk not in {node["id"] for node in tree}


def test_writes_need_the_administration(world, anonymous, reader, celle_admin, key_of):
    url = f"{API}/bodies/{world.council.pk}/members"
    payload = {"person_id": world.members[0].pk, "role": "guest"}
    assert send(anonymous, "post", url, payload).status_code == 401
    assert send(anonymous, "post", url, payload, **key_of(reader)).status_code == 403
    # Another town's administrator may read Plauen's public council but not change it.
    assert send(anonymous, "post", url, payload, **key_of(celle_admin)).status_code == 403
    internal = f"{API}/bodies/{world.internal_body.pk}/members"
    assert send(anonymous, "post", internal, payload, **key_of(celle_admin)).status_code == 404
    assert not BodyMembership.objects.filter(role="guest").exists()


def test_the_administration_writes_through_the_api(world, anonymous, admin, council, key_of):
    headers = key_of(admin)
    person = send(anonymous, "post", f"{API}/people", {"name": "Neu", "username": "council",
                                                       "faction_id": world.factions[0].pk}, **headers)  # fmt: skip
    assert person.status_code == 201, person.content
    assert Person.objects.get(pk=person.json()["id"]).user == council
    body = send(anonymous, "post", f"{API}/bodies", {"name": "Neuer Ausschuss", "kind": "committee",
                                                     "parent_id": world.council.pk}, **headers)  # fmt: skip
    assert body.status_code == 201, body.content
    body_id = body.json()["id"]
    rule = send(anonymous, "post", f"{API}/bodies/{body_id}/rules",
                {"kind": "role_count", "count": 2, "roles": ["member"], "label": "Mitglieder"}, **headers)
    assert rule.status_code == 201, rule.content
    member = send(anonymous, "post", f"{API}/bodies/{body_id}/members",
                  {"person_id": person.json()["id"], "start": "2025-01-01"}, **headers)
    assert member.status_code == 201, member.content
    detail = anonymous.get(f"{API}/bodies/{body_id}").json()
    assert [(line["label"], line["filled"], line["missing"]) for line in detail["composition"]["rules"][0]["lines"]] \
        == [("Mitglieder", 1, 1)]  # fmt: skip
    ended = send(anonymous, "patch", f"{API}/memberships/{member.json()['id']}", {"end": "2025-06-30"}, **headers)
    assert ended.json()["end"] == "2025-06-30"
    pilot = send(anonymous, "post", f"{API}/pilots", {"person_id": person.json()["id"],
                                                      "department_id": world.departments[-1].pk,
                                                      "training_status": "trained"}, **headers)  # fmt: skip
    assert pilot.status_code == 201, pilot.content
    assert anonymous.get(f"{API}/pilots/coverage").json()["complete"] is True
    assert send(anonymous, "patch", f"{API}/pilots/{pilot.json()['id']}", {"status": "inactive"},
                **headers).json()["status"] == "inactive"  # fmt: skip
    assert send(anonymous, "delete", f"{API}/memberships/{member.json()['id']}", **headers).status_code == 204


def test_bad_input_gets_a_clear_error_and_changes_nothing(world, anonymous, admin, key_of):
    headers = key_of(admin)
    url = f"{API}/bodies/{world.council.pk}/members"
    twice = send(anonymous, "post", url, {"person_id": world.members[0].pk, "start": "2026-01-01"}, **headers)
    assert twice.status_code == 422
    assert "Mitglied 00" in twice.json()["detail"]
    backwards = send(anonymous, "post", url, {"person_id": world.hidden.pk, "role": "guest", "start": "2025-02-01",
                                              "end": "2025-01-01"}, **headers)  # fmt: skip
    assert backwards.status_code == 422 and "end" in backwards.json()["errors"]
    foreign = send(anonymous, "post", url, {"person_id": Person.objects.get(name="Ratsherr Celle").pk}, **headers)
    assert foreign.status_code == 404
    unknown = send(anonymous, "post", f"{API}/people", {"name": "X", "username": "gibt-es-nicht"}, **headers)
    assert unknown.status_code == 422
    pilot = world.pilots[0]
    again = send(anonymous, "post", f"{API}/pilots", {"person_id": pilot.person_id,
                                                      "department_id": pilot.department_id}, **headers)  # fmt: skip
    assert again.status_code == 422
    seat = BodyMembership.objects.filter(body=world.council, person=world.members[0]).get()
    patched = send(anonymous, "patch", f"{API}/memberships/{seat.pk}", {"end": "2020-01-01"}, **headers)
    assert patched.status_code == 422
    seat.refresh_from_db()
    assert seat.end is None
    assert BodyMembership.objects.filter(body=world.council).count() == world.size + 1
    assert DigitalPilot.objects.count() == len(world.pilots)
    assert not Person.objects.filter(name="X").exists()

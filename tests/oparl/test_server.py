"""The OParl server: schema-valid objects and lists, paging, filters, deleted objects, and
nothing confidential or internal in any answer."""

from __future__ import annotations

import pytest

from .conftest import SECRET, build_world, validate, validate_list

LISTS = {
    "organizations": "Organization", "people": "Person", "memberships": "Membership",
    "legislative-terms": "LegislativeTerm", "meetings": "Meeting", "agenda-items": "AgendaItem",
    "papers": "Paper", "consultations": "Consultation", "files": "File", "locations": "Location",
}  # fmt: skip


def _all_pages(client, url: str) -> list[dict]:
    items, seen = [], set()
    while url:
        assert url not in seen
        seen.add(url)
        answer = client.get(url).json()
        items += answer["data"]
        url = answer["links"].get("next")
    return items


def test_system_and_body_validate(anonymous, world):
    system = anonymous.get("/oparl/v1/").json()
    validate(system, "System")
    bodies = anonymous.get(system["body"]).json()
    validate_list(bodies, "Body")
    body = anonymous.get("/oparl/v1/plauen/").json()
    validate(body, "Body")
    assert body["ags"] == "14523319"
    assert [t["name"] for t in body["legislativeTerm"]] == ["2024–2029"]


@pytest.mark.parametrize("segment", sorted(LISTS))
def test_every_list_and_object_validates_and_hides_secrets(anonymous, world, segment):
    answer = anonymous.get(f"/oparl/v1/plauen/{segment}/?limit=2")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/json")
    validate_list(answer.json(), LISTS[segment])
    items = _all_pages(anonymous, f"/oparl/v1/plauen/{segment}/?limit=2")
    assert items, segment
    for item in items:
        validate(item, LISTS[segment])
        single = anonymous.get(item["id"].removeprefix("http://testserver"))
        assert single.status_code == 200
        assert single.json() == item
    assert SECRET not in str(items)


def _hidden_urls(world) -> list[str]:
    w, base = world, "/oparl/v1/plauen"
    item = next(i for i in w.meetings[0].items.all() if not i.public)
    closed_step = w.papers[0].steps.get(public=False)
    closed_file = w.hidden[1].files.first() if hasattr(w, "hidden") else w.hidden_papers[1].files.first()
    return [
        f"{base}/organization/b{w.secret_body.pk}/",
        f"{base}/person/{w.secret_person.pk}/",
        f"{base}/meeting/{w.secret_meeting.pk}/",
        f"{base}/location/{w.secret_meeting.pk}/",
        f"{base}/agenda-item/{item.pk}/",
        f"{base}/consultation/{closed_step.pk}/",
        f"{base}/file/{closed_file.pk}/",
        f"{base}/membership/m{w.secret_person.memberships.get().pk}/",
        f"{base}/membership/m{w.people[0].memberships.get(body=w.secret_body).pk}/",
    ] + [f"{base}/paper/{p.pk}/" for p in w.hidden_papers]


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "admin", "celle_admin"])
def test_hidden_objects_answer_404_to_everyone(request, client_of, world, persona):
    client = (
        request.getfixturevalue("anonymous") if persona == "anonymous" else client_of(request.getfixturevalue(persona))
    )
    for url in _hidden_urls(world):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert answer.json() == {"error": "Nicht gefunden."} or "error" in answer.json()
    assert client.get("/oparl/v1/plauen/paper/abc/").status_code == 404
    assert client.get("/oparl/v1/plauen/nonsense/").status_code == 404
    assert client.get("/oparl/v1/nowhere/").status_code == 404


def test_counts_and_embedded_lists_leave_hidden_objects_out(anonymous, world):
    papers = anonymous.get("/oparl/v1/plauen/papers/").json()
    assert papers["pagination"]["totalElements"] == len(world.papers)
    assert {p["reference"] for p in papers["data"]} == {p.reference for p in world.papers}
    first = next(p for p in papers["data"] if p["reference"] == world.papers[0].reference)
    assert len(first["consultation"]) == 2  # the non-public step is not there
    assert all(c["stadtlotse:public"] for c in first["consultation"])
    meetings = anonymous.get("/oparl/v1/plauen/meetings/").json()
    assert meetings["pagination"]["totalElements"] == len(world.meetings)
    assert all(len(m["agendaItem"]) == 1 and m["agendaItem"][0]["public"] for m in meetings["data"])
    people = anonymous.get("/oparl/v1/plauen/people/").json()
    assert people["pagination"]["totalElements"] == len(world.people)
    organizations = anonymous.get("/oparl/v1/plauen/organizations/").json()
    council = next(o for o in organizations["data"] if o["name"] == "Stadtrat")
    assert len(council["membership"]) == len(world.people)  # the internal person's seat is not listed
    memberships = anonymous.get("/oparl/v1/plauen/memberships/").json()
    organizations_of = {m["organization"] for m in memberships["data"]}
    assert not any(f"b{world.secret_body.pk}/" in url for url in organizations_of)
    files = anonymous.get("/oparl/v1/plauen/files/").json()
    assert files["pagination"]["totalElements"] == len(world.papers)


def test_relations_and_extension_fields(anonymous, world):
    second = anonymous.get(f"/oparl/v1/plauen/paper/{world.papers[1].pk}/").json()
    target = f"http://testserver/oparl/v1/plauen/paper/{world.papers[0].pk}/"
    assert second["relatedPaper"] == [target]
    assert second["stadtlotse:relation"] == [{"kind": "amends", "paper": target}]
    assert second["stadtlotse:kind"] == "proposal"
    assert second["originatorOrganization"] == [
        f"http://testserver/oparl/v1/plauen/organization/f{world.factions[0].pk}/"
    ]
    assert second["mainFile"]["accessUrl"].endswith(
        f"/rat/vorlagen/{world.papers[1].pk}/dateien/{world.papers[1].files.get().pk}/"
    )
    committee = anonymous.get(f"/oparl/v1/plauen/organization/b{world.committee.pk}/").json()
    assert committee["subOrganizationOf"].endswith(f"/organization/b{world.council.pk}/")
    assert committee["stadtlotse:kind"] == "committee"


def test_paging_follows_next_to_the_end(anonymous, world):
    first = anonymous.get("/oparl/v1/plauen/organizations/?limit=2").json()
    total = first["pagination"]["totalElements"]
    assert total == 2 + len(world.factions)  # council, committee and the factions
    assert first["pagination"]["totalPages"] == (total + 1) // 2
    items = _all_pages(anonymous, "/oparl/v1/plauen/organizations/?limit=2")
    assert len(items) == total == len({i["id"] for i in items})
    last = anonymous.get(f"/oparl/v1/plauen/organizations/?limit=2&page={first['pagination']['totalPages']}").json()
    assert "next" not in last["links"] and "prev" in last["links"]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=x", "page=-1", "modified_since=gestern", "created_until=2025-13-01"]
)
def test_bad_parameters_answer_400(anonymous, world, query):
    answer = anonymous.get(f"/oparl/v1/plauen/papers/?{query}")
    assert answer.status_code == 400
    assert answer.json()["error"]


def test_filters_by_created_and_modified(anonymous, world, time_machine):
    from stadtlotse.council import services as council

    base = "/oparl/v1/plauen/papers/"
    assert len(anonymous.get(base + "?modified_since=2999-01-01T00:00:00%2B01:00").json()["data"]) == 0
    assert len(anonymous.get(base + "?created_until=2000-01-01T00:00:00%2B01:00").json()["data"]) == 0
    time_machine.move_to("2031-05-01T12:00:00+02:00")
    council.update_paper(paper=world.papers[2], by=None, title="Geändert")
    answer = anonymous.get(base + "?modified_since=2031-05-01T11:00:00%2B02:00").json()
    assert [p["name"] for p in answer["data"]] == ["Geändert"]
    assert answer["data"][0]["modified"] == "2031-05-01T12:00:00+02:00"
    untouched = anonymous.get(base + "?modified_until=2031-05-01T11:00:00%2B02:00").json()
    assert len(untouched["data"]) == len(world.papers) - 1
    created = anonymous.get(base + "?created_since=2031-01-01T00:00:00%2B01:00").json()
    assert created["data"] == []
    # a change of a consultation step changes its paper too (the step is embedded)
    time_machine.move_to("2031-06-01T12:00:00+02:00")
    step = world.papers[1].steps.filter(public=True).first()
    council.update_step(step=step, by=None, result="adopted")
    answer = anonymous.get(base + "?modified_since=2031-06-01T11:00:00%2B02:00").json()
    assert [p["reference"] for p in answer["data"]] == [world.papers[1].reference]


def test_deleted_objects_answer_deleted_and_appear_in_synchronising_lists(anonymous, world, time_machine):
    from stadtlotse.council import services as council
    from stadtlotse.council.models import Paper

    time_machine.move_to("2031-05-01T12:00:00+02:00")
    gone = world.papers[2]
    gone_pk, secret_pk = gone.pk, world.hidden_papers[0].pk
    gone._history_user = None
    Paper.objects.filter(pk__in=[gone_pk, secret_pk]).delete()
    for step in list(world.meetings[0].items.filter(public=True)):
        council.remove_agenda_item(item=step, by=None)
    answer = anonymous.get(f"/oparl/v1/plauen/paper/{gone_pk}/")
    assert answer.status_code == 200
    obj = answer.json()
    assert obj["deleted"] is True and obj["modified"] == "2031-05-01T12:00:00+02:00"
    validate(obj, "Paper")
    assert anonymous.get(f"/oparl/v1/plauen/paper/{secret_pk}/").status_code == 404
    listing = anonymous.get("/oparl/v1/plauen/papers/?modified_since=2031-05-01T11:00:00%2B02:00").json()
    assert [(p["id"].rsplit("/", 2)[-2], p.get("deleted")) for p in listing["data"]] == [(str(gone_pk), True)]
    assert listing["pagination"]["totalElements"] == 1
    assert all(p.get("deleted") is None for p in anonymous.get("/oparl/v1/plauen/papers/").json()["data"])
    items = anonymous.get("/oparl/v1/plauen/agenda-items/?modified_since=2031-05-01T11:00:00%2B02:00").json()
    assert [i.get("deleted") for i in items["data"]] == [True]
    validate_list(items, "AgendaItem")


@pytest.mark.parametrize("segment", sorted(LISTS))
def test_list_queries_do_not_grow_with_the_data(
    anonymous, plauen, celle, settings, tmp_path, segment, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    build_world(plauen, 2)
    with django_assert_max_num_queries(12) as small:
        anonymous.get(f"/oparl/v1/plauen/{segment}/?modified_since=2000-01-01T00:00:00%2B01:00")
    build_world(celle, 9)
    with django_assert_max_num_queries(len(small.captured_queries)):
        answer = anonymous.get(f"/oparl/v1/celle/{segment}/?modified_since=2000-01-01T00:00:00%2B01:00")
    assert answer.json()["data"]


def test_object_and_body_queries_are_few(anonymous, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        anonymous.get("/oparl/v1/plauen/")
    with django_assert_max_num_queries(10):
        anonymous.get(f"/oparl/v1/plauen/paper/{world.papers[0].pk}/")


def test_pages_link_only_readable_papers(anonymous, world):
    """Relations and agenda items on a page are judged per row: links to confidential papers,
    in either direction, and a public item's unreadable paper are left out."""
    from stadtlotse.council import services as council

    confidential, only_closed, _internal = world.hidden_papers
    first, second = world.papers[0], world.papers[1]
    council.relate_papers(source=first, target=confidential, kind="amends", by=None)
    council.relate_papers(source=only_closed, target=second, kind="amends", by=None)
    council.add_agenda_item(meeting=world.meetings[0], by=None, number="Ö 9", title="Offen", paper=only_closed)
    papers = {p["reference"]: p for p in anonymous.get("/oparl/v1/plauen/papers/").json()["data"]}
    url = "http://testserver/oparl/v1/plauen/paper/{}/"
    assert papers[first.reference]["relatedPaper"] == [url.format(second.pk)]
    assert "stadtlotse:relation" not in papers[first.reference]
    assert papers[second.reference]["relatedPaper"] == [url.format(first.pk)]
    meeting = anonymous.get(f"/oparl/v1/plauen/meeting/{world.meetings[0].pk}/").json()
    listed = next(m for m in anonymous.get("/oparl/v1/plauen/meetings/").json()["data"] if m["id"] == meeting["id"])
    assert listed == meeting
    validate(meeting, "Meeting")
    items = {i["number"]: i for i in meeting["agendaItem"]}
    assert "stadtlotse:paper" not in items["Ö 9"] and items["Ö 1"]["stadtlotse:paper"] == url.format(first.pk)


@pytest.mark.parametrize("segment,limit", [("papers", 8), ("meetings", 4)])
def test_paper_and_meeting_pages_cost_a_fixed_number_of_queries(
    anonymous, plauen, celle, settings, tmp_path, segment, limit, django_assert_max_num_queries
):
    """One query per prefetched relation of the page, whatever the size of the page's objects."""
    settings.MEDIA_ROOT = tmp_path
    build_world(plauen, 2)
    with django_assert_max_num_queries(limit) as small:
        anonymous.get(f"/oparl/v1/plauen/{segment}/")
    build_world(celle, 9)
    with django_assert_max_num_queries(limit) as large:
        answer = anonymous.get(f"/oparl/v1/celle/{segment}/?limit=5&page=2")
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(answer.json()["data"]) == 4


def test_meetings_come_25_a_page_unless_asked_otherwise(anonymous, world):
    meetings = anonymous.get("/oparl/v1/plauen/meetings/").json()["pagination"]
    papers = anonymous.get("/oparl/v1/plauen/papers/").json()["pagination"]
    assert (meetings["elementsPerPage"], papers["elementsPerPage"]) == (25, 100)
    assert anonymous.get("/oparl/v1/plauen/meetings/?limit=100").json()["pagination"]["elementsPerPage"] == 100

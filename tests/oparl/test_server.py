"""The OParl server: schema-valid objects and lists, paging, filters, deleted objects, and
nothing confidential or internal in any answer."""

from __future__ import annotations

import pytest

from .conftest import SECRET, validate, validate_list

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

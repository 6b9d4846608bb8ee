"""The schools API over HTTP with personal tokens: public list and equity, internal plan and
school data, school accounts limited to their own school, 404 across towns, query counts."""

import json
from datetime import date

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.schools import services
from stadtlotse.schools.models import InventorySnapshot


@pytest.fixture
def api(anonymous):
    """``api(user)`` → (get, post) with the user's bearer token (anonymous for None)."""

    def make(user):
        headers = {}
        if user is not None:
            _token, key = core_services.create_api_token(user=user, name="Schultest")
            headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        get = lambda url: anonymous.get(url, **headers)  # noqa: E731
        post = lambda url, data: anonymous.post(url, json.dumps(data), content_type="application/json",  # noqa: E731
                                                **headers)  # fmt: skip
        return get, post

    return make


SNAPSHOT = {"taken_on": "2025-06-01", "bandwidth_mbit": "1000", "rooms": 20, "rooms_with_wlan": 20,
            "presentation_devices": 10, "pupil_devices": 50, "teacher_devices": 15, "support_model": "authority",
            "response_hours": 24}  # fmt: skip


def test_anyone_reads_the_school_list_without_internal_figures(school_world, api):
    get, _post = api(None)
    response = get("/api/v1/plauen/schools")
    assert response.status_code == 200
    rows = response.json()
    assert [r["name"] for r in rows] == ["Schule 00", "Schule 01", "Schule 02"]
    assert set(rows[0]) == {"id", "name", "school_number", "school_type", "address"}


def test_equity_of_a_public_plan_is_public_and_has_no_costs(school_world, api):
    get, _post = api(None)
    body = get(f"/api/v1/plauen/school-plans/{school_world.plan.pk}/equity").json()
    assert body["schools"][0] == {"id": school_world.schools[0].pk, "name": "Schule 00", "index_percent": "38.90"}
    # 38.9, 38.5 (20 of 53 pupil devices), 38.3 (20 of 55): all below 60, lowest first
    assert [r["index_percent"] for r in body["schools"]] == ["38.90", "38.50", "38.30"]
    assert body["spread"] == {"lowest": "38.30", "median": "38.50", "highest": "38.90",
                              "below_threshold": [s.pk for s in school_world.schools][::-1]}  # fmt: skip
    assert "investment" not in json.dumps(body)


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
def test_the_plan_with_costs_is_internal(school_world, api, persona, request):
    get, _post = api(request.getfixturevalue(persona))
    assert get(f"/api/v1/plauen/school-plans/{school_world.plan.pk}").status_code == 403
    assert get(f"/api/v1/plauen/schools/{school_world.schools[0].pk}").status_code == 404


def test_anonymous_gets_no_plan_and_no_school_data(school_world, api):
    get, _post = api(None)
    assert get(f"/api/v1/plauen/school-plans/{school_world.plan.pk}").status_code == 401
    assert get(f"/api/v1/plauen/schools/{school_world.schools[0].pk}").status_code == 404


def test_an_internal_plan_is_hidden_from_the_public(school_world, api):
    services.update_plan(plan=school_world.plan, by=None, visibility="internal")
    get, _post = api(None)
    assert get(f"/api/v1/plauen/school-plans/{school_world.plan.pk}/equity").status_code == 404


def test_celle_staff_get_404_for_plauens_plan_and_school_through_celle(school_world, api, celle_admin):
    get, _post = api(celle_admin)
    assert get(f"/api/v1/celle/school-plans/{school_world.plan.pk}").status_code == 404
    assert get(f"/api/v1/celle/schools/{school_world.schools[0].pk}").status_code == 404


def test_internal_roles_read_the_plan_with_gaps_order_and_schedule(school_world, api, council):
    get, _post = api(council)
    body = get(f"/api/v1/plauen/school-plans/{school_world.plan.pk}").json()
    # running: 3 × (1,200 + 600 + 720 + 1,200) + (30 + 33 + 35) pupil devices × 90 = 19,980;
    # replacement: 3 × (4,375 + 6,000 + 2,000) + 98 × 100 = 46,925
    assert body["totals"] == {"investment": "448000.00", "grant": "200000.00", "own_share": "248000.00",
                              "running_per_year": "19980.00", "replacement_per_year": "46925.00"}  # fmt: skip
    assert body["order"] == [s.pk for s in school_world.schools]
    assert body["unfunded"] == {str(school_world.schools[2].pk): "88000.00"}


def test_school_account_reads_and_records_only_its_own_school(school_world, api, school_user):
    get, post = api(school_user)
    own, other = school_world.schools[:2]
    assert get(f"/api/v1/plauen/schools/{own.pk}").json()["snapshots"][-1]["rooms_with_wlan"] == 10
    assert get(f"/api/v1/plauen/schools/{other.pk}").status_code == 404
    assert post(f"/api/v1/plauen/schools/{other.pk}/snapshots", SNAPSHOT).status_code == 404
    response = post(f"/api/v1/plauen/schools/{own.pk}/snapshots", SNAPSHOT)
    assert response.status_code == 201 and response.json()["rooms_with_wlan"] == 20
    assert InventorySnapshot.objects.filter(taken_on=date(2025, 6, 1)).count() == 1
    assert get(f"/api/v1/plauen/school-plans/{school_world.plan.pk}").status_code == 403


def test_bad_snapshot_gives_422_naming_the_field_and_saves_nothing(school_world, api, school_user):
    _get, post = api(school_user)
    own = school_world.schools[0]
    response = post(f"/api/v1/plauen/schools/{own.pk}/snapshots", {**SNAPSHOT, "rooms_with_wlan": 21})
    assert response.status_code == 422 and "rooms_with_wlan" in response.json()["errors"]
    response = post(f"/api/v1/plauen/schools/{own.pk}/snapshots", {**SNAPSHOT, "taken_on": "2025-01-10"})
    assert response.status_code == 422 and "taken_on" in response.json()["errors"]
    assert own.snapshots.count() == 2


def test_reader_may_read_but_not_record(school_world, api, reader):
    _get, post = api(reader)
    assert post(f"/api/v1/plauen/schools/{school_world.schools[0].pk}/snapshots", SNAPSHOT).status_code == 403


@pytest.mark.parametrize("school_world", [2, 8], indirect=True)
def test_endpoints_need_a_fixed_number_of_queries(school_world, api, admin, django_assert_max_num_queries):
    get, post = api(admin)
    school = school_world.schools[0].pk
    for url, limit in [("/api/v1/plauen/schools", 4), (f"/api/v1/plauen/schools/{school}", 8),
                       (f"/api/v1/plauen/school-plans/{school_world.plan.pk}", 10),
                       (f"/api/v1/plauen/school-plans/{school_world.plan.pk}/equity", 10)]:  # fmt: skip
        with django_assert_max_num_queries(limit):
            assert get(url).status_code == 200, url
    with django_assert_max_num_queries(20):  # token, roles, checks, insert, history, savepoints
        assert post(f"/api/v1/plauen/schools/{school}/snapshots", SNAPSHOT).status_code == 201

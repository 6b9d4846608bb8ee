"""The online services API under /api/v1/: reads by role, writes through the services, counts."""

import json

import pytest
from django.test import Client

from stadtlotse.core import services as core_services
from stadtlotse.onlineservices.models import MaturityAssessment, RolloutStep, Service, Usage

from .conftest import INTERNAL_MARKER, SIZES

pytestmark = pytest.mark.django_db
API = "/api/v1/plauen"


def bearer(user) -> dict:
    _token, key = core_services.create_api_token(user=user, name="Test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client: Client, url: str, data: dict, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_anonymous_lists_public_services_only(os_world, anonymous):
    response = anonymous.get(f"{API}/services?limit=100")
    names = [s["name"] for s in response.json()["items"]]
    assert response.status_code == 200
    assert "Dienst 00" in names and INTERNAL_MARKER not in names and "Celler Dienst" not in names
    third = next(s for s in response.json()["items"] if s["name"] == "Dienst 02")
    assert (third["maturity_model"], third["maturity_level"], third["ozg_compliant"]) == ("1.1", 2, False)
    assert third["level_definition"].startswith("Formular:")


@pytest.mark.parametrize("persona", [None, "citizen", "celle_admin"])
def test_internal_service_is_404_for_those_who_may_not_read_it(os_world, persona, request, anonymous):
    headers = bearer(request.getfixturevalue(persona)) if persona else {}
    for url in (f"{API}/services/{os_world.internal.pk}", f"{API}/services/{os_world.internal.pk}/usage",
                f"{API}/services/{os_world.internal.pk}/assessments"):  # fmt: skip
        response = anonymous.get(url, **headers)
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("persona", [None, "citizen", "celle_admin"])
def test_processes_are_internal(os_world, persona, request, anonymous):
    headers = bearer(request.getfixturevalue(persona)) if persona else {}
    assert anonymous.get(f"{API}/processes", **headers).status_code in (401, 403)
    assert anonymous.get(f"{API}/processes/{os_world.process.pk}", **headers).status_code == 404


def test_reader_sees_processes_with_todays_rollout(os_world, reader, anonymous):
    response = anonymous.get(f"{API}/processes", **bearer(reader))
    assert response.status_code == 200
    process = response.json()[0]
    assert process["today"] == {"paper": 0, "hybrid": 1, "digital": 1}
    assert process["digital_share"] == "50.0"


def test_usage_summary_by_hand(os_world, anonymous):
    # Dienst 02: online 20 a month, offline 99, 98, 97 → 60 / 354 = 16.949… → 16.9 %
    service = os_world.services[2]
    data = anonymous.get(f"{API}/services/{service.pk}/usage").json()
    assert data["online_share"] == "16.9"
    # last two months: 20/118 = 16.949 → 16.9; 20/117 = 17.094 → 17.1 → +0.2
    assert (data["trend_change_points"], data["trend_direction"]) == ("0.2", "up")


def test_admin_assesses_through_the_api_and_bad_levels_get_422(os_world, admin, anonymous):
    headers = bearer(admin)
    url = f"{API}/services/{os_world.services[0].pk}/assessments"
    response = post(anonymous, url, {"model": "2.0", "assessed_on": "2026-05-01", "level": 8}, **headers)
    assert response.status_code == 422 and "0 bis 7" in response.json()["detail"]
    response = post(anonymous, url, {"model": "2.0", "assessed_on": "2026-05-01", "level": 5}, **headers)
    assert response.status_code == 201
    service = Service.objects.get(pk=os_world.services[0].pk)
    assert (service.maturity_model, service.maturity_level) == ("2.0", 5)
    assert MaturityAssessment.objects.filter(service=service).count() == 3


def test_usage_through_the_api_refuses_negative_and_duplicate_months(os_world, staff, anonymous):
    headers = bearer(staff)
    url = f"{API}/services/{os_world.services[1].pk}/usage"
    assert post(anonymous, url, {"period": "2026-05-01", "online": -1, "offline": 3}, **headers).status_code == 422
    assert post(anonymous, url, {"period": "2026-02-10", "online": 1, "offline": 3}, **headers).status_code == 422
    response = post(anonymous, url, {"period": "2026-05-10", "online": 1, "offline": 3}, **headers)
    assert response.status_code == 201 and response.json()["online_share"] == "25.0"
    assert Usage.objects.filter(service=os_world.services[1]).count() == 4


@pytest.mark.parametrize("persona", ["pilot", "citizen", "celle_admin"])
def test_others_cannot_write(os_world, persona, request, anonymous):
    headers = bearer(request.getfixturevalue(persona))
    url = f"{API}/services/{os_world.services[0].pk}/assessments"
    response = post(anonymous, url, {"model": "1.1", "assessed_on": "2026-05-01", "level": 4}, **headers)
    assert response.status_code in (403, 404)
    response = post(anonymous, f"{API}/services", {"name": "Neu"}, **headers)
    assert response.status_code == 403
    assert not Service.objects.filter(name="Neu").exists()


def test_editor_creates_a_service_with_leika_key_and_a_project(os_world, staff, anonymous):
    from stadtlotse.onlineservices import services

    services.add_catalogue_entry(key="99100000000077", name="Hund anmelden")
    data = {"name": "Hund anmelden", "leika_key": "99100000000077", "department_id": os_world.desk.pk,
            "project_ids": [os_world.public_project.pk]}  # fmt: skip
    response = post(anonymous, f"{API}/services", data, **bearer(staff))
    assert response.status_code == 201 and response.json()["leika_key"] == "99100000000077"
    assert list(Service.objects.get(name="Hund anmelden").projects.all()) == [os_world.public_project]


def test_rollout_step_through_the_api(os_world, admin, anonymous):
    url = f"{API}/processes/{os_world.process.pk}/steps"
    data = {"department_id": os_world.office.pk, "state": "digital", "since": "2024-02-01"}
    assert post(anonymous, url, data, **bearer(admin)).status_code == 201
    assert RolloutStep.objects.filter(process=os_world.process).count() == 3


def test_overview_endpoint_by_hand(os_world, anonymous):
    data = anonymous.get(f"{API}/onlineservices/overview").json()
    # three public services at levels 0, 1, 2 (the internal one is not visible to anonymous)
    assert data["current"]["total"] == 3
    assert [lvl["count"] for lvl in data["current"]["levels"]] == [1, 1, 1, 0, 0]
    assert data["current"]["compliant_share"] == "0.0"
    # no online offer: Dienst 00 and 02 (Dienst 01 has an online application); offline 99+98+97 each
    assert [(lv["name"], lv["offline"]) for lv in data["levers"]] == [("Dienst 00", 294), ("Dienst 02", 294)]


def test_catalogue_is_public(os_world, anonymous):
    from stadtlotse.onlineservices import services

    services.add_catalogue_entry(key="99100000000088", name="Fundsache melden")
    response = anonymous.get("/api/v1/catalogue?q=Fund")
    assert [e["key"] for e in response.json()["items"]] == ["99100000000088"]


@pytest.mark.parametrize("os_world", SIZES, indirect=True)
@pytest.mark.parametrize(("path", "limit"), [("/services?limit=100", 6), ("/onlineservices/overview", 7),
                                             ("/processes", 7)])  # fmt: skip
def test_endpoints_need_a_fixed_number_of_queries(os_world, reader, path, limit, django_assert_max_num_queries):
    client = Client()
    client.force_login(reader)
    with django_assert_max_num_queries(limit):
        assert client.get(API + path).status_code == 200

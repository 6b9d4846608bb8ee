"""Server errors the API fuzzer (``tests/security/test_fuzz.py``) found, each kept as a test."""

from __future__ import annotations

import pytest

from stadtlotse.core import services
from stadtlotse.core.models import Department
from stadtlotse.governance import services as governance


@pytest.fixture
def key(admin) -> str:
    return services.create_api_token(user=admin, name="Skript")[1]


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("url", [
    "/api/v1/municipalities", "/api/v1/plauen/announcements", "/api/v1/plauen/council/papers",
    "/api/v1/plauen/participation/ideas", "/api/v1/catalogue", "/api/v1/plauen/strategies",
    "/api/v1/plauen/projects",
])  # fmt: skip
@pytest.mark.parametrize("query", ["offset=53558263035705735795179520", "limit=3752670334718689120211285081925353472",
                                   "offset=9223372036854775807&limit=1000"])  # fmt: skip
def test_a_limit_or_offset_beyond_the_databases_integers_is_refused_not_a_server_error(anonymous, plauen, url, query):
    response = anonymous.get(f"{url}?{query}")
    assert response.status_code == 422, response.content[:300]


def test_a_large_but_valid_offset_gives_an_empty_page(anonymous, plauen):
    page = anonymous.get("/api/v1/municipalities?offset=2147483647&limit=1000").json()
    assert page == {"items": [], "count": 1}


def test_a_department_with_a_digital_pilot_is_not_deleted_and_the_reason_is_given(client, plauen, admin, key):
    department = services.create_department(municipality=plauen, by=admin, code="20", name="Kämmerei")
    person = governance.create_person(municipality=plauen, by=admin, name="Uwe Vogt")
    governance.add_pilot(municipality=plauen, by=admin, person=person, department=department)

    response = client.delete(f"/api/v1/plauen/departments/{department.pk}", **bearer(key))
    assert response.status_code == 422, response.content[:300]
    assert "Digitallotsinnen" in response.content.decode()
    assert Department.objects.filter(pk=department.pk).exists()

    client.force_login(admin)
    page = client.post(f"/plauen/intern/abteilungen/{department.pk}/loeschen/", follow=True)
    assert page.status_code == 200
    assert "Digitallotsinnen" in page.content.decode()
    assert Department.objects.filter(pk=department.pk).exists()

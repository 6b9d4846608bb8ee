"""The REST API under /api/v1/: its document, pagination, authentication, validation and query counts."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from stadtlotse.core import services
from stadtlotse.core.models import Announcement, Department, Municipality, Role, User, Visibility

from ..conftest import make_municipality, make_user


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_json(client: Client, url: str, data: dict, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def patch_json(client: Client, url: str, data: dict, **extra):
    return client.patch(url, data=json.dumps(data), content_type="application/json", **extra)


@pytest.fixture
def admin_key(admin) -> str:
    _token, key = services.create_api_token(user=admin, name="Skript")
    return key


# --- the OpenAPI document -------------------------------------------------------------


def test_anonymous_reads_openapi_document_naming_every_path(anonymous, db):
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Stadtlotse API"
    paths = document["paths"]
    for path in (
        "/api/v1/municipalities",
        "/api/v1/municipalities/{slug}",
        "/api/v1/me",
        "/api/v1/{slug}/departments",
        "/api/v1/{slug}/departments/{pk}",
        "/api/v1/{slug}/announcements",
        "/api/v1/{slug}/announcements/{pk}",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/{slug}/departments"]) >= {"get", "post"}
    assert set(paths["/api/v1/{slug}/departments/{pk}"]) >= {"patch", "delete"}


# --- municipalities and pagination ----------------------------------------------------


def test_anonymous_lists_municipalities_with_limit_and_offset(anonymous, plauen, celle):
    make_municipality("iserlohn", "Iserlohn", "05962024", "NW")
    everything = anonymous.get("/api/v1/municipalities").json()
    assert everything["count"] == 3
    # Ordered by name: Celle, Iserlohn, Plauen.
    assert [m["slug"] for m in everything["items"]] == ["celle", "iserlohn", "plauen"]
    assert everything["items"][2] == {
        "slug": "plauen", "name": "Plauen", "state": "SN", "ags": "14523319", "population": 60000, "website": "",
    }  # fmt: skip

    page = anonymous.get("/api/v1/municipalities?limit=1&offset=1").json()
    assert page["count"] == 3
    assert [m["slug"] for m in page["items"]] == ["iserlohn"]
    beyond = anonymous.get("/api/v1/municipalities?limit=2&offset=5").json()
    assert beyond == {"items": [], "count": 3}


def test_anonymous_reads_one_municipality_and_gets_json_404_for_unknown(anonymous, plauen):
    assert anonymous.get("/api/v1/municipalities/plauen").json()["name"] == "Plauen"
    missing = anonymous.get("/api/v1/municipalities/atlantis")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}


def test_anonymous_pagination_with_invalid_limit_is_refused_as_422(anonymous, plauen):
    response = anonymous.get("/api/v1/municipalities?limit=-1")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")


# --- /me --------------------------------------------------------------------------------


def test_me_for_anonymous_says_not_authenticated(anonymous, db):
    response = anonymous.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {"authenticated": False, "username": None, "display_name": None, "roles": []}


def test_me_for_signed_in_user_lists_roles_in_every_municipality(client_of, plauen, celle, staff):
    services.grant_role(municipality=celle, user=staff, role=Role.COUNCIL, by=None)
    staff.display_name = "Erika Muster"
    staff.save()
    data = client_of(staff).get("/api/v1/me").json()
    assert data["authenticated"] is True
    assert data["username"] == "staff"
    assert data["display_name"] == "Erika Muster"
    assert sorted((r["municipality"], r["role"]) for r in data["roles"]) == [
        ("celle", "council"), ("plauen", "editor"),
    ]  # fmt: skip


def test_me_with_bearer_token_names_the_tokens_user(anonymous, admin, admin_key):
    data = anonymous.get("/api/v1/me", **bearer(admin_key)).json()
    assert data["authenticated"] is True
    assert data["username"] == "admin"
    assert data["roles"] == [{"municipality": "plauen", "role": "admin"}]


# --- bearer tokens ----------------------------------------------------------------------


def test_admin_token_creates_department_and_row_exists(anonymous, plauen, admin, admin_key):
    response = post_json(
        anonymous, "/api/v1/plauen/departments", {"code": "10.4", "name": "Digitalisierung"}, **bearer(admin_key)
    )
    assert response.status_code == 201, response.content
    data = response.json()
    department = Department.objects.get(pk=data["id"])
    assert (department.municipality, department.code, department.name) == (plauen, "10.4", "Digitalisierung")
    assert data == {"id": department.pk, "code": "10.4", "name": "Digitalisierung", "parent_id": None,
                    "description": ""}  # fmt: skip
    # The audit trail names the token's user as the one who acted.
    assert department.history.get().history_user == admin


def test_token_records_its_last_use(anonymous, admin):
    token, key = services.create_api_token(user=admin, name="Skript")
    assert token.last_used is None
    anonymous.get("/api/v1/me", **bearer(key))
    token.refresh_from_db()
    assert token.last_used is not None


def test_citizen_token_acts_with_citizen_rights_only(anonymous, plauen, citizen, planted):
    _token, key = services.create_api_token(user=citizen, name="Neugier")
    response = post_json(anonymous, "/api/v1/plauen/departments", {"name": "Schattenamt"}, **bearer(key))
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Department.objects.filter(name="Schattenamt").exists()
    listed = anonymous.get("/api/v1/plauen/announcements", **bearer(key)).json()
    assert [a["visibility"] for a in listed["items"]] == ["public"]


def test_council_token_reads_confidential_announcements(anonymous, council, planted):
    _token, key = services.create_api_token(user=council, name="Ratsinfo")
    confidential = planted["plauen"][Visibility.CONFIDENTIAL]
    response = anonymous.get(f"/api/v1/plauen/announcements/{confidential.pk}", **bearer(key))
    assert response.status_code == 200
    assert response.json()["title"] == confidential.title


@pytest.mark.parametrize("header", ["Bearer slt_unknown-key", "Bearer ", "Bearer " + "x" * 200])
def test_unknown_token_gives_401_json_even_for_public_reads(anonymous, plauen, header):
    response = anonymous.get("/api/v1/municipalities", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_revoked_token_gives_401_json(anonymous, plauen, admin):
    token, key = services.create_api_token(user=admin, name="Alt")
    assert anonymous.get("/api/v1/me", **bearer(key)).status_code == 200
    services.revoke_api_token(token=token, by=admin)
    response = post_json(anonymous, "/api/v1/plauen/departments", {"name": "Nach Widerruf"}, **bearer(key))
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is unknown or revoked."}
    assert not Department.objects.filter(name="Nach Widerruf").exists()


def test_token_of_deactivated_user_gives_401(anonymous, plauen, admin, admin_key):
    admin.is_active = False
    admin.save()
    assert anonymous.get("/api/v1/me", **bearer(admin_key)).status_code == 401


def test_token_of_plauen_admin_cannot_create_in_celle(anonymous, plauen, celle, admin, admin_key):
    response = post_json(anonymous, "/api/v1/celle/departments", {"name": "Fremdamt"}, **bearer(admin_key))
    assert response.status_code == 403
    assert not Department.objects.filter(name="Fremdamt").exists()


# --- sessions and CSRF ------------------------------------------------------------------


@pytest.fixture
def csrf_client_of():
    def make(user: User) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


def test_session_post_without_csrf_token_is_refused(csrf_client_of, plauen, admin):
    response = post_json(csrf_client_of(admin), "/api/v1/plauen/departments", {"name": "Ohne Token"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert not Department.objects.filter(name="Ohne Token").exists()


def test_session_patch_and_delete_without_csrf_token_are_refused(csrf_client_of, plauen, admin):
    department = services.create_department(municipality=plauen, by=None, name="Bleibt")
    client = csrf_client_of(admin)
    url = f"/api/v1/plauen/departments/{department.pk}"
    assert patch_json(client, url, {"name": "Geändert"}).status_code == 403
    assert client.delete(url).status_code == 403
    department.refresh_from_db()
    assert department.name == "Bleibt"


def test_session_post_with_csrf_token_is_accepted(csrf_client_of, plauen, admin):
    client = csrf_client_of(admin)
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    response = post_json(client, "/api/v1/plauen/departments", {"name": "Mit Token"}, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content
    assert Department.objects.filter(municipality=plauen, name="Mit Token").exists()


def test_bearer_token_needs_no_csrf_token_even_beside_a_session(csrf_client_of, plauen, admin, admin_key):
    response = post_json(csrf_client_of(admin), "/api/v1/plauen/departments", {"name": "Per Token"},
                         **bearer(admin_key))  # fmt: skip
    assert response.status_code == 201, response.content
    assert Department.objects.filter(municipality=plauen, name="Per Token").exists()


def test_anonymous_post_without_csrf_is_refused(plauen):
    response = post_json(Client(enforce_csrf_checks=True), "/api/v1/plauen/departments", {"name": "Anonym"})
    assert response.status_code in {401, 403}
    assert not Department.objects.filter(name="Anonym").exists()


def test_anonymous_post_is_refused_with_401(anonymous, plauen):
    response = post_json(anonymous, "/api/v1/plauen/departments", {"name": "Anonym"})
    assert response.status_code == 401
    assert "detail" in response.json()
    assert not Department.objects.filter(name="Anonym").exists()


# --- validation -------------------------------------------------------------------------


def test_empty_department_name_gives_422_naming_the_field(anonymous, plauen, admin_key):
    response = post_json(anonymous, "/api/v1/plauen/departments", {"name": ""}, **bearer(admin_key))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(error["loc"][-1] == "name" and error["msg"] for error in errors)
    assert not Department.objects.exists()


def test_missing_department_name_gives_422(anonymous, plauen, admin_key):
    response = post_json(anonymous, "/api/v1/plauen/departments", {"code": "99"}, **bearer(admin_key))
    assert response.status_code == 422
    assert any(error["loc"][-1] == "name" for error in response.json()["detail"])


def test_malformed_json_body_gives_4xx_json(anonymous, plauen, admin_key):
    response = anonymous.post("/api/v1/plauen/departments", data="{not json", content_type="application/json",
                              **bearer(admin_key))  # fmt: skip
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert not Department.objects.exists()


def test_department_cycle_via_patch_gives_422_with_message(anonymous, plauen, admin_key):
    top = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    child = services.create_department(municipality=plauen, by=None, code="10.1", name="IT", parent=top)
    grandchild = services.create_department(municipality=plauen, by=None, code="10.1.1", name="Netz", parent=child)

    response = patch_json(anonymous, f"/api/v1/plauen/departments/{top.pk}", {"parent_id": grandchild.pk},
                          **bearer(admin_key))  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert "parent" in body["errors"]
    assert body["detail"].startswith("parent: ")
    assert len(body["detail"]) > len("parent: ")
    top.refresh_from_db()
    assert top.parent is None


def test_department_as_its_own_parent_gives_422(anonymous, plauen, admin_key):
    department = services.create_department(municipality=plauen, by=None, name="Kämmerei")
    response = patch_json(anonymous, f"/api/v1/plauen/departments/{department.pk}", {"parent_id": department.pk},
                          **bearer(admin_key))  # fmt: skip
    assert response.status_code == 422
    assert "parent" in response.json()["errors"]


def test_validation_message_is_german_by_default(anonymous, plauen, admin_key):
    department = services.create_department(municipality=plauen, by=None, name="Kämmerei")
    response = patch_json(anonymous, f"/api/v1/plauen/departments/{department.pk}", {"parent_id": department.pk},
                          **bearer(admin_key))  # fmt: skip
    assert response.json()["detail"] == "parent: Eine Einheit kann nicht unter sich selbst stehen."


def test_duplicate_department_name_gives_422(anonymous, plauen, admin_key):
    services.create_department(municipality=plauen, by=None, name="Kämmerei")
    response = post_json(anonymous, "/api/v1/plauen/departments", {"name": "Kämmerei"}, **bearer(admin_key))
    assert response.status_code == 422
    assert response.json()["detail"]
    assert Department.objects.filter(name="Kämmerei").count() == 1


def test_patch_moves_department_below_another(anonymous, plauen, admin_key):
    top = services.create_department(municipality=plauen, by=None, name="Hauptverwaltung")
    other = services.create_department(municipality=plauen, by=None, name="IT")
    response = patch_json(anonymous, f"/api/v1/plauen/departments/{other.pk}", {"parent_id": top.pk},
                          **bearer(admin_key))  # fmt: skip
    assert response.status_code == 200
    assert response.json()["parent_id"] == top.pk
    other.refresh_from_db()
    assert other.parent == top
    # Patching only the name keeps the parent.
    renamed = patch_json(anonymous, f"/api/v1/plauen/departments/{other.pk}", {"name": "Fachgebiet IT"},
                         **bearer(admin_key))  # fmt: skip
    assert renamed.json()["parent_id"] == top.pk


def test_unknown_parent_id_gives_404(anonymous, plauen, admin_key):
    response = post_json(anonymous, "/api/v1/plauen/departments", {"name": "Waise", "parent_id": 987654},
                         **bearer(admin_key))  # fmt: skip
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert not Department.objects.filter(name="Waise").exists()


def test_department_of_celle_cannot_be_parent_in_plauen(anonymous, plauen, celle, admin_key):
    celle_department = services.create_department(municipality=celle, by=None, name="Finanzen")
    plauen_department = services.create_department(municipality=plauen, by=None, name="Kämmerei")

    created = post_json(anonymous, "/api/v1/plauen/departments", {"name": "Fremd", "parent_id": celle_department.pk},
                        **bearer(admin_key))  # fmt: skip
    moved = patch_json(anonymous, f"/api/v1/plauen/departments/{plauen_department.pk}",
                       {"parent_id": celle_department.pk}, **bearer(admin_key))  # fmt: skip
    assert created.status_code == moved.status_code == 404
    assert not Department.objects.filter(name="Fremd").exists()
    plauen_department.refresh_from_db()
    assert plauen_department.parent is None


def test_celle_department_cannot_be_changed_through_plauen_address(anonymous, plauen, celle, admin_key):
    celle_department = services.create_department(municipality=celle, by=None, name="Finanzen")
    url = f"/api/v1/plauen/departments/{celle_department.pk}"
    assert patch_json(anonymous, url, {"name": "Gekapert"}, **bearer(admin_key)).status_code == 404
    assert anonymous.delete(url, **bearer(admin_key)).status_code == 404
    celle_department.refresh_from_db()
    assert celle_department.name == "Finanzen"


def test_celle_staff_get_404_for_plauen_internal_announcement(anonymous, planted, celle_staff):
    _token, key = services.create_api_token(user=celle_staff, name="Celle")
    internal = planted["plauen"][Visibility.INTERNAL]
    response = anonymous.get(f"/api/v1/plauen/announcements/{internal.pk}", **bearer(key))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_department_with_sub_units_cannot_be_deleted(anonymous, plauen, admin_key):
    top = services.create_department(municipality=plauen, by=None, name="Hauptverwaltung")
    services.create_department(municipality=plauen, by=None, name="IT", parent=top)
    response = anonymous.delete(f"/api/v1/plauen/departments/{top.pk}", **bearer(admin_key))
    assert response.status_code == 422
    assert response.json()["detail"]
    assert Department.objects.filter(pk=top.pk).exists()


def test_admin_deletes_empty_department_with_204(anonymous, plauen, admin_key):
    department = services.create_department(municipality=plauen, by=None, name="Alt")
    response = anonymous.delete(f"/api/v1/plauen/departments/{department.pk}", **bearer(admin_key))
    assert response.status_code == 204
    assert not Department.objects.filter(pk=department.pk).exists()


def test_admin_token_publishes_and_changes_an_announcement(anonymous, plauen, admin, admin_key):
    created = post_json(anonymous, "/api/v1/plauen/announcements",
                        {"title": "Neu", "body": "Text", "visibility": "public", "published_on": "2024-05-01"},
                        **bearer(admin_key))  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = patch_json(anonymous, f"/api/v1/plauen/announcements/{pk}", {"visibility": "confidential"},
                         **bearer(admin_key))  # fmt: skip
    assert changed.status_code == 200
    announcement = Announcement.objects.get(pk=pk)
    assert (announcement.title, announcement.visibility, announcement.published_on) == (
        "Neu", "confidential", date(2024, 5, 1),
    )  # fmt: skip
    # Anonymous visitors no longer see it.
    assert anonymous.get(f"/api/v1/plauen/announcements/{pk}").status_code == 404


def test_unknown_visibility_gives_422(anonymous, plauen, admin_key):
    response = post_json(anonymous, "/api/v1/plauen/announcements",
                         {"title": "Neu", "body": "Text", "visibility": "secret"}, **bearer(admin_key))  # fmt: skip
    assert response.status_code == 422
    assert any(error["loc"][-1] == "visibility" for error in response.json()["detail"])
    assert not Announcement.objects.exists()


# --- unknown addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/v2/municipalities",
        "/api/v1/nothing/here/at/all",
        "/api/v1/municipalities/",
        "/api/v1/atlantis/departments",
        "/api/v1/plauen/announcements/999999",
    ],
)
def test_unknown_api_address_answers_json_404(anonymous, plauen, url):
    response = anonymous.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_token_client_writing_to_unknown_api_address_gets_json_404(plauen, admin_key, method):
    client = Client(enforce_csrf_checks=True)  # as real API clients: no cookies, CSRF middleware active
    response = getattr(client, method)("/api/v2/departments", data="{}", content_type="application/json",
                                       **bearer(admin_key))  # fmt: skip
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_non_numeric_id_is_refused_in_json(anonymous, plauen):
    response = anonymous.get("/api/v1/plauen/announcements/not-a-number")
    assert response.status_code in {404, 422}
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


# --- query counts -----------------------------------------------------------------------


def _departments(municipality, count: int) -> list[Department]:
    made: list[Department] = []
    for index in range(count):
        parent = made[index // 2] if index else None
        made.append(services.create_department(
            municipality=municipality, by=None, code=f"{index:03}", name=f"Amt {index}", parent=parent
        ))  # fmt: skip
    return made


def _announcements(municipality, count: int, departments: list[Department]) -> None:
    visibilities = Visibility.values
    for index in range(count):
        services.create_announcement(
            municipality=municipality, by=None, title=f"Mitteilung {index}", body="Text",
            visibility=visibilities[index % 3], department=departments[index % len(departments)],
            published_on=date(2024, 1, 1 + index % 28),
        )  # fmt: skip


def _municipalities(count: int) -> None:
    for index in range(count):
        make_municipality(f"ort-{index}", f"Ort {index:03}", f"14{index:06}", "SN")


SIZES = [3, 50]


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_municipality_list_does_not_grow(anonymous, db, size, django_assert_max_num_queries):
    _municipalities(size)
    with django_assert_max_num_queries(2):
        response = anonymous.get(f"/api/v1/municipalities?limit={size}")
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_one_municipality_does_not_grow(anonymous, db, size, django_assert_max_num_queries):
    _municipalities(size)
    with django_assert_max_num_queries(1):
        response = anonymous.get("/api/v1/municipalities/ort-1")
    assert response.json()["name"] == "Ort 001"


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_me_does_not_grow_with_roles(client_of, db, size, django_assert_max_num_queries):
    user = make_user("vielfach")
    _municipalities(size)
    for municipality in Municipality.objects.all():
        services.grant_role(municipality=municipality, user=user, role=Role.READER, by=None)
    client = client_of(user)
    with django_assert_max_num_queries(3):  # session, user, memberships with municipalities
        response = client.get("/api/v1/me")
    assert len(response.json()["roles"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_me_with_token_does_not_grow(anonymous, db, size, django_assert_max_num_queries):
    user = make_user("vielfach")
    _municipalities(size)
    for municipality in Municipality.objects.all():
        services.grant_role(municipality=municipality, user=user, role=Role.READER, by=None)
    _token, key = services.create_api_token(user=user, name="Zähler")
    with django_assert_max_num_queries(3):  # token with user, last use, memberships
        response = anonymous.get("/api/v1/me", **bearer(key))
    assert len(response.json()["roles"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_department_list_does_not_grow(anonymous, plauen, size, django_assert_max_num_queries):
    _departments(plauen, size)
    with django_assert_max_num_queries(3):  # municipality, count, page
        response = anonymous.get(f"/api/v1/plauen/departments?limit={size}")
    items = response.json()["items"]
    assert len(items) == size
    assert sum(1 for item in items if item["parent_id"]) == size - 1


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_announcement_list_does_not_grow(client_of, plauen, admin, size, django_assert_max_num_queries):
    _announcements(plauen, size, _departments(plauen, 3))
    client = client_of(admin)
    with django_assert_max_num_queries(6):  # session, user, municipality, roles, count, page
        response = client.get(f"/api/v1/plauen/announcements?limit={size}")
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_announcement_list_with_token_does_not_grow(
    anonymous, plauen, admin_key, size, django_assert_max_num_queries
):
    _announcements(plauen, size, _departments(plauen, 3))
    with django_assert_max_num_queries(6):  # token with user, last use, municipality, roles, count, page
        response = anonymous.get(f"/api/v1/plauen/announcements?limit={size}", **bearer(admin_key))
    assert len(response.json()["items"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_public_announcement_list_does_not_grow(anonymous, plauen, size, django_assert_max_num_queries):
    _announcements(plauen, size, _departments(plauen, 3))
    with django_assert_max_num_queries(3):  # municipality, count, page
        response = anonymous.get(f"/api/v1/plauen/announcements?limit={size}")
    data = response.json()
    assert data["count"] == len([i for i in range(size) if i % 3 == 0])
    assert {item["visibility"] for item in data["items"]} == {"public"}


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_one_announcement_does_not_grow(client_of, plauen, admin, size, django_assert_max_num_queries):
    _announcements(plauen, size, _departments(plauen, 3))
    last = Announcement.objects.order_by("-pk").first()
    client = client_of(admin)
    with django_assert_max_num_queries(5):  # session, user, municipality, roles, announcement
        response = client.get(f"/api/v1/plauen/announcements/{last.pk}")
    assert response.json()["id"] == last.pk


@pytest.mark.parametrize("size", SIZES)
def test_query_count_of_openapi_document_does_not_grow(anonymous, plauen, size, django_assert_max_num_queries):
    _announcements(plauen, size, _departments(plauen, 3))
    with django_assert_max_num_queries(0):
        response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200

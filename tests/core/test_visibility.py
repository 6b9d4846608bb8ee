"""Visibility and tenant isolation, tested from the outside through pages and the API."""

import json

import pytest

from stadtlotse.core.models import Announcement

from ..conftest import marker

# persona → visibilities of Plauen's objects that persona may read
CAN_READ = {
    "anonymous": {"public"},
    "outsider": {"public"},
    "citizen": {"public"},
    "celle_admin": {"public"},
    "celle_staff": {"public"},
    "reader": {"public", "internal"},
    "pilot": {"public", "internal"},
    "staff": {"public", "internal", "confidential"},
    "finance": {"public", "internal", "confidential"},
    "council": {"public", "internal", "confidential"},
    "committee": {"public", "internal", "confidential"},
    "admin": {"public", "internal", "confidential"},
}
VISIBILITIES = ["public", "internal", "confidential"]


@pytest.fixture
def reader_client(request, client_of):
    def make(persona):
        if persona == "anonymous":
            return client_of(None)
        return client_of(request.getfixturevalue(persona))

    return make


@pytest.mark.parametrize("persona", CAN_READ)
@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_announcement_page_and_api_follow_visibility(persona, visibility, planted, reader_client):
    client = reader_client(persona)
    obj = planted["plauen"][visibility]
    allowed = visibility in CAN_READ[persona]
    page = client.get(f"/plauen/mitteilungen/{obj.pk}/")
    api = client.get(f"/api/v1/plauen/announcements/{obj.pk}")
    assert page.status_code == (200 if allowed else 404)
    assert api.status_code == (200 if allowed else 404)
    assert (marker("plauen", visibility) in page.content.decode()) is allowed
    if not allowed:
        assert api.json() == {"detail": "Not found."}


@pytest.mark.parametrize("persona", CAN_READ)
def test_lists_show_exactly_what_the_persona_may_read(persona, planted, reader_client):
    client = reader_client(persona)
    body = client.get("/api/v1/plauen/announcements?limit=100").content.decode()
    portal = client.get("/plauen/").content.decode()
    for visibility in VISIBILITIES:
        assert (marker("plauen", visibility) in body) is (visibility in CAN_READ[persona])
        # The public portal shows public news only, whoever looks.
        assert (marker("plauen", visibility) in portal) is (visibility == "public")
        # Celle's objects never show in Plauen's lists.
        assert marker("celle", visibility) not in body


def test_object_of_other_municipality_gives_same_404_as_absent(planted, client_of, admin):
    client = client_of(admin)
    foreign = planted["celle"]["public"]
    via_wrong_town = client.get(f"/plauen/mitteilungen/{foreign.pk}/")
    absent = client.get("/plauen/mitteilungen/999999/")
    assert via_wrong_town.status_code == absent.status_code == 404
    assert client.get(f"/api/v1/plauen/announcements/{foreign.pk}").json() == {"detail": "Not found."}


def test_unknown_municipality_is_a_404_page_in_the_design(anonymous, db):
    response = anonymous.get("/atlantis/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    assert anonymous.get("/api/v1/atlantis/announcements").status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "outsider", "celle_admin"])
def test_workspace_is_closed_to_people_outside_the_administration(persona, plauen, reader_client):
    response = reader_client(persona).get("/plauen/intern/")
    if persona == "anonymous":
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    else:
        assert response.status_code == 403
        assert "Kein Zugang" in response.content.decode()


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_staff_of_another_town_cannot_change_or_delete_through_the_api(visibility, planted, client_of, celle_admin):
    client = client_of(celle_admin)
    obj = planted["plauen"][visibility]
    url = f"/api/v1/plauen/announcements/{obj.pk}"
    patch = client.patch(url, json.dumps({"title": "hijacked"}), content_type="application/json")
    delete = client.delete(url)
    # Public objects may be seen, so the answer is 403; others do not exist for this user.
    expected = 403 if visibility == "public" else 404
    assert patch.status_code == delete.status_code == expected
    obj.refresh_from_db()
    assert obj.title == marker("plauen", visibility)


def test_staff_of_another_town_cannot_write_through_pages(planted, client_of, celle_admin):
    client = client_of(celle_admin)
    obj = planted["plauen"]["public"]
    response = client.post(f"/plauen/intern/mitteilungen/{obj.pk}/bearbeiten/", {"title": "x"})
    assert response.status_code == 403
    response = client.post(f"/plauen/intern/mitteilungen/{obj.pk}/loeschen/")
    assert response.status_code == 403
    response = client.post("/plauen/intern/abteilungen/", {"name": "Fremdamt"})
    assert response.status_code == 403
    assert Announcement.objects.filter(pk=obj.pk, title=marker("plauen", "public")).exists()


def test_citizen_cannot_create_through_the_api(plauen, client_of, citizen):
    response = client_of(citizen).post(
        "/api/v1/plauen/announcements", json.dumps({"title": "t", "body": "b", "visibility": "public"}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Announcement.objects.exists()


def test_anonymous_write_is_refused_with_json(plauen, anonymous):
    response = anonymous.post("/api/v1/plauen/departments", json.dumps({"name": "X"}), content_type="application/json")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()

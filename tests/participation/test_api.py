"""The participation API: public reads, citizens' writes with their token, the office's answers
and statuses, errors as 4xx JSON, rate limits, and tenant separation."""

from __future__ import annotations

import pytest
from django.test import Client

from stadtlotse.core.services import create_api_token
from stadtlotse.participation import guard, services
from stadtlotse.participation.models import Contribution, Phase, Status

from .conftest import INTERNAL_MARKER


def token_client(user) -> Client:
    _token, key = create_api_token(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def base(world) -> str:
    return f"/api/v1/plauen/participation/phases/{world.phase.pk}/comments"


def test_anonymous_reads_public_phases_and_comments_only(anonymous, world, citizen, admin):
    c = services.post_comment(phase=world.phase, by=citizen, text="Öffentlich")
    services.reply(parent=c, by=admin, text="Eine Antwort")
    services.post_comment(phase=world.internal_phase, by=admin, text=INTERNAL_MARKER)
    phases = anonymous.get("/api/v1/plauen/participation/phases").json()
    assert [p["id"] for p in phases] == [world.phase.pk] and phases[0]["state"] == "open"
    items = anonymous.get(base(world)).json()["items"]
    assert [i["text"] for i in items] == ["Öffentlich"] and items[0]["replies"][0]["text"] == "Eine Antwort"
    assert anonymous.get(f"/api/v1/plauen/participation/phases/{world.internal_phase.pk}/comments").status_code == 404


def test_a_citizen_comments_with_a_token(world, citizen):
    client = token_client(citizen)
    response = client.post(base(world), {"text": "Per API", "section_id": world.sections[0].pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["author"] == "citizen" and response.json()["status"] == "received"
    assert Contribution.objects.get(text="Per API").section == world.sections[0]


@pytest.mark.parametrize("payload,status", [
    ({"text": ""}, 422), ({"text": "x" * 5001}, 422), ({"text": "Gut", "section_id": 999999}, 422),
])  # fmt: skip
def test_bad_comments_are_refused_with_a_message(world, citizen, payload, status):
    response = token_client(citizen).post(base(world), payload, content_type="application/json")
    assert response.status_code == status and response.json()["detail"]
    assert not Contribution.objects.exists()


def test_anonymous_writes_are_refused_and_closed_phases_too(anonymous, world, citizen):
    assert anonymous.post(base(world), {"text": "Hallo"}, content_type="application/json").status_code == 401
    from django.utils import timezone

    Phase.objects.filter(pk=world.phase.pk).update(ends_at=timezone.now())
    response = token_client(citizen).post(base(world), {"text": "Zu spät"}, content_type="application/json")
    assert response.status_code == 422 and "nur noch gelesen" in response.json()["detail"]


def test_replies_to_replies_and_double_support_are_refused(world, citizen, other_citizen):
    c = services.post_comment(phase=world.phase, by=citizen, text="Kommentar")
    r = services.reply(parent=c, by=other_citizen, text="Antwort")
    client = token_client(other_citizen)
    response = client.post(base(world), {"text": "Antwort auf Antwort", "reply_to": r.pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and "nicht auf eine Antwort" in response.json()["detail"]
    url = f"/api/v1/plauen/participation/contributions/{c.pk}/support"
    assert client.post(url).json() == {"supports": 1}
    assert client.post(url).status_code == 422


def test_the_office_answers_and_sets_statuses_citizens_cannot(world, citizen, other_citizen, admin):
    c = services.post_comment(phase=world.phase, by=citizen, text="Kommentar")
    url = f"/api/v1/plauen/participation/contributions/{c.pk}"
    assert token_client(other_citizen).post(url + "/answer", {"text": "Ich bin das Amt"},
                                            content_type="application/json").status_code == 403  # fmt: skip
    office = token_client(admin)
    assert office.post(url + "/answer", {"text": "Danke!"}, content_type="application/json").status_code == 201
    response = office.post(url + "/status", {"status": "rejected"}, content_type="application/json")
    assert response.status_code == 422 and "begründen" in response.json()["detail"]
    response = office.post(url + "/status", {"status": "rejected", "reason": "Nicht zuständig"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    data = Client().get(url).json()
    assert data["status"] == Status.REJECTED and data["answered"] is True
    assert [h["status"] for h in data["history"]] == ["received", "rejected"]
    assert data["replies"][0]["is_official"] is True


def test_hidden_contributions_are_not_served(anonymous, world, citizen, admin):
    c = services.post_comment(phase=world.phase, by=citizen, text="HIDDEN-API")
    services.hide(contribution=c, by=admin, reason="Regel 2")
    assert anonymous.get(f"/api/v1/plauen/participation/contributions/{c.pk}").status_code == 404
    assert "HIDDEN-API" not in anonymous.get(base(world)).content.decode()
    response = token_client(admin).post(f"/api/v1/plauen/participation/contributions/{c.pk}/answer",
                                        {"text": "Danke"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 404


def test_ideas_through_the_api(anonymous, plauen, citizen, other_citizen):
    client = token_client(citizen)
    response = client.post("/api/v1/plauen/participation/ideas", {"title": "Bürger-App", "category": "services",
                           "text": "Alles in einer App."}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    token_client(other_citizen).post(f"/api/v1/plauen/participation/contributions/{response.json()['id']}/support")
    items = anonymous.get("/api/v1/plauen/participation/ideas?sort=supported").json()["items"]
    assert items[0]["title"] == "Bürger-App" and items[0]["support_count"] == 1
    assert client.post("/api/v1/plauen/participation/ideas", {"title": "x", "category": "nope", "text": "abc"},
                       content_type="application/json").status_code == 422  # fmt: skip


def test_the_api_rate_limit_answers_429(world, citizen, monkeypatch):
    monkeypatch.setitem(guard.LIMITS, "post-user", guard.Limit("post-user", 2, 600))
    client = token_client(citizen)
    codes = [client.post(base(world), {"text": f"Text {i}"}, content_type="application/json").status_code
             for i in range(3)]  # fmt: skip
    assert codes == [201, 201, 429]


def test_other_towns_get_404(world, citizen, celle_admin):
    c = services.post_comment(phase=world.phase, by=citizen, text="Plauen")
    client = token_client(celle_admin)
    assert client.get(f"/api/v1/celle/participation/contributions/{c.pk}").status_code == 404
    assert client.get(f"/api/v1/celle/participation/phases/{world.phase.pk}").status_code == 404
    assert client.post(f"/api/v1/celle/participation/contributions/{c.pk}/answer", {"text": "x"},
                       content_type="application/json").status_code == 404  # fmt: skip

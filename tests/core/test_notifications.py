"""Notifications: stored once per key, mailed in the background, listed and opened only by their user."""

import pytest
from django.core import mail

from stadtlotse.core.models import Notification
from stadtlotse.core.notifications import notify
from stadtlotse.core.server import make_worker


@pytest.fixture
def mailed_citizen(citizen):
    citizen.email = "buergerin@example.org"
    citizen.save()
    return citizen


def test_it_stores_and_mails_a_notification(mailed_citizen, plauen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            user=mailed_citizen, municipality=plauen, subject="Ihr Kommentar wurde beantwortet",
            body="Die Verwaltung hat geantwortet.", url="/plauen/beteiligung/", key="comment-1-answer",
        )  # fmt: skip
    assert notification is not None and notification.read is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["buergerin@example.org"]
    assert mail.outbox[0].subject == "Ihr Kommentar wurde beantwortet"
    assert "http://127.0.0.1:8000/plauen/beteiligung/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.mailed is not None


def test_it_sends_one_notification_per_key(mailed_citizen, plauen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=mailed_citizen, municipality=plauen, subject="Erinnerung", key="mandate-3-14d")
        second = notify(user=mailed_citizen, municipality=plauen, subject="Erinnerung", key="mandate-3-14d")
        other = notify(user=mailed_citizen, municipality=plauen, subject="Erinnerung", key="mandate-3-3d")
    assert first is not None and second is None and other is not None
    assert Notification.objects.filter(user=mailed_citizen).count() == 2
    assert len(mail.outbox) == 2


def test_it_mails_nobody_without_an_address(citizen, plauen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user=citizen, municipality=plauen, subject="Hinweis") is not None
    assert mail.outbox == []


def test_it_skips_inactive_users(citizen, plauen):
    citizen.is_active = False
    citizen.save()
    assert notify(user=citizen, municipality=plauen, subject="Hinweis") is None
    assert not Notification.objects.exists()


def test_the_list_shows_only_ones_own_notifications(citizen, staff, plauen, client_of, django_assert_max_num_queries):
    for i in range(30):
        notify(user=citizen, municipality=plauen, subject=f"Meldung {i}")
    notify(user=staff, municipality=plauen, subject="Nur für die Redaktion")
    client = client_of(citizen)
    with django_assert_max_num_queries(5):
        response = client.get("/konto/benachrichtigungen/")
    assert response.status_code == 200
    assert "Meldung 29" in response.content.decode()
    assert "Nur für die Redaktion" not in response.content.decode()


def test_the_list_needs_a_login(anonymous):
    response = anonymous.get("/konto/benachrichtigungen/")
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_opening_marks_read_and_follows_local_addresses_only(citizen, staff, plauen, client_of):
    local = notify(user=citizen, municipality=plauen, subject="A", url="/plauen/")
    foreign = notify(user=citizen, municipality=plauen, subject="B", url="//evil.example/")
    client = client_of(citizen)
    response = client.get(f"/konto/benachrichtigungen/{local.pk}/")
    assert response.status_code == 302 and response["Location"] == "/plauen/"
    local.refresh_from_db()
    assert local.read is not None
    response = client.get(f"/konto/benachrichtigungen/{foreign.pk}/")
    assert response["Location"] == "/konto/benachrichtigungen/"
    # another user's notification is not found
    assert client_of(staff).get(f"/konto/benachrichtigungen/{local.pk}/").status_code == 404


def test_mark_all_read(citizen, plauen, client_of):
    for i in range(3):
        notify(user=citizen, municipality=plauen, subject=f"M{i}")
    response = client_of(citizen).post("/konto/benachrichtigungen/gelesen/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=citizen, read__isnull=True).exists()


def test_the_account_page_counts_unread(citizen, plauen, client_of):
    notify(user=citizen, municipality=plauen, subject="M1")
    notify(user=citizen, municipality=plauen, subject="M2")
    body = client_of(citizen).get("/konto/").content.decode()
    assert "2 ungelesene Benachrichtigungen" in body


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_mail_once(settings, mailed_citizen, plauen):
    # django-tasks resets its backends when the TASKS setting changes
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    notify(user=mailed_citizen, municipality=plauen, subject="Erinnerung", key="k1")
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
    make_worker(interval=0, batch=True).run()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # a second run finds nothing left to do
    make_worker(interval=0, batch=True).run()
    assert len(mail.outbox) == 1

"""Mandates: derived status (pure), reminders before the due date with time frozen, idempotent,
in the app and by mail; the management command enqueues the task."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from stadtlotse.core.models import Notification
from stadtlotse.council import mandates, services
from stadtlotse.council.mandates import MandateFacts, reminders_due, status_of


@pytest.mark.parametrize("today, fulfilled, expected", [
    (date(2021, 12, 14), None, "open"),
    (date(2021, 12, 15), None, "open"),  # due today is not overdue yet
    (date(2021, 12, 16), None, "overdue"),
    (date(2022, 3, 1), date(2022, 2, 1), "fulfilled"),  # late, but fulfilled
])  # fmt: skip
def test_status_is_derived_from_the_dates(today, fulfilled, expected):
    assert status_of(MandateFacts(date(2021, 12, 15), fulfilled), today) == expected


@pytest.mark.parametrize("today, expected", [
    (date(2021, 11, 30), []),  # 15 days before
    (date(2021, 12, 1), ["14"]),
    (date(2021, 12, 11), ["14"]),  # a missed day is caught up on the next run
    (date(2021, 12, 12), ["3"]),
    (date(2021, 12, 15), ["3"]),
    (date(2021, 12, 16), ["overdue"]),
])  # fmt: skip
def test_reminders_due(today, expected):
    assert reminders_due(MandateFacts(date(2021, 12, 15)), today) == expected
    assert reminders_due(MandateFacts(date(2021, 12, 15), date(2021, 11, 1)), today) == []


def _reminders(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("key", flat=True))


def test_reminders_with_frozen_time_once_per_threshold(
    world, admin, staff, council, django_capture_on_commit_callbacks
):
    admin.email = "buero@plauen.example"
    admin.save()
    # Only the public motion's mandate and the secret one are due in 2030; the extra ones fell due on 1 Jan 2030.
    with time_machine.travel(date(2030, 11, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        first = services.send_mandate_reminders(today=date(2030, 11, 30))
        again = services.send_mandate_reminders(today=date(2030, 11, 30))
    assert again == 0
    keys = _reminders(admin)
    assert f"council-mandate-{world.mandate.pk}-14" not in keys  # due 15 Dec: 15 days left
    assert f"council-mandate-{world.secret_mandate.pk}-3" in keys  # due 1 Dec: 1 day left
    assert f"council-mandate-{world.extra[0].mandates.get().pk}-overdue" in keys
    assert first == len(keys) * 2  # the administrator and the unrestricted editor
    assert _reminders(council) == []  # council members are not reminded
    assert any("GEHEIMAUFTRAG-K7" in m.subject for m in mail.outbox)
    assert all(m.to == ["buero@plauen.example"] for m in mail.outbox)

    with time_machine.travel(date(2030, 12, 1), tick=False):
        assert services.send_mandate_reminders(today=date(2030, 12, 1)) == 2  # the 14-day one of 15 Dec
    with time_machine.travel(date(2030, 12, 12), tick=False):
        services.send_mandate_reminders(today=date(2030, 12, 12))
    with time_machine.travel(date(2030, 12, 16), tick=False):
        services.send_mandate_reminders(today=date(2030, 12, 16))
        services.send_mandate_reminders(today=date(2030, 12, 16))
    mine = [k for k in _reminders(admin) if k.startswith(f"council-mandate-{world.mandate.pk}-")]
    assert mine == [f"council-mandate-{world.mandate.pk}-{t}" for t in ("14", "3", "overdue")]
    notification = Notification.objects.filter(user=admin, key=f"council-mandate-{world.mandate.pk}-3").get()
    assert (
        "in 3 Tagen" in notification.subject and notification.url == f"/plauen/intern/rat/auftraege/{world.mandate.pk}/"
    )


def test_fulfilled_mandates_are_not_reminded(world, admin):
    services.fulfil_mandate(mandate=world.mandate, by=None, fulfilled_on=date(2030, 11, 1), note="Vorgelegt.")
    services.send_mandate_reminders(today=date(2030, 12, 16))
    assert not [k for k in _reminders(admin) if k.startswith(f"council-mandate-{world.mandate.pk}-")]


def test_department_limited_editor_gets_only_their_departments_mandates(world, plauen):
    from stadtlotse.core import services as core_services
    from stadtlotse.core.models import Department, Role
    from tests.conftest import make_user

    other = Department.objects.create(municipality=plauen, code="40", name="Schulreferat")
    editor = make_user("limited")
    core_services.grant_role(municipality=plauen, user=editor, role=Role.EDITOR, departments=[other], by=None)
    services.update_mandate(mandate=world.mandate, by=None, department=other)
    services.send_mandate_reminders(today=date(2030, 12, 16))
    assert _reminders(editor) == [f"council-mandate-{world.mandate.pk}-overdue"]


@time_machine.travel(date(2030, 12, 12), tick=False)
def test_management_command_enqueues_the_task(world, admin, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-mandate-reminders")
    assert "Enqueued" in capsys.readouterr().out
    # The test backend runs the task at once: the 3-day reminder of the mandate due 15 Dec is there.
    assert f"council-mandate-{world.mandate.pk}-3" in _reminders(admin)


def test_thresholds_are_the_documented_ones():
    assert mandates.THRESHOLDS == (14, 3)


def test_open_mandates_list_for_office_and_council(client_of, admin, council, world, django_assert_max_num_queries):
    with time_machine.travel(date(2030, 6, 1), tick=False):  # sessions are made within the travelled time
        client = client_of(council)
        with django_assert_max_num_queries(12):
            response = client.get("/plauen/intern/rat/auftraege/")
        office = client_of(admin).get("/plauen/intern/rat/auftraege/").content.decode()
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vorschlag Arbeitsgruppe Schulen" in page and "überfällig" in page  # the extra ones are overdue
    assert "GEHEIMAUFTRAG-K7" not in page and "GEHEIMAUFTRAG-K7" in office
    # Overdue first.
    assert page.index("Auftrag 000") < page.index("Vorschlag Arbeitsgruppe Schulen")

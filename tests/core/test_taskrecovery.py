"""A task whose worker died while running it is queued again by the next worker (taskrecovery)."""

from __future__ import annotations

import os
import socket
import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from stadtlotse.core.notifications import notify
from stadtlotse.core.server import make_worker
from stadtlotse.core.taskrecovery import MAX_ATTEMPTS, recover_abandoned

pytestmark = pytest.mark.django_db(transaction=True)

HOST = socket.gethostname()


@pytest.fixture
def queued(settings, citizen, plauen):
    """A mail task in the database queue (as in production), and its row."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    citizen.email = "buergerin@example.org"
    citizen.save()
    notify(user=citizen, municipality=plauen, subject="Erinnerung", key="recovery-1")
    return DBTaskResult.objects.get()


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _claimed(task, *worker_ids: str, started_ago: timedelta = timedelta(minutes=1)):
    task.status = "RUNNING"
    task.worker_ids = list(worker_ids)
    task.started_at = timezone.now() - started_ago
    task.save()
    return task


def test_a_task_of_a_dead_worker_on_this_host_is_queued_again_and_runs_once(queued):
    _claimed(queued, f"{HOST}-{_dead_pid()}")
    make_worker(interval=0, batch=True).run()  # a worker stuck on RUNNING would run nothing
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert len(queued.worker_ids) == 2
    assert len(mail.outbox) == 1
    make_worker(interval=0, batch=True).run()
    assert len(mail.outbox) == 1


def test_a_task_of_a_live_worker_is_left_alone(queued):
    _claimed(queued, f"{HOST}-{os.getppid()}", started_ago=timedelta(days=3))
    assert recover_abandoned() == {"requeued": 0, "failed": 0}
    queued.refresh_from_db()
    assert queued.status == "RUNNING"


def test_a_task_claimed_by_an_earlier_process_with_our_pid_is_queued_again(queued):
    """In a container the server is pid 1 after every restart."""
    _claimed(queued, f"{HOST}-{os.getpid()}")
    assert recover_abandoned() == {"requeued": 1, "failed": 0}
    queued.refresh_from_db()
    assert queued.status == "READY"


def test_a_task_of_another_host_is_queued_again_only_after_its_lease(queued, settings):
    settings.TASK_LEASE_HOURS = 6
    _claimed(queued, "other-host-4711", started_ago=timedelta(hours=5))
    assert recover_abandoned() == {"requeued": 0, "failed": 0}
    _claimed(queued, "other-host-4711", started_ago=timedelta(hours=7))
    assert recover_abandoned() == {"requeued": 1, "failed": 0}
    queued.refresh_from_db()
    assert queued.status == "READY"


def test_a_task_that_lost_its_worker_too_often_fails_instead(queued):
    dead = f"{HOST}-{_dead_pid()}"
    _claimed(queued, *[dead] * MAX_ATTEMPTS)
    assert recover_abandoned() == {"requeued": 0, "failed": 1}
    queued.refresh_from_db()
    assert queued.status == "FAILED"
    assert queued.exception_class_path == "stadtlotse.core.taskrecovery.WorkerLost"
    make_worker(interval=0, batch=True).run()
    assert mail.outbox == []


def test_finished_and_waiting_tasks_are_not_touched(queued):
    assert recover_abandoned() == {"requeued": 0, "failed": 0}
    queued.refresh_from_db()
    assert queued.status == "READY" and queued.worker_ids == []

"""Recovery of background tasks whose worker died while running them.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when the
task returns or raises. A worker that is killed in between (SIGKILL, out of memory, the machine
restarted) leaves the task RUNNING for ever, and no worker looks at it again. So every
Stadtlotse worker, when it starts (``server.make_worker``), calls ``recover_abandoned``:

- a RUNNING task whose last worker ran on this machine (worker ids are ``host-pid``) and whose
  process is gone (or is this very process, started anew with the same pid, as in a container)
  was abandoned: it is queued again (READY);
- a RUNNING task of another machine is taken as abandoned once it has run longer than
  ``TASK_LEASE_HOURS`` (setting, default 24 hours), since its process cannot be seen from here;
- a task that was abandoned ``MAX_ATTEMPTS`` times (it may itself kill its worker, e.g. by
  exhausting memory) is marked FAILED with ``WorkerLost`` instead of being run once more.

A retried task runs from its start again, so every task must be idempotent: its effect must
exist once however often it runs (notifications by their ``key``, a mail by
``Notification.mailed``, an OParl import by the objects' OParl ids and the run's status).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The worker running the task died before the task finished (recorded on the task)."""


def worker_id() -> str:
    """This process's worker id: the host name and the process id."""
    return f"{socket.gethostname()}-{os.getpid()}"


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():  # the task's worker was an earlier process with our pid
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _abandoned(task, *, host: str, lease_start) -> bool:
    last = task.worker_ids[-1] if task.worker_ids else ""
    worker_host, _, pid = last.rpartition("-")
    if worker_host == host and pid.isdigit():
        return not _process_alive(int(pid))
    return task.started_at is not None and task.started_at < lease_start


def recover_abandoned(*, now=None) -> dict[str, int]:
    """Queue again (or fail, after ``MAX_ATTEMPTS``) every RUNNING task whose worker is gone.

    Call it before a worker takes its first task. Returns how many were ``requeued`` and ``failed``.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lease_start = now - timedelta(hours=getattr(settings, "TASK_LEASE_HOURS", 24))
    host = socket.gethostname()
    counts = {"requeued": 0, "failed": 0}
    for task in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path"):
        if not _abandoned(task, host=host, lease_start=lease_start):
            continue
        # Only if nobody changed it meanwhile (another worker recovering at the same time).
        still = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at)
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            changed = still.update(
                status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: the worker died while running the task, {len(task.worker_ids)} times "
                          f"(workers {', '.join(task.worker_ids)}); not retried again.\n",
            )  # fmt: skip
            kind = "failed"
        else:
            changed = still.update(status=TaskResultStatus.READY)
            kind = "requeued"
        if changed:
            counts[kind] += 1
            logger.warning("Task %s (%s) of a lost worker %s: %s", task.pk, task.task_path, task.worker_ids[-1:], kind)
    return counts

"""The production WSGI server (waitress), used by `stadtlotse demo` and `stadtlotse serve`,
and the background worker that runs queued tasks (mails, reminders, imports)."""

import gc
import logging
import os
import threading

logger = logging.getLogger(__name__)


def make_worker(*, interval: float = 2.0, batch: bool = False, max_tasks: int | None = None):
    """A worker of the database task queue (django-tasks-db), processing every queue.

    Before its first task it queues again the tasks that a dead worker left RUNNING (see
    ``taskrecovery``), so a task killed mid-run is retried instead of hanging for ever.
    """
    from django.db import DatabaseError
    from django_tasks_db.management.commands.db_worker import Worker

    from .taskrecovery import recover_abandoned, worker_id

    class RecoveringWorker(Worker):
        def run(self) -> None:
            try:
                recover_abandoned()
            except DatabaseError:  # the database is down: the worker's loop fails clearly itself
                logger.exception("Could not look for tasks of lost workers")
            super().run()

    return RecoveringWorker(
        queue_names=["*"], interval=interval, batch=batch, backend_name="default", startup_delay=False,
        max_tasks=max_tasks, worker_id=worker_id(), excluded_queue_names=[],
    )  # fmt: skip


def start_worker_thread() -> threading.Thread | None:
    """Run the task worker in a daemon thread beside the web server (one process to start).

    Several instances may each run one: the queue claims every task for one worker. Does
    nothing when the task backend is not the database backend (tests run tasks at once).
    """
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    worker = make_worker()
    thread = threading.Thread(target=worker.run, name="stadtlotse-worker", daemon=True)
    thread.start()
    return thread


def server_options() -> dict:
    """Waitress options beyond address and threads: behind a reverse proxy, trust its
    X-Forwarded-For and X-Forwarded-Proto (one hop, from ``TRUSTED_PROXY`` only)."""
    from django.conf import settings

    options = {"ident": "stadtlotse", "clear_untrusted_proxy_headers": True}
    if settings.BEHIND_PROXY:
        options.update(trusted_proxy=settings.TRUSTED_PROXY, trusted_proxy_count=1,
                       trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"})  # fmt: skip
    return options


# Young objects are collected after this many new allocations (CPython's default is 700). A
# request builds tens of thousands of short-lived objects (rows, model instances, template
# nodes); with the default, every request triggers dozens of collections and, every 100 of them, a
# full one that walks the whole heap — the single slow requests of the benchmarks.
GC_YOUNG_THRESHOLD = 10_000


def tune_gc() -> None:
    """Collect once, move everything alive now (modules, settings, URL patterns, the app's
    objects) out of the collector's reach, and collect young objects less often.

    Run once the application is loaded and before it serves. What is frozen is never freed,
    which is right for what lives as long as the process anyway; full collections then walk
    only what requests created. Tuning of this kind is usual for Python web servers (gunicorn
    users call ``gc.freeze`` in the master before forking, for the same reason).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def run(*, host: str, port: int, threads: int | None = None, worker: bool = True) -> None:
    from django.urls import get_resolver
    from waitress import serve

    from stadtlotse.wsgi import application

    get_resolver().url_patterns  # noqa: B018 — imports every view before tune_gc freezes them
    tune_gc()
    if worker:
        start_worker_thread()
    threads = threads or int(os.environ.get("WEB_THREADS", "8"))
    serve(application, host=host, port=port, threads=threads, **server_options())

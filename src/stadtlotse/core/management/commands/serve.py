import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Stadtlotse in production (settings from environment variables; see README)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--no-worker", action="store_true", help="Run no task worker in this process (use `stadtlotse worker`)"
        )

    def handle(self, *args, host, port, threads, no_collectstatic, no_worker, **options):
        call_command("check", deploy=settings.MODE == "production")
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not migrated; run `stadtlotse migrate` first.")
        if not no_collectstatic:
            collect_static_if_changed()
        from stadtlotse.core.server import run

        self.stdout.write(f"Stadtlotse serves http://{host}:{port}/ with {threads} threads")
        run(host=host, port=port, threads=threads, worker=not no_worker)


def static_fingerprint() -> str:
    """A hash over the paths, sizes and modification times of every static source file."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static_if_changed() -> bool:
    """Collect (and compress) the static files unless STATIC_ROOT holds them already: a restart
    of an unchanged installation starts at once. Returns whether it collected."""
    if not settings.STATIC_ROOT:
        return False
    marker = Path(settings.STATIC_ROOT) / ".stadtlotse-static"
    fingerprint = static_fingerprint()
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    complete = manifest_name is None or (Path(settings.STATIC_ROOT) / manifest_name).exists()
    if complete and marker.exists() and marker.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)
    return True

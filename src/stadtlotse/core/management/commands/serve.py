import os

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
            call_command("collectstatic", interactive=False, verbosity=0)
        from stadtlotse.core.server import run

        self.stdout.write(f"Stadtlotse serves http://{host}:{port}/ with {threads} threads")
        run(host=host, port=port, threads=threads, worker=not no_worker)

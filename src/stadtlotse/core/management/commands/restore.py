import gzip
import json
import os
import tempfile

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


class Command(BaseCommand):
    help = "Restore a backup written by `stadtlotse backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if not os.path.exists(file):
            raise CommandError(f"There is no file {file}.")
        call_command("migrate", interactive=False, verbosity=0)
        for label in ("core.Municipality", "core.User"):
            if apps.get_model(label).objects.exists():
                raise CommandError("The database is not empty; restore only into an empty database.")
        opener = gzip.open if file.endswith(".gz") else open
        try:
            with opener(file, "rb") as src:
                objects = json.loads(src.read())
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file} is not a Stadtlotse backup: {exc}") from None
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as tmp:
            json.dump(objects, tmp)
        try:
            with transaction.atomic():
                call_command("loaddata", tmp.name, verbosity=0)
        finally:
            os.unlink(tmp.name)
        self._reset_sequences()
        self.stdout.write(f"Restored {len(objects)} objects from {file}.")

    def _reset_sequences(self):
        """PostgreSQL keeps id counters apart from the rows; move them past the restored ids."""
        if connection.vendor != "postgresql":
            return
        from django.core.management.color import no_style

        models = [m for m in apps.get_models() if m._meta.managed]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)

import gzip
import json
import os

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction


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
        objects = self._read(file)
        count = self._load(file, objects)
        self._move_counters()
        self.stdout.write(f"Restored {count} objects from {file}.")

    def _read(self, file) -> list:
        opener = gzip.open if file.endswith(".gz") else open
        try:
            with opener(file, "rb") as src:
                objects = json.loads(src.read())
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file} is not a Stadtlotse backup: {exc}") from None
        if not isinstance(objects, list) or not all(
            isinstance(o, dict) and {"model", "fields"} <= o.keys() for o in objects
        ):
            raise CommandError(f"{file} is not a Stadtlotse backup: it is not a list of objects.")
        return objects

    def _load(self, file, objects) -> int:
        """Save every object as it was, without writing new audit entries (the backup holds the
        audit trail), with constraint checks deferred to the end, all in one transaction."""
        previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            with transaction.atomic():
                with connection.constraint_checks_disabled():
                    deferred = []
                    for obj in serializers.deserialize(
                        "stadtlotse-json", json.dumps(objects), handle_forward_references=True
                    ):
                        obj.save()
                        if obj.deferred_fields:
                            deferred.append(obj)
                    for obj in deferred:
                        obj.save_deferred_fields()
                connection.check_constraints()
        except (DeserializationError, IntegrityError, DatabaseError, LookupError) as exc:
            raise CommandError(f"{file} is not a Stadtlotse backup, or does not fit this version: {exc}") from None
        finally:
            settings.SIMPLE_HISTORY_ENABLED = previous
        return len(objects)

    def _move_counters(self) -> None:
        """Move every id counter past the highest id in use, counting the audit trail too, so
        that a new object never takes the id (and so the history) of a deleted one."""
        with connection.cursor() as cursor:
            for model in apps.get_models():
                if not model._meta.managed or model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                    continue
                highest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
                history = getattr(model, "history", None)
                if history is not None and hasattr(history, "model"):
                    highest = max(highest, history.order_by("-id").values_list("id", flat=True).first() or 0)
                if highest:
                    self._set_counter(cursor, model._meta.db_table, model._meta.pk.column, highest)

    def _set_counter(self, cursor, table: str, column: str, highest: int) -> None:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, highest])
        elif connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [highest, table])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest])

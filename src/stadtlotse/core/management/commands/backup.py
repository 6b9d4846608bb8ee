import gzip
import io

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by `migrate` on the target, so not part of a backup.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes", "django_tasks_database"]


class Command(BaseCommand):
    help = "Write a full, portable backup (JSON, gzip if FILE ends in .gz) of every object, audit trail included."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        buffer = io.StringIO()
        call_command(
            "dumpdata", format="stadtlotse-json", natural_foreign=True, natural_primary=False, exclude=EXCLUDED,
            indent=None, stdout=buffer,
        )  # fmt: skip
        data = buffer.getvalue().encode()
        opener = gzip.open if file.endswith(".gz") else open
        with opener(file, "wb") as out:
            out.write(data)
        self.stdout.write(f"Backup written to {file} ({len(data)} bytes before compression).")

"""Send the office's daily digest of new comments (run once a day, e.g. from cron)."""

from django.core.management.base import BaseCommand

from stadtlotse.participation import services


class Command(BaseCommand):
    help = "Notify administrators and editors about new comments per consultation phase."

    def handle(self, *args, **options):
        sent = services.send_digests()
        self.stdout.write(f"{sent} notifications")

"""`stadtlotse send-mandate-reminders`: run daily (cron, systemd timer); enqueues the reminder task."""

from django.core.management.base import BaseCommand

from stadtlotse.council.tasks import send_mandate_reminders


class Command(BaseCommand):
    help = "Enqueue the daily reminders of mandates coming due and overdue."

    def handle(self, *args, **options) -> None:
        result = send_mandate_reminders.enqueue()
        self.stdout.write(f"Enqueued mandate reminders ({result.id}).")

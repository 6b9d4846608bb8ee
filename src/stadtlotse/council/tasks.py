"""Background tasks of the council app; they call services."""

from django.utils import timezone
from django_tasks import task


@task()
def send_mandate_reminders() -> int:
    """Daily: remind the administration of mandates coming due and overdue (idempotent)."""
    from . import services

    return services.send_mandate_reminders(today=timezone.localdate())

"""Background tasks of the core app."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def mail_notification(notification_id: int) -> bool:
    """Mail one stored notification to its user; a second run after success sends nothing."""
    from .models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.mailed or not notification.user.email:
        return False
    body = notification.body
    if notification.url:
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        body = f"{body}\n\n{base}{notification.url}".strip()
    send_mail(notification.subject, body, None, [notification.user.email])
    Notification.objects.filter(pk=notification.pk, mailed__isnull=True).update(mailed=timezone.now())
    return True

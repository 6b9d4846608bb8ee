"""Notifications to users: in-app, and by mail in the background.

Every part that tells a person something (a mandate falls due, a comment was answered) calls
``notify``; the notification is stored at once and the mail goes out through a task, so a
slow mail server never slows a page and a failed mail is retried by the task backend.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Municipality, Notification, User


def notify(
    *, user: User, municipality: Municipality, subject: str, body: str = "", url: str = "", key: str = ""
) -> Notification | None:
    """Store a notification for ``user`` and mail it if the user has an e-mail address.

    With a ``key``, a second call for the same user and key does nothing and returns None.
    ``url`` is a path within this installation (e.g. ``/plauen/intern/rat/auftraege/3/``).
    """
    if not user.is_active:
        return None
    if key and Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, municipality=municipality, subject=subject[:200], body=body, url=url[:500], key=key[:200]
            )
    except IntegrityError:  # the same key was stored by a concurrent request
        return None
    if user.email:
        from .tasks import mail_notification

        transaction.on_commit(lambda: mail_notification.enqueue(notification.pk))
    return notification


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read__isnull=True).count()

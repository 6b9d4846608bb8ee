"""Optimistic locking: a save based on a version of an object that someone else has changed
since is refused, with a message that tells the writer what to do, instead of overwriting the
other change unseen.

A model keeps a ``lock_version`` counter. An edit form carries the counter it was opened with
(``LockedFormMixin``), the API takes it as an optional ``lock_version`` field, and the service
saves through ``save_locked``: one conditional UPDATE raises the counter only if it still has
the value the writer read, so of two writers who read the same version exactly one succeeds,
whatever the timing. The refusal is a ``ValidationError`` with the code ``STALE``, which the
forms show and the API answers with 409 Conflict.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Someone else changed this in the meantime. Reload the page, check their change, and enter yours again."
)


def lock_version_field() -> models.PositiveIntegerField:
    """The counter, raised by every save through ``save_locked`` (not edited by anyone)."""
    return models.PositiveIntegerField(_("version for concurrent edits"), default=0, editable=False)


def save_locked(instance, by, lock_version: int | None, message=STALE_MESSAGE) -> None:
    """Save ``instance`` (validated and audited) if its row still has ``lock_version``, the
    counter the writer read; None takes the instance's own (a writer who sends none is checked
    against what the service loaded). Refused with ``message`` otherwise; nothing is written."""
    from .services import STALE, save_audited  # models import this module; services import the models

    expected = instance.lock_version if lock_version is None else lock_version
    with transaction.atomic():
        updated = type(instance)._default_manager.filter(pk=instance.pk, lock_version=expected).update(
            lock_version=F("lock_version") + 1
        )
        if not updated:
            raise ValidationError(message, code=STALE)
        instance.lock_version = expected + 1
        save_audited(instance, by)


class LockedFormMixin:
    """An edit form of a locked model: a hidden ``lock_version`` holding the counter the form
    was opened with (and, when the form comes back refused, the one the writer had seen, so
    sending it again is refused again). A form that creates an object has no such field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                             initial=self.instance.lock_version)  # fmt: skip

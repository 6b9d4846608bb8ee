"""The audit trail's historical models: every one also keeps the acting person's name, so that
the trail still names them after their account is deleted (the user link is then set null)."""

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class HistoryUserName(models.Model):
    history_user_name = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        abstract = True


def audited(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` for an audited model of Stadtlotse."""
    return HistoricalRecords(bases=[HistoryUserName], **kwargs)


@receiver(pre_create_historical_record)
def _keep_the_name(sender, history_instance, history_user=None, **kwargs) -> None:
    if history_user is not None and hasattr(history_instance, "history_user_name"):
        history_instance.history_user_name = str(history_user)[:150]

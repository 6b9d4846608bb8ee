from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "stadtlotse.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import rules  # noqa: F401
        from .models import Block, Contribution, ModerationEntry, Phase, Report, StatusChange, Uptake

        for kind, model in [
            ("phase", Phase), ("contribution", Contribution), ("statuschange", StatusChange),
            ("report", Report), ("moderationentry", ModerationEntry), ("block", Block), ("uptake", Uptake),
        ]:  # fmt: skip
            # Texts of hidden comments live in the trail: only moderators read it.
            audit.register(kind, model, perm="participation.moderate_contribution")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "stadtlotse.council"
    label = "council"
    verbose_name = _("Council")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models, rules  # noqa: F401  (rules registers the permissions)

        # The generic history page serves these kinds to the administration only; council and
        # committee members read the history of their bodies' matters on the council's own
        # history page, which applies the confidentiality rule.
        for kind, model in [
            ("paper", models.Paper), ("paperrelation", models.PaperRelation), ("paperfile", models.PaperFile),
            ("consultationstep", models.ConsultationStep), ("meeting", models.Meeting),
            ("agendaitem", models.AgendaItem), ("mandate", models.Mandate),
        ]:  # fmt: skip
            audit.register(kind, model, perm="council.view_any_history")

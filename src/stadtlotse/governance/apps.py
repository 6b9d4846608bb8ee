from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "stadtlotse.governance"
    label = "governance"
    verbose_name = _("Bodies")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models

        for kind, model in [
            ("person", models.Person), ("faction", models.Faction), ("term", models.LegislativeTerm),
            ("body", models.Body), ("bodymembership", models.BodyMembership),
            ("stakeholdergroup", models.StakeholderGroup), ("compositionrule", models.CompositionRule),
            ("digitalpilot", models.DigitalPilot),
        ]:  # fmt: skip
            audit.register(kind, model)

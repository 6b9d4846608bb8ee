from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineservicesConfig(AppConfig):
    name = "stadtlotse.onlineservices"
    label = "onlineservices"
    verbose_name = _("Online services")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models, rules  # noqa: F401  (rules registers the permissions)

        # The shared catalogue has no municipality; its history is kept but not in a town's log.
        for kind, model in [
            ("service", models.Service), ("maturityassessment", models.MaturityAssessment),
            ("usage", models.Usage), ("process", models.Process), ("rolloutstep", models.RolloutStep),
        ]:  # fmt: skip
            audit.register(kind, model)

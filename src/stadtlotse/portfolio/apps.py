from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "stadtlotse.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models

        for kind, model in [
            ("project", models.Project), ("milestone", models.Milestone), ("dependency", models.Dependency),
            ("statusreport", models.StatusReport), ("criterion", models.Criterion),
            ("assessment", models.Assessment), ("decision", models.Decision), ("projectgoal", models.ProjectGoal),
        ]:  # fmt: skip
            audit.register(kind, model)

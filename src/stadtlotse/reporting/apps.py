from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "stadtlotse.reporting"
    label = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models, rules  # noqa: F401

        audit.register("periodreport", models.PeriodReport)
        audit.register("comparisonsetting", models.ComparisonSetting)

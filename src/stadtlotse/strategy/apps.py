from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "stadtlotse.strategy"
    label = "strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from .models import (
            ConformityReview,
            FieldOfAction,
            Goal,
            Indicator,
            Measurement,
            Section,
            Strategy,
            StrategyVersion,
        )

        for kind, model in [
            ("strategy", Strategy), ("strategyversion", StrategyVersion), ("fieldofaction", FieldOfAction),
            ("goal", Goal), ("indicator", Indicator), ("measurement", Measurement), ("section", Section),
            ("conformityreview", ConformityReview),
        ]:  # fmt: skip
            audit.register(kind, model)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "stadtlotse.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models

        perm = "finance.view_finance"
        for kind, model in [
            ("costitem", models.CostItem), ("saving", models.Saving), ("grant", models.Grant),
            ("budgetline", models.BudgetLine), ("budgetamount", models.BudgetAmount),
            ("discountrate", models.DiscountRate), ("hourlyrate", models.HourlyRate),
        ]:  # fmt: skip
            audit.register(kind, model, perm=perm)

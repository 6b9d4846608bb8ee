from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.FundingProgramme)
class FundingProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "provider", "level", "rate_percent", "deadline", "is_example")
    list_filter = ("level", "is_example")
    search_fields = ("name", "keywords")


for model in (models.CostItem, models.Saving, models.Grant, models.BudgetLine, models.BudgetAmount,
              models.DiscountRate, models.HourlyRate):  # fmt: skip
    admin.site.register(model, SimpleHistoryAdmin)

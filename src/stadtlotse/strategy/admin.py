from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ConformityReview, FieldOfAction, Goal, Indicator, Measurement, Section, Strategy, StrategyVersion


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ("title", "municipality")
    list_filter = ("municipality",)


@admin.register(StrategyVersion)
class StrategyVersionAdmin(SimpleHistoryAdmin):
    list_display = ("strategy", "number", "status", "adopted_on")
    list_filter = ("municipality", "status")


for model in (FieldOfAction, Goal, Indicator, Measurement, Section, ConformityReview):
    admin.site.register(model, SimpleHistoryAdmin)

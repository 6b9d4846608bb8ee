from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "municipality", "status", "visibility", "planned_start", "planned_end")
    list_filter = ("municipality", "status", "visibility")
    search_fields = ("title", "external_id")


admin.site.register(models.ProjectTemplate)
for model in (models.Milestone, models.Dependency, models.StatusReport, models.Criterion, models.Assessment,
              models.Decision, models.PrioritySettings):  # fmt: skip
    admin.site.register(model, SimpleHistoryAdmin)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "stadtlotse.schools"
    label = "schools"
    verbose_name = _("Schools")

    def ready(self) -> None:
        from stadtlotse.core import audit

        from . import models

        for kind, model in [
            ("school", models.School), ("schoolmember", models.SchoolMember),
            ("schoolyearfigures", models.SchoolYearFigures), ("inventorysnapshot", models.InventorySnapshot),
            ("asset", models.Asset), ("mediaconcept", models.MediaConcept),
            ("mediadevelopmentplan", models.MediaDevelopmentPlan), ("targetstandard", models.TargetStandard),
            ("unitcost", models.UnitCost),
        ]:  # fmt: skip
            audit.register(kind, model, perm="schools.view_schools")

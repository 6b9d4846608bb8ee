from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stadtlotse.core"
    label = "core"
    verbose_name = _("Municipalities, people and roles")

    def ready(self) -> None:
        from . import audit
        from .models import Announcement, Department, Membership, Municipality

        audit.register("municipality", Municipality)
        audit.register("department", Department)
        audit.register("membership", Membership, perm="core.manage_memberships")
        audit.register("announcement", Announcement)

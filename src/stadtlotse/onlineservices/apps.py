from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineservicesConfig(AppConfig):
    name = "stadtlotse.onlineservices"
    label = "onlineservices"
    verbose_name = _("Online services")

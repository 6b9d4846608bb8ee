from django.apps import AppConfig


class OparlConfig(AppConfig):
    name = "stadtlotse.oparl"
    label = "oparl"
    verbose_name = "OParl"

"""OParl 1.1: the server under /oparl/v1/ and the importer from council information systems."""

from django.apps import AppConfig


class OparlConfig(AppConfig):
    name = "stadtlotse.oparl"
    label = "oparl"
    verbose_name = "OParl"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permission)

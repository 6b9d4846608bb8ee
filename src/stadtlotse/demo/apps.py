from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stadtlotse.demo"
    label = "demo"
    verbose_name = "Demo data"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "stadtlotse.api"
    label = "api"
    verbose_name = "REST API"

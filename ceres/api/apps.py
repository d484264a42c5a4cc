from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ceres.api"
    label = "api"
    verbose_name = "API des logiciels des centres"

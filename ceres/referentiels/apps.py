from django.apps import AppConfig


class ReferentielsConfig(AppConfig):
    name = "ceres.referentiels"
    verbose_name = "Référentiels"

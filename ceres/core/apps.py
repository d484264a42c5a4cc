from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ceres.core"
    verbose_name = "Socle technique"

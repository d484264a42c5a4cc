from django.apps import AppConfig


class StatistiquesConfig(AppConfig):
    name = "ceres.statistiques"
    verbose_name = "Statistiques"

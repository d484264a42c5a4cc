from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "ceres.centres"
    verbose_name = "Centres et agréments"

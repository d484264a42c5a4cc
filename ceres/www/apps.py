from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "ceres.www"
    verbose_name = "Pages transverses"

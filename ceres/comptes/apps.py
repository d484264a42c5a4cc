from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "ceres.comptes"
    verbose_name = "Comptes et rôles"

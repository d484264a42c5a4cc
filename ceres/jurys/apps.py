from django.apps import AppConfig


class JurysConfig(AppConfig):
    name = "ceres.jurys"
    verbose_name = "Jurys et habilitations"

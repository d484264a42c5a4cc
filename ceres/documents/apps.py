from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ceres.documents"
    verbose_name = "Documents officiels"

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ceres.documents"
    verbose_name = "Documents officiels"

    def ready(self):
        from ceres.documents import checks  # noqa: F401 (registers the deploy check)

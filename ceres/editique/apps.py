from django.apps import AppConfig


class EditiqueConfig(AppConfig):
    name = "ceres.editique"
    verbose_name = "Production des documents"

    def ready(self):
        from ceres.editique import checks  # noqa: F401 (registers the deploy check)

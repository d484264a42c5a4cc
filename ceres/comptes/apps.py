from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "ceres.comptes"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from ceres.comptes import backends  # noqa: F401 (login failure/success receivers)

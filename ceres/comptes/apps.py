from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "ceres.comptes"
    verbose_name = "Comptes et rôles"

    def ready(self):
        # Imported here, not at module level: Django loads the apps' modules only once the registry is ready.
        from ceres.comptes import backends  # noqa: F401 (login failure/success receivers)
        from ceres.comptes.perms import can_see_history
        from ceres.core.journal import history_visible_to

        history_visible_to.register(can_see_history)

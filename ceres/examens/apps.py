from django.apps import AppConfig


class ExamensConfig(AppConfig):
    name = "ceres.examens"
    verbose_name = "Sessions d’examen"

    def ready(self):
        # Imported here, not at module level: Django loads the apps' modules only once the registry is ready.
        from ceres.examens import selectors
        from ceres.jurys.selectors import convened_session_counts

        convened_session_counts.register(selectors.convened_session_counts)

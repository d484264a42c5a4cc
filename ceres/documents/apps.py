from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ceres.documents"
    verbose_name = "Documents officiels"

    def ready(self):
        # Imported here, not at module level: Django loads the apps' modules only once the registry is ready.
        from ceres.documents.selectors import printable_certifications
        from ceres.examens import selectors as examens_selectors

        examens_selectors.printable_certifications.register(printable_certifications)

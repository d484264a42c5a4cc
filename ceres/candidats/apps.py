from django.apps import AppConfig


class CandidatsConfig(AppConfig):
    name = "ceres.candidats"
    verbose_name = "Candidats"

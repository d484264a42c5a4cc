from django.apps import AppConfig


class ExamensConfig(AppConfig):
    name = "ceres.examens"
    verbose_name = "Sessions d’examen"

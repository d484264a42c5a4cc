from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ceres.jobs"
    label = "jobs"
    verbose_name = "Tâches de fond"

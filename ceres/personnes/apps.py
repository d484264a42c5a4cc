from django.apps import AppConfig


class PersonnesConfig(AppConfig):
    name = "ceres.personnes"
    verbose_name = "Personnes (identité commune aux candidats et aux jurés)"

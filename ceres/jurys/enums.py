from django.db import models

from ceres.personnes.models import Civilite  # one Civilite for every person (personnes)

__all__ = ["Civilite", "StatutHabilitation", "StatutProfessionnel"]


class StatutProfessionnel(models.TextChoices):
    SALARIE = "salarie", "Salarié"
    EMPLOYEUR = "employeur", "Employeur"
    INDEPENDANT = "independant", "Indépendant"
    RETRAITE = "retraite", "Retraité"


class StatutHabilitation(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDUE = "suspendue", "Suspendue"
    RETIREE = "retiree", "Retirée"

from django.db import models


class Civilite(models.TextChoices):
    MADAME = "MME", "Madame"
    MONSIEUR = "M", "Monsieur"


class StatutProfessionnel(models.TextChoices):
    SALARIE = "salarie", "Salarié"
    EMPLOYEUR = "employeur", "Employeur"
    INDEPENDANT = "independant", "Indépendant"
    RETRAITE = "retraite", "Retraité"


class StatutHabilitation(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDUE = "suspendue", "Suspendue"
    RETIREE = "retiree", "Retirée"

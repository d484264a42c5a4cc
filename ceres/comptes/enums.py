from django.db import models


class Role(models.TextChoices):
    ADMIN_NATIONAL = "admin_national", "Administrateur national (DGEFP)"
    AGENT_DREETS = "agent_dreets", "Agent DREETS"
    AGENT_UD = "agent_ud", "Agent d'unité départementale (DDETS)"
    GESTIONNAIRE_CENTRE = "gestionnaire_centre", "Gestionnaire de centre / responsable de session"
    MEMBRE_JURY = "membre_jury", "Membre de jury"

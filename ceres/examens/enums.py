from django.db import models


class TypeSession(models.TextChoices):
    TITRE = "titre", "Session titre"
    CCP = "ccp", "Session CCP"
    CCS = "ccs", "Session CCS"


class StatutSession(models.TextChoices):
    # DOMAIN.md §5.3: labels observed in CERES (DGEFP Covid FAQ) + the suggested end of the machine.
    EN_PREPARATION = "en_preparation", "En préparation"
    CONVOCATIONS_ENVOYEES = "convocations_envoyees", "Convocations envoyées"
    EN_COURS = "en_cours", "En cours"
    RESULTATS_SAISIS = "resultats_saisis", "Résultats saisis"
    VALIDEE = "validee", "Validée"
    RENVOYEE = "renvoyee", "Renvoyée au centre"
    ANNULEE = "annulee", "Annulée"


class VoieAcces(models.TextChoices):
    FORMATION_CONTINUE = "formation_continue", "Formation continue"
    APPRENTISSAGE = "apprentissage", "Apprentissage"
    VAE = "vae", "VAE"
    EQUIVALENCE = "equivalence", "Équivalence"


class ResultatCcpValeur(models.TextChoices):
    OBTENU = "obtenu", "Obtenu"
    NON_OBTENU = "non_obtenu", "Non obtenu"
    NON_PRESENTE = "non_presente", "Non présenté"


class EntretienFinal(models.TextChoices):
    SANS_OBJET = "sans_objet", "Sans objet"
    FAVORABLE = "favorable", "Favorable"
    DEFAVORABLE = "defavorable", "Défavorable"
    NON_PRESENTE = "non_presente", "Non présenté"


class Decision(models.TextChoices):
    REUSSITE = "reussite", "Réussite"
    REUSSITE_PARTIELLE = "reussite_partielle", "Réussite partielle"
    ECHEC = "echec", "Échec"
    ABSENT = "absent", "Absent"


class TypeCertification(models.TextChoices):
    TITRE = "titre", "Titre professionnel"
    CCP = "ccp", "CCP"
    CCS = "ccs", "CCS"


class StatutEnvoi(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "Envoi en cours"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Terminé avec des échecs"

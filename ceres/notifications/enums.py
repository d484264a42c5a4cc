from django.db import models


class Sorte(models.TextChoices):
    """What a notification is about. Mandatory kinds are always sent by e-mail too (MANDATORY)."""

    SESSION_VALIDEE = "session_validee", "Session validée par l'unité départementale"
    SESSION_RENVOYEE = "session_renvoyee", "Session renvoyée au centre"
    RESULTATS_TRANSMIS = "resultats_transmis", "Résultats d'une session transmis à l'unité départementale"
    AGREMENT_DECIDE = "agrement_decide", "Décision sur une demande d'agrément"
    ECHEANCE_AGREMENT = "echeance_agrement", "Agrément arrivant à son terme"
    ECHEANCE_HABILITATION = "echeance_habilitation", "Habilitation arrivant à son terme"
    ECHEANCE_TITRE = "echeance_titre", "Titre arrivant en fin de vie"
    JURE_INDISPONIBLE = "jure_indisponible", "Juré convoqué dont l'habilitation est suspendue ou retirée"


# A returned session and an agrément decision ask the centre to act (or may be contested): the e-mail is not optional.
# A convened juror who may no longer sit blocks the session until the centre recomposes its jury: same.
MANDATORY = {Sorte.SESSION_RENVOYEE, Sorte.AGREMENT_DECIDE, Sorte.JURE_INDISPONIBLE}


class Canal(models.TextChoices):
    EMAIL = "email", "Par e-mail et dans CERES"
    APPLICATION = "application", "Dans CERES seulement"


class EtatEnvoi(models.TextChoices):
    SANS_EMAIL = "sans_email", "Pas d'e-mail demandé"
    A_ENVOYER = "a_envoyer", "E-mail à envoyer"
    ENVOYE = "envoye", "E-mail envoyé"
    ECHEC = "echec", "E-mail en échec"

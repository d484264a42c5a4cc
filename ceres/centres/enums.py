from django.db import models


class TypeCentre(models.TextChoices):
    ORGANISME_PRIVE = "organisme_prive", "Organisme privé"
    AFPA = "afpa", "AFPA"
    GRETA = "greta", "GRETA"
    CFA = "cfa", "CFA"
    CRP = "crp", "CRP / ESRP"
    AUTRE = "autre", "Autre"


class DecisionAgrement(models.TextChoices):
    """What the préfet de région decided (stored). The displayed status is derived from it (StatutAgrement)."""

    EN_INSTRUCTION = "en_instruction", "En instruction"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    CLASSEE_SANS_SUITE = "classee_sans_suite", "Classée sans suite"
    RETIREE = "retiree", "Retirée"


class StatutAgrement(models.TextChoices):
    """Derived, never stored nor typed (DOMAIN.md §3.3, release note CERES 1.2 / §7 R5)."""

    EN_COURS_INSTRUCTION = "en_cours_instruction", "En cours d'instruction"
    A_VENIR = "a_venir", "À venir"
    VALIDE = "valide", "Valide"
    EXPIREE = "expiree", "Expirée"
    REFUSEE = "refusee", "Refusée"
    CLASSEE_SANS_SUITE = "classee_sans_suite", "Classée sans suite"
    RETIREE = "retiree", "Retirée"


# DSFR badge severity per status (fr-badge--success, …).
STATUT_BADGE = {
    StatutAgrement.EN_COURS_INSTRUCTION: "info",
    StatutAgrement.A_VENIR: "new",
    StatutAgrement.VALIDE: "success",
    StatutAgrement.EXPIREE: "warning",
    StatutAgrement.REFUSEE: "error",
    StatutAgrement.CLASSEE_SANS_SUITE: "",
    StatutAgrement.RETIREE: "error",
}


class StatutInvitation(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de réponse"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"

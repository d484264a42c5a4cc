"""Jury members (membres de jury) and their habilitations, one per title (valid nationally)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ceres.core.imports import ImportJob
from ceres.core.models import PublicIdModel
from ceres.core.text import fold
from ceres.core.validators import validate_siret
from ceres.jurys.enums import StatutHabilitation, StatutProfessionnel
from ceres.personnes.models import Adresse, Identite


class MembreJury(Identite, Adresse, PublicIdModel):
    """A juror's file, managed by the UD that habilitated them (``ud`` scopes who may edit it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte utilisateur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membre_jury",
    )
    former_id = models.CharField(
        "identifiant dans l'ancien système", max_length=40, blank=True, help_text="Reprise des données."
    )
    # Professional situation
    profession = models.CharField("profession", max_length=200, blank=True)
    employer_name = models.CharField("employeur", max_length=200, blank=True)
    employer_name_key = models.CharField("clé employeur", max_length=200, blank=True, editable=False)
    employer_siret = models.CharField("SIRET de l'employeur", max_length=14, blank=True, validators=[validate_siret])
    status = models.CharField("statut", max_length=20, choices=StatutProfessionnel.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField("années d'expérience dans le métier", null=True, blank=True)
    ud = models.ForeignKey(
        "referentiels.UniteDepartementale",
        verbose_name="unité départementale gestionnaire",
        on_delete=models.PROTECT,
        related_name="membres_jury",
    )

    class Meta(Identite.Meta):
        verbose_name = "membre de jury"
        verbose_name_plural = "membres de jury"
        ordering = ["name_key", "first_names_key", "birth_date"]
        constraints = [
            *Identite.Meta.constraints,
            models.UniqueConstraint(
                fields=["former_id"], condition=~Q(former_id=""), name="membrejury_unique_former_id"
            ),
        ]
        indexes = [models.Index(fields=["birth_date"], name="membrejury_birth_date_idx")]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        """« Marie DURAND »: the first first name only, and the name in use (convocations, lists)."""
        name = self.usage_name or self.birth_name
        return f"{self.first_first_name} {name.upper()}".strip()

    def fill_keys(self):
        self.compute_identity_keys()
        self.employer_name_key = fold(self.employer_name)


class HabilitationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=StatutHabilitation.ACTIVE)


class Habilitation(PublicIdModel):
    """Habilitation of a juror for a title (all versions of the same ``code_titre`` or of its version chain)."""

    membre = models.ForeignKey(
        MembreJury, verbose_name="membre de jury", on_delete=models.PROTECT, related_name="habilitations"
    )
    titre = models.ForeignKey(
        "referentiels.TitreProfessionnel", verbose_name="titre", on_delete=models.PROTECT, related_name="habilitations"
    )
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    until_end_of_life = models.BooleanField("jusqu'à la fin de vie du titre", default=False)
    ud = models.ForeignKey(
        "referentiels.UniteDepartementale",
        verbose_name="unité départementale ayant habilité",
        on_delete=models.PROTECT,
        related_name="habilitations",
    )
    decision_date = models.DateField("date de la décision", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=StatutHabilitation.choices, default=StatutHabilitation.ACTIVE
    )
    status_reason = models.TextField("motif", blank=True)
    former_id = models.CharField("identifiant dans l'ancien système", max_length=40, blank=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = "habilitation"
        ordering = ["membre", "titre__intitule", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="habilitation_period_order",
                violation_error_message="La fin de l'habilitation précède son début.",
            ),
            models.CheckConstraint(
                condition=Q(until_end_of_life=True) | Q(end_date__isnull=False),
                name="habilitation_has_end",
                violation_error_message="Indiquez une date de fin ou cochez « jusqu'à la fin de vie du titre ».",
            ),
            models.UniqueConstraint(
                fields=["former_id"], condition=~Q(former_id=""), name="habilitation_unique_former_id"
            ),
        ]

    def __str__(self):
        return f"{self.membre} — {self.titre}"


class HomonymieJure(PublicIdModel):
    """A probable duplicate the agent confirmed as another person when creating a juror file: kept for the UD's review
    with who confirmed it (issue #12; candidates have DoublonPotentiel "autre personne")."""

    membre = models.ForeignKey(
        MembreJury, verbose_name="fiche créée", on_delete=models.CASCADE, related_name="homonymies"
    )
    autre = models.ForeignKey(
        MembreJury, verbose_name="fiche ressemblante", on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.JSONField("raisons du rapprochement", default=list)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="confirmé par", null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vérifié par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("vérifié le", null=True, blank=True)

    class Meta:
        verbose_name = "homonymie de juré confirmée"
        verbose_name_plural = "homonymies de jurés confirmées"
        ordering = ["reviewed_at", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["membre", "autre"], name="homonymiejure_unique_pair")]

    def __str__(self):
        return f"{self.membre} / {self.autre}"


class ImportReprise(ImportJob):
    """A reprise file (jurors and habilitations of the former system) deposited from the browser: checked (dry run),
    then applied on its click (ceres.core.imports). ``ud``: the UD of the agent who deposited it, whose jurors only
    are taken over; empty for the national administrator (every UD, as the command)."""

    ud = models.ForeignKey(
        "referentiels.UniteDepartementale",
        verbose_name="unité départementale (agent UD)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(ImportJob.Meta):
        verbose_name = "reprise de jurés depuis le navigateur"
        verbose_name_plural = "reprises de jurés depuis le navigateur"

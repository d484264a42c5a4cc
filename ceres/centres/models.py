"""Centres (exam organisations), their sites (plateaux techniques), members and agréments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ceres.centres import rules
from ceres.centres.enums import STATUT_BADGE, DecisionAgrement, StatutAgrement, StatutInvitation, TypeCentre
from ceres.core.imports import ImportJob
from ceres.core.models import BaseModel, PublicIdModel
from ceres.core.text import fold, search_key
from ceres.core.validators import validate_siret


def address_key(address: str, postal_code: str = "") -> str:
    """Key used to recognise the same site across imports (case, accents, punctuation ignored)."""
    return fold(f"{address} {postal_code}")[:255]


class Centre(PublicIdModel):
    name = models.CharField("raison sociale", max_length=255)
    name_key = models.CharField("clé de recherche", max_length=255, db_index=True, editable=False)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    type = models.CharField("type de centre", max_length=20, choices=TypeCentre.choices)
    departement = models.ForeignKey(
        "referentiels.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="centres"
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "referentiels.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField("nom du contact", max_length=200, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        verbose_name = "centre"
        ordering = ["name_key", "siret"]

    def __str__(self):
        return f"{self.name} ({self.siret})"

    def save(self, *args, **kwargs):
        self.name_key = search_key(self.name, drop_article=False)
        super().save(*args, **kwargs)

    @property
    def region(self):
        return self.departement.region


class Site(PublicIdModel):
    """Plateau technique: the place named in the agrément where sessions happen."""

    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="sites")
    name = models.CharField("nom du site", max_length=255)
    address = models.CharField("adresse", max_length=255)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "referentiels.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    address_key = models.CharField("clé d'adresse", max_length=255, editable=False)

    class Meta:
        verbose_name = "site"
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "address_key", "commune"], name="site_unique_address"),
        ]

    def __str__(self):
        return f"{self.name} — {self.address} {self.postal_code} {self.commune.name}".strip()

    def save(self, *args, **kwargs):
        self.address_key = address_key(self.address, self.postal_code)
        super().save(*args, **kwargs)

    def clean(self):
        self.address_key = address_key(self.address, self.postal_code)


class MembreCentre(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="centre_memberships",
    )
    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField("administrateur du centre", default=False)

    class Meta:
        verbose_name = "membre d'un centre"
        verbose_name_plural = "membres des centres"
        constraints = [models.UniqueConstraint(fields=["user", "centre"], name="membrecentre_unique")]

    def __str__(self):
        return f"{self.user} — {self.centre.name}"


class InvitationCentre(PublicIdModel):
    """An invitation to join a centre: membership starts only when the invited person accepts it.

    The address is stored canonical (comptes.rules.canonical_email) and the invitation is recorded whether or not an
    account has it, so the centre learns nothing about which addresses have an account.
    """

    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail invitée")
    is_admin = models.BooleanField("administrateur du centre", default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invité par", null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "statut", max_length=16, choices=StatutInvitation.choices, default=StatutInvitation.EN_ATTENTE
    )
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation à rejoindre un centre"
        verbose_name_plural = "invitations à rejoindre un centre"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "email"],
                condition=Q(status="en_attente"),
                name="invitationcentre_une_en_attente",
                violation_error_message="Une invitation est déjà en attente pour cette adresse.",
            )
        ]

    def __str__(self):
        return f"Invitation de {self.email} — {self.centre.name}"


class AgrementQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Accepted and day within [start_date, end_date]: the SQL twin of rules.agrement_status == VALIDE."""
        return self.filter(decision=DecisionAgrement.ACCEPTEE, start_date__lte=day).filter(
            Q(end_date__gte=day) | Q(end_date__isnull=True)
        )


class Agrement(PublicIdModel):
    """Agrément = one title version (or a CCS) x one site x one period. Status is derived, never stored."""

    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="agrements")
    site = models.ForeignKey(Site, verbose_name="site", on_delete=models.PROTECT, related_name="agrements")
    titre = models.ForeignKey(
        "referentiels.TitreProfessionnel", verbose_name="titre", on_delete=models.PROTECT, related_name="agrements"
    )
    ccs = models.ForeignKey(
        "referentiels.Ccs",
        verbose_name="CCS",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agrements",
    )
    start_date = models.DateField("début")
    end_date = models.DateField("fin (incluse)")
    decision = models.CharField(
        "décision", max_length=20, choices=DecisionAgrement.choices, default=DecisionAgrement.EN_INSTRUCTION
    )
    decision_date = models.DateField("date de la décision", null=True, blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décision prise par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    valce_id = models.CharField("identifiant VALCE", max_length=50, unique=True, null=True, blank=True)
    valce_raw = models.JSONField("ligne VALCE importée", null=True, blank=True)

    objects = AgrementQuerySet.as_manager()

    class Meta:
        verbose_name = "agrément"
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="agrement_period_order"),
        ]
        indexes = [models.Index(fields=["decision", "end_date"])]

    def __str__(self):
        what = f"CCS {self.ccs.intitule}" if self.ccs_id else str(self.titre)
        return f"Agrément {what} — {self.centre.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.site_id and self.centre_id and self.site.centre_id != self.centre_id:
            errors["site"] = "Ce site n'appartient pas au centre."
        if self.ccs_id and self.titre_id and self.ccs.titre_id != self.titre_id:
            errors["ccs"] = "Ce CCS n'est pas rattaché à ce titre."
        period = rules.period_errors(
            start_date=self.start_date,
            end_date=self.end_date,
            titre_end_date=self.titre.end_date if self.titre_id else None,
        )
        if period:
            errors["end_date"] = period
        if errors:
            raise ValidationError(errors)

    @property
    def facts(self) -> rules.AgrementFacts:
        return rules.AgrementFacts(
            decision=self.decision,
            start_date=self.start_date,
            end_date=self.end_date,
            titre_id=self.titre_id,
            site_id=self.site_id,
            centre_id=self.centre_id,
            ccs_id=self.ccs_id,
            decision_date=self.decision_date,
        )

    def status_on(self, day: datetime.date) -> StatutAgrement:
        return rules.agrement_status(self.decision, self.start_date, self.end_date, day)

    @property
    def status(self) -> StatutAgrement:
        return self.status_on(timezone.localdate())

    @property
    def status_badge(self) -> str:
        return STATUT_BADGE[self.status]

    @property
    def status_allows(self) -> str:
        return rules.agrement_allows(
            self.status,
            titre=self.titre.intitule or str(self.titre),
            site=f"{self.site.name}, {self.site.commune.name}",
            start_date=self.start_date,
            end_date=self.end_date,
            ccs=self.ccs.intitule if self.ccs_id else "",
        )


class ImportValce(PublicIdModel):
    """One written VALCE import (dry runs are not kept): its counters and the report of rejected lines."""

    filename = models.CharField("fichier", max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lines = models.PositiveIntegerField("lignes lues", default=0)
    created = models.PositiveIntegerField("agréments créés", default=0)
    updated = models.PositiveIntegerField("agréments modifiés", default=0)
    unchanged = models.PositiveIntegerField("agréments inchangés", default=0)
    rejected = models.PositiveIntegerField("lignes rejetées", default=0)
    report = models.JSONField("rapport", default=dict, blank=True)

    class Meta:
        verbose_name = "import VALCE"
        verbose_name_plural = "imports VALCE"
        ordering = ["-created_at"]

    def __str__(self):
        when = f" du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}" if self.created_at else ""
        return f"Import VALCE {self.filename}{when}"


class DepotValce(ImportJob):
    """A VALCE export deposited from the browser: checked (dry run), then applied on the agent's click
    (ceres.core.imports); the application writes its ImportValce record as the command does."""

    region = models.ForeignKey(
        "referentiels.Region",
        verbose_name="région (agent DREETS)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(ImportJob.Meta):
        verbose_name = "dépôt d'un fichier VALCE"
        verbose_name_plural = "dépôts de fichiers VALCE"

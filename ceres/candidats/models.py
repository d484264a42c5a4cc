"""Candidate files: one per person for the whole path (R7), blocking keys for the duplicate check, history."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from ceres.core.dates import fr_date
from ceres.core.imports import ImportJob
from ceres.core.models import BaseModel, PublicIdModel
from ceres.personnes.models import Adresse, Civilite, Identite

__all__ = ["Candidat", "Civilite"]


class CandidatQuerySet(models.QuerySet):
    def active(self):
        """Files that are not absorbed by a merge."""
        return self.filter(merged_into__isnull=True)


class Candidat(Identite, Adresse, PublicIdModel):
    numero = models.CharField(
        "numéro de candidat",
        max_length=8,
        unique=True,
        editable=False,
        help_text="7 chiffres + 1 chiffre de contrôle (Luhn), attribué une fois, jamais réutilisé.",
    )
    nationality = models.ForeignKey(
        "referentiels.Pays",
        verbose_name="nationalité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disability_adjustments = models.TextField("aménagements liés au handicap", blank=True)
    homonym_declared_reason = models.TextField(
        "motif de la déclaration d'homonymie",
        blank=True,
        help_text="Renseigné quand le dossier a été créé malgré une identité identique à un dossier existant.",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionné dans",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed_files",
    )
    merged_at = models.DateTimeField("fusionné le", null=True, blank=True)
    created_by_centre = models.ForeignKey(
        "centres.Centre",
        verbose_name="créé par le centre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidats_crees",
    )
    objects = CandidatQuerySet.as_manager()

    class Meta(Identite.Meta):
        verbose_name = "candidat"
        ordering = ["name_key", "first_names", "birth_date"]
        constraints = [
            *Identite.Meta.constraints,
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="candidat_not_merged_into_self",
            ),
        ]
        indexes = [
            models.Index(fields=["birth_date", "name_key"], name="candidat_birth_name_idx"),
            # National search by name (administration nationale): ordered index ranges, see selectors.NameSearch. The
            # merge column is carried by the index so "not absorbed" is checked without reading the rows (PostgreSQL):
            # the search reads the page's entries, not every match ("mar": 70,000 at 2 M, 1.4 s before; issue #14).
            models.Index(fields=["name_key", "id"], name="candidat_name_id_idx", include=["merged_into"]),
            models.Index(fields=["usage_name_key", "id"], name="candidat_usage_id_idx", include=["merged_into"]),
            # The national list, in its order (name, first names, birth date): a page reads 25 entries.
            models.Index(fields=["name_key", "first_names", "birth_date"], name="candidat_list_idx"),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.numero})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every write path (services, imports, admin, factories) keeps the precomputed access rows exact.
        from ceres.candidats import acces

        acces.candidat_saved(self)

    @property
    def display_name(self):
        name = self.birth_name.upper()
        if self.usage_name:
            name = f"{self.usage_name.upper()} {self.born} {name}"
        return f"{name} {self.first_names_display}".strip()

    @property
    def is_merged(self):
        return self.merged_into_id is not None

    def compute_derived(self):
        self.compute_identity_keys()


class CandidatCle(models.Model):
    """Blocking key of a candidate file (see ceres.personnes.identite): the duplicate check is an index lookup."""

    candidat = models.ForeignKey(Candidat, verbose_name="candidat", on_delete=models.CASCADE, related_name="cles")
    key = models.CharField("clé", max_length=120)

    class Meta:
        verbose_name = "clé de rapprochement"
        verbose_name_plural = "clés de rapprochement"
        indexes = [models.Index(fields=["key", "candidat"], name="candidatcle_key_idx")]

    def __str__(self):
        return self.key


class CompteurCandidat(models.Model):
    """Single counter row for public candidate numbers, taken with select_for_update."""

    name = models.CharField("nom", max_length=30, unique=True)
    last_value = models.PositiveIntegerField("dernière valeur", default=0)

    class Meta:
        verbose_name = "compteur de numéros de candidat"
        verbose_name_plural = "compteurs de numéros de candidat"

    def __str__(self):
        return f"{self.name} = {self.last_value}"


class CandidatIdentiteHistorique(BaseModel):
    """An identity a file has carried: initial, corrected, or absorbed by a merge. Never deleted."""

    class Origine(models.TextChoices):
        CREATION = "creation", "Identité à la création"
        MODIFICATION = "modification", "Identité avant modification"
        FUSION = "fusion", "Identité d'un dossier absorbé par fusion"

    candidat = models.ForeignKey(
        Candidat, verbose_name="dossier", on_delete=models.PROTECT, related_name="identity_history"
    )
    source = models.ForeignKey(
        Candidat,
        verbose_name="dossier d'origine",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Le dossier qui portait cette identité (le dossier absorbé pour une fusion).",
    )
    origin = models.CharField("origine", max_length=20, choices=Origine.choices)
    identity = models.JSONField("identité")
    reason = models.TextField("motif", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    @property
    def identity_label(self) -> str:
        """The stored identity as a sentence ("MARTIN (DURAND) Sophie, Anne, 12/03/1991, Bourg-en-Bresse")."""
        data = self.identity or {}
        name = data.get("birth_name", "")
        if data.get("usage_name"):
            name += f" ({data['usage_name']})"
        parts = [f"{name} {data.get('first_names', '')}".strip()]
        birth_date = data.get("birth_date") or ""
        try:
            parts.append(fr_date(datetime.date.fromisoformat(birth_date)))
        except ValueError:
            if birth_date:
                parts.append(birth_date)
        if data.get("birth_place"):
            parts.append(data["birth_place"])
        return ", ".join(parts)

    class Meta:
        verbose_name = "identité historique d'un candidat"
        verbose_name_plural = "identités historiques des candidats"
        ordering = ["candidat", "created_at", "id"]

    def __str__(self):
        return f"{self.get_origin_display()} — {self.identity.get('birth_name', '')}"


class DoublonPotentiel(PublicIdModel):
    """A pair of files found by the batch detection (``detecter_doublons``), to merge or to set aside."""

    class Statut(models.TextChoices):
        A_TRAITER = "a_traiter", "À traiter"
        # Declared at entry (page or import) by whoever created the second file: the UD still has to review it.
        AUTRE_PERSONNE = "autre_personne", "Autre personne selon la saisie (à vérifier)"
        HOMONYMIE = "homonymie", "Homonymie déclarée (à vérifier)"
        ECARTE = "ecarte", "Écarté (personnes différentes)"
        FUSIONNE = "fusionne", "Fusionné"

    TO_REVIEW = (Statut.A_TRAITER, Statut.AUTRE_PERSONNE, Statut.HOMONYMIE)

    candidat_a = models.ForeignKey(Candidat, verbose_name="dossier A", on_delete=models.CASCADE, related_name="+")
    candidat_b = models.ForeignKey(Candidat, verbose_name="dossier B", on_delete=models.CASCADE, related_name="+")
    level = models.CharField("niveau", max_length=10, choices=[("certain", "Certain"), ("probable", "Probable")])
    reasons = models.JSONField("raisons", default=list)
    status = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.A_TRAITER)
    declared_reason = models.TextField(
        "motif déclaré à la saisie", blank=True, help_text="Motif de la déclaration d'homonymie, le cas échéant."
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclaré par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField("déclaré le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    class Meta:
        verbose_name = "doublon potentiel"
        verbose_name_plural = "doublons potentiels"
        ordering = ["status", "level", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidat_a", "candidat_b"], name="doublon_unique_pair"),
            models.CheckConstraint(condition=Q(candidat_a__lt=models.F("candidat_b")), name="doublon_ordered_pair"),
        ]

    def __str__(self):
        return f"{self.candidat_a} / {self.candidat_b} ({self.level})"


class CandidatAcces(models.Model):
    """Who sees a candidate file, precomputed (docs/decisions/0006-acces-candidats.md): one row per scope that sees
    it ("D:<département>", "R:<région>", "C:<centre id>"), with the search keys copied, so that a scoped list or a
    name search is one index range scan instead of an OR across three joined tables over the whole nation.

    Written by Candidat.save (residence, creating centre) and Inscription.save (centre of the session); access is
    cumulative: a UD that once saw a file keeps seeing it."""

    scope = models.CharField("périmètre", max_length=16)
    candidat = models.ForeignKey(Candidat, verbose_name="candidat", on_delete=models.CASCADE, related_name="acces")
    name_key = models.CharField("clé du nom", max_length=150, blank=True)
    usage_name_key = models.CharField("clé du nom d'usage", max_length=150, blank=True)
    # Copy of "not absorbed by a merge" (Candidat.merged_into empty), like the keys: a scoped search or list reads
    # the access rows' index alone, without checking each file in the candidate table (issue #14).
    active = models.BooleanField("dossier actif", default=True, db_default=True, editable=False)

    class Meta:
        verbose_name = "accès à un dossier candidat"
        verbose_name_plural = "accès aux dossiers candidats"
        constraints = [models.UniqueConstraint(fields=["scope", "candidat"], name="candidatacces_unique")]
        indexes = [
            # Active files only: what the lists and searches show (absorbed files are reached by their number).
            models.Index(
                fields=["scope", "name_key", "candidat"], name="candidatacces_scope_name_idx", condition=Q(active=True)
            ),
            models.Index(
                fields=["scope", "usage_name_key", "candidat"],
                name="candidatacces_scope_usage_idx",
                condition=Q(active=True),
            ),
        ]

    def __str__(self):
        return f"{self.scope} — {self.candidat_id}"


class CorrectionIdentite(PublicIdModel):
    """A centre's request to correct an identity it no longer corrects alone (issue #16): the UD of the person's
    certifications decides, with the proof; the former identity stays in the history and on printed parchemins."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de décision"
        APPROUVEE = "approuvee", "Approuvée"
        REFUSEE = "refusee", "Refusée"

    candidat = models.ForeignKey(
        Candidat, verbose_name="dossier", on_delete=models.PROTECT, related_name="identity_corrections"
    )
    current = models.JSONField("identité au moment de la demande")
    identity = models.JSONField("identité demandée")
    proof = models.FileField("justificatif", upload_to="corrections_identite/%Y/")
    reason = models.TextField("motif")
    # Ids of the départements whose UD decides, as « ,12,34, » (a contains lookup that SQLite and PostgreSQL share).
    departements = models.CharField("départements qui décident", max_length=500, blank=True)

    def decided_by_departement(self, departement_id) -> bool:
        return f",{departement_id}," in self.departements

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandée par", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("statut", max_length=16, choices=Statut.choices, default=Statut.EN_ATTENTE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_reason = models.TextField("motif de la décision", blank=True)

    class Meta:
        verbose_name = "demande de correction d'identité"
        verbose_name_plural = "demandes de correction d'identité"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Correction d'identité du dossier {self.candidat.numero}"


class ImportCandidats(ImportJob):
    """A candidates file a centre imports from the browser: checked (dry run), then applied on its click
    (ceres.core.imports). The created files are followed by that centre."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name="centre", on_delete=models.PROTECT, related_name="imports_candidats"
    )

    class Meta(ImportJob.Meta):
        verbose_name = "import de candidats"
        verbose_name_plural = "imports de candidats"

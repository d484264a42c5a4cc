from django.conf import settings
from django.db import models

from ceres.core.models import PublicIdModel


class NatureImpression(models.TextChoices):
    ORIGINAL = "original", "Original"
    DUPLICATA = "duplicata", "Duplicata"


class MotifDuplicata(models.TextChoices):
    PERTE = "perte", "Perte"
    VOL = "vol", "Vol"
    DETERIORATION = "deterioration", "Détérioration"
    ERREUR_IDENTITE = "erreur_identite", "Erreur d'identité corrigée par l'unité départementale"
    DEFAUT_IMPRESSION = "defaut_impression", "Défaut d'impression"
    # Never chosen for a reprint: set at the first print of a certification awarded before numbering existed.
    ORIGINAL_PAPIER = "original_papier", "Original papier délivré avant la numérotation"
    AUTRE = "autre", "Autre motif (à préciser)"


class StatutLot(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "Impression en cours"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Échec"


class ImpressionLot(PublicIdModel):
    """Bulk print of the parchemins of a validated session, built by a background task."""

    session = models.ForeignKey(
        "examens.SessionExamen", verbose_name="session", on_delete=models.PROTECT, related_name="lots_parchemins"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandé par", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("état", max_length=12, choices=StatutLot.choices, default=StatutLot.EN_ATTENTE)
    total = models.PositiveIntegerField("documents à imprimer", default=0)
    done = models.PositiveIntegerField("documents imprimés", default=0)
    file = models.FileField("fichier", upload_to="parchemins/lots/%Y/", blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    error = models.TextField("erreur", blank=True)
    # Certifications awarded before numbering existed: the UD's answer, asked when the lot is requested.
    paper_original = models.BooleanField("originaux papier déjà délivrés", null=True, blank=True)
    # Documents printed meanwhile by someone else: skipped (not printed twice) and listed on the page.
    skipped = models.JSONField("documents sautés", default=list, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    task_id = models.CharField("identifiant de tâche", max_length=64, blank=True)

    class Meta:
        verbose_name = "lot d'impression de parchemins"
        verbose_name_plural = "lots d'impression de parchemins"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Lot du {self.created_at:%d/%m/%Y %H:%M} — {self.session}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == StatutLot.TERMINE else 0)

    @property
    def is_finished(self) -> bool:
        return self.status in (StatutLot.TERMINE, StatutLot.ECHEC)


class Parchemin(PublicIdModel):
    """An edition: one row per printed copy (the original, then duplicata n° 1, 2…) of an awarded certification.

    The file is stored once with its SHA-256 and never regenerated: a reprint is a new edition, a new row and a new
    file. The QR code's signature covers the edition; the latest edition is the current one, the older ones verify
    as « remplacé ».
    """

    certification = models.ForeignKey(
        "examens.Certification", verbose_name="certification", on_delete=models.PROTECT, related_name="parchemins"
    )
    number = models.CharField("numéro unique", max_length=40, db_index=True)
    nature = models.CharField("nature", max_length=10, choices=NatureImpression.choices)
    edition = models.PositiveSmallIntegerField("édition", default=0, help_text="0 : l'original ; k : duplicata n° k.")
    reason = models.CharField("motif du duplicata", max_length=20, choices=MotifDuplicata.choices, blank=True)
    reason_detail = models.TextField("précision sur le motif", blank=True)
    template = models.CharField("gabarit", max_length=40)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="imprimé par", null=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        ImpressionLot, verbose_name="lot", null=True, blank=True, on_delete=models.PROTECT, related_name="parchemins"
    )
    file = models.FileField("fichier", upload_to="parchemins/%Y/")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    signature = models.CharField("signature du QR code", max_length=200)
    facts = models.JSONField("faits signés", default=dict)

    class Meta:
        verbose_name = "parchemin imprimé"
        verbose_name_plural = "parchemins imprimés"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=models.Q(nature="original"),
                name="documents_parchemin_one_original",
            ),
            models.UniqueConstraint(fields=["certification", "edition"], name="documents_parchemin_one_edition"),
            models.CheckConstraint(
                condition=models.Q(nature="original", edition=0) | models.Q(nature="duplicata", edition__gt=0),
                name="documents_parchemin_edition_nature",
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.edition_label} du {self.created_at:%d/%m/%Y})"

    @property
    def edition_label(self) -> str:
        return "original" if self.edition == 0 else f"duplicata n° {self.edition}"

    @property
    def edition_code(self) -> str:
        return "O" if self.edition == 0 else f"D{self.edition}"


class DeclarationOriginal(PublicIdModel):
    """What the UD stated at the first print of a certification awarded before numbering existed: was a paper
    original issued before? If so, the first copy printed by CERES is a duplicata carrying the new number."""

    certification = models.OneToOneField(
        "examens.Certification",
        verbose_name="certification",
        on_delete=models.PROTECT,
        related_name="declaration_original",
    )
    paper_original = models.BooleanField("original papier déjà délivré")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déclaré par", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "déclaration d'original papier"
        verbose_name_plural = "déclarations d'original papier"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.certification} : original papier {'délivré' if self.paper_original else 'jamais délivré'}"


class Annulation(PublicIdModel):
    """Annulment of an awarded certification by the UD (e.g. fraud); only the national administrator lifts it."""

    certification = models.ForeignKey(
        "examens.Certification", verbose_name="certification", on_delete=models.PROTECT, related_name="annulations"
    )
    reason = models.TextField("motif")
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="annulé par", on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField("levée le", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="levée par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lift_reason = models.TextField("motif de la levée", blank=True)

    class Meta:
        verbose_name = "annulation de parchemin"
        verbose_name_plural = "annulations de parchemins"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=models.Q(lifted_at__isnull=True),
                name="documents_annulation_one_active",
            ),
        ]

    def __str__(self):
        return f"Annulation de {self.certification.number or self.certification}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

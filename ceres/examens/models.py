"""Exam sessions, their jury, registrations, results and the certifications they award."""

import contextlib
import contextvars
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ceres.core.models import BaseModel, PublicIdModel
from ceres.examens import rules
from ceres.examens.enums import (
    Decision,
    EntretienFinal,
    ResultatCcpValeur,
    StatutEnvoi,
    StatutSession,
    TypeCertification,
    TypeSession,
    VoieAcces,
)

# Validated results are immutable (arrêté du 22/12/2015 art. 10): only the UD's correction service opens them, inside
# `results_correction()`. A backstop under the services, so that no other code path (admin, shell, a future
# service) rewrites a validated result silently.
_correction_open = contextvars.ContextVar("examens_results_correction", default=False)
LOCKED_RESULTS = (
    "Les résultats d'une session validée ne se modifient que par une correction de l'unité départementale."
)
RESULT_FIELDS = ("entretien_final", "ccs_result", "decision", "absence_justified", "incidents")


@contextlib.contextmanager
def results_correction():
    """Opens validated results to the UD's correction service (which journals it), here and, on PostgreSQL, for the
    database triggers of documents/migrations/0004 (transaction-local setting `ceres.correction`)."""
    token = _correction_open.set(True)
    _database_correction("on")
    try:
        yield
    finally:
        _database_correction("off")
        _correction_open.reset(token)


def _database_correction(value: str) -> None:
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ceres.correction', %s, true)", [value])


def _results_locked(inscription_id) -> bool:
    return (
        not _correction_open.get()
        and Inscription.objects.filter(pk=inscription_id, session__status=StatutSession.VALIDEE).exists()
    )


class SessionExamenQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=StatutSession.ANNULEE)


class SessionExamen(PublicIdModel):
    centre = models.ForeignKey(
        "centres.Centre", verbose_name="centre", on_delete=models.PROTECT, related_name="sessions"
    )
    site = models.ForeignKey("centres.Site", verbose_name="site", on_delete=models.PROTECT, related_name="sessions")
    agrement = models.ForeignKey(
        "centres.Agrement", verbose_name="agrément", on_delete=models.PROTECT, related_name="sessions"
    )
    # The UD of this département validates the session (arrêté du 22/12/2015 art. 10).
    departement = models.ForeignKey(
        "referentiels.Departement", verbose_name="département", on_delete=models.PROTECT, related_name="sessions"
    )
    titre = models.ForeignKey(
        "referentiels.TitreProfessionnel", verbose_name="titre", on_delete=models.PROTECT, related_name="sessions"
    )
    type = models.CharField("type de session", max_length=10, choices=TypeSession.choices)
    ccps = models.ManyToManyField(
        "referentiels.Ccp", verbose_name="CCP de la session", blank=True, related_name="sessions"
    )
    ccs = models.ForeignKey(
        "referentiels.Ccs",
        verbose_name="CCS",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    start_date = models.DateField("premier jour")
    end_date = models.DateField("dernier jour")
    start_time = models.TimeField("heure de début des épreuves", default=rules.DEFAULT_START_TIME)
    convocation_date = models.DateField("date de convocation")
    convocation_time = models.TimeField("heure de convocation", default=rules.DEFAULT_CONVOCATION_TIME)
    # False while the convocation follows the first day at 08:00 (R4); True once the user set it (kept, checked).
    convocation_explicit = models.BooleanField("convocation fixée par l'utilisateur", default=False)
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable de session",
        on_delete=models.PROTECT,
        related_name="sessions_responsable",
    )
    planned_candidates = models.PositiveSmallIntegerField("nombre de candidats prévus", default=1)
    remote = models.BooleanField("épreuves à distance", default=False)
    status = models.CharField(
        "état", max_length=30, choices=StatutSession.choices, default=StatutSession.EN_PREPARATION, db_index=True
    )
    status_reason = models.TextField("motif du dernier changement d'état", blank=True)
    # Recorded after the title's end of life (CFA/CRP) or during the délai de prolongation: eligibility applies.
    in_prolongation = models.BooleanField("session en délai de prolongation", default=False)
    pv_signed = models.BooleanField("PV signé par le jury", default=False)
    submitted_at = models.DateTimeField("résultats transmis le", null=True, blank=True)
    pv_number = models.CharField("numéro de PV", max_length=50, blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", on_delete=models.PROTECT, related_name="+"
    )

    objects = SessionExamenQuerySet.as_manager()

    class Meta:
        verbose_name = "session d'examen"
        verbose_name_plural = "sessions d'examen"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="session_period_order"),
            models.CheckConstraint(condition=~Q(type=TypeSession.CCS) | Q(ccs__isnull=False), name="session_ccs_set"),
        ]
        indexes = [
            models.Index(fields=["departement", "status", "start_date"]),
            # The lists read "newest first" per scope (national, UD, centre): an index range, whatever the volume.
            models.Index(fields=["start_date", "id"], name="session_start_idx"),
            models.Index(fields=["departement", "start_date", "id"], name="session_dept_start_idx"),
            models.Index(fields=["centre", "start_date", "id"], name="session_centre_start_idx"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.titre.sigle or self.titre.intitule} du {self.start_date:%d/%m/%Y}"

    @property
    def schedule(self) -> rules.Schedule:
        return rules.Schedule(
            self.start_date, self.end_date, self.start_time, self.convocation_date, self.convocation_time
        )

    @property
    def days(self) -> list[datetime.date]:
        return rules.session_days(self.start_date, self.end_date)

    @property
    def is_locked(self) -> bool:
        return self.status in rules.FINAL_STATES

    @property
    def status_badge(self) -> str:
        return {
            StatutSession.VALIDEE: "success",
            StatutSession.ANNULEE: "error",
            StatutSession.RENVOYEE: "warning",
            StatutSession.RESULTATS_SAISIS: "new",
        }.get(self.status, "info")

    def delays(self):
        return rules.delays(
            end_date=self.end_date,
            submitted_on=self.submitted_at.date() if self.submitted_at else None,
            validated_on=self.validated_at.date() if self.validated_at else None,
        )


class ConvocationTracking(models.Model):
    """Per-recipient sending state of a convocation (idempotent task: only unsent rows are sent)."""

    convocation_sent_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    convocation_attempts = models.PositiveSmallIntegerField("tentatives d'envoi", default=0)
    convocation_error = models.TextField("dernière erreur d'envoi", blank=True)

    class Meta:
        abstract = True


class MembreConvoque(ConvocationTracking, BaseModel):
    """A juror convened to a session (read by the jurors app to count recent sessions per juror)."""

    session = models.ForeignKey(SessionExamen, verbose_name="session", on_delete=models.CASCADE, related_name="jury")
    membre = models.ForeignKey(
        "jurys.MembreJury", verbose_name="membre de jury", on_delete=models.PROTECT, related_name="convocations"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ajouté par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "membre de jury convoqué"
        verbose_name_plural = "membres de jury convoqués"
        ordering = ["session", "membre__name_key"]
        constraints = [models.UniqueConstraint(fields=["session", "membre"], name="membreconvoque_unique")]
        # A juror's sessions from the index alone (jurors to convene count those of the last 12 months for 300
        # jurors: the rows themselves were 3,300 pages; issue #14).
        indexes = [models.Index(fields=["membre", "session"], name="membreconvoque_membre_idx")]

    def __str__(self):
        return f"{self.membre} — {self.session}"


class Inscription(ConvocationTracking, PublicIdModel):
    session = models.ForeignKey(
        SessionExamen, verbose_name="session", on_delete=models.PROTECT, related_name="inscriptions"
    )
    candidat = models.ForeignKey(
        "candidats.Candidat", verbose_name="candidat", on_delete=models.PROTECT, related_name="inscriptions"
    )
    route = models.CharField("voie d'accès", max_length=20, choices=VoieAcces.choices)
    vae_admissibility_date = models.DateField("date de recevabilité VAE", null=True, blank=True)
    training_start_date = models.DateField("début de la formation", null=True, blank=True)
    employer_name = models.CharField("employeur du candidat", max_length=200, blank=True)
    employer_siret = models.CharField("SIRET de l'employeur", max_length=14, blank=True)
    trainer = models.ForeignKey(
        "jurys.MembreJury",
        verbose_name="formateur ou accompagnateur (s'il est juré)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trained_inscriptions",
    )
    trainer_name = models.CharField(
        "formateur ou accompagnateur (sans fiche de juré)",
        max_length=200,
        blank=True,
        help_text="Nom et prénom, si la personne n'est pas dans l'annuaire des jurés.",
    )
    ccps = models.ManyToManyField("referentiels.Ccp", verbose_name="CCP visés", blank=True, related_name="+")
    remote = models.BooleanField("épreuves à distance", default=False)
    # Results (entered by the centre, locked by the UD's validation).
    entretien_final = models.CharField(
        "entretien final", max_length=20, choices=EntretienFinal.choices, default=EntretienFinal.SANS_OBJET
    )
    ccs_result = models.CharField("résultat CCS", max_length=20, choices=ResultatCcpValeur.choices, blank=True)
    decision = models.CharField("décision du jury", max_length=20, choices=Decision.choices, blank=True)
    absence_justified = models.BooleanField("absence justifiée", null=True, blank=True)
    incidents = models.TextField("incidents", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="inscrit par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "inscription"
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "candidat"], name="inscription_unique")]

    def __str__(self):
        return f"{self.candidat} — {self.session}"

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if self.pk and (fields is None or set(fields) & set(RESULT_FIELDS)) and not _correction_open.get():
            stored = (
                Inscription.objects.filter(pk=self.pk, session__status=StatutSession.VALIDEE)
                .values(*RESULT_FIELDS)
                .first()
            )
            if stored and any(stored[f] != getattr(self, f) for f in RESULT_FIELDS):
                raise ValidationError(LOCKED_RESULTS)
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # The session's centre (its département, its region) now sees the file (ceres.candidats.acces).
            # Imported here: a models module names other apps' models by string and imports none of their modules.
            from ceres.candidats import acces

            acces.candidat_registered(self.candidat, self.session.centre_id)


class ResultatCcp(BaseModel):
    inscription = models.ForeignKey(
        Inscription, verbose_name="inscription", on_delete=models.CASCADE, related_name="resultats"
    )
    ccp = models.ForeignKey("referentiels.Ccp", verbose_name="CCP", on_delete=models.PROTECT, related_name="+")
    value = models.CharField("résultat", max_length=20, choices=ResultatCcpValeur.choices)

    class Meta:
        verbose_name = "résultat de CCP"
        verbose_name_plural = "résultats de CCP"
        ordering = ["inscription", "ccp__order"]
        constraints = [models.UniqueConstraint(fields=["inscription", "ccp"], name="resultatccp_unique")]

    def __str__(self):
        return f"{self.ccp} : {self.get_value_display()}"

    def save(self, *args, **kwargs):
        if _results_locked(self.inscription_id):
            raise ValidationError(LOCKED_RESULTS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _results_locked(self.inscription_id):
            raise ValidationError(LOCKED_RESULTS)
        return super().delete(*args, **kwargs)


class CertificationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)


class Certification(PublicIdModel):
    """An awarded certification: candidate x title version x validated session (R1: one number, stable)."""

    candidat = models.ForeignKey(
        "candidats.Candidat", verbose_name="candidat", on_delete=models.PROTECT, related_name="certifications"
    )
    titre = models.ForeignKey(
        "referentiels.TitreProfessionnel", verbose_name="titre", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        SessionExamen, verbose_name="session", on_delete=models.PROTECT, related_name="certifications"
    )
    inscription = models.ForeignKey(
        Inscription, verbose_name="inscription", on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField("nature", max_length=10, choices=TypeCertification.choices)
    ccp = models.ForeignKey(
        "referentiels.Ccp", verbose_name="CCP", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ccs = models.ForeignKey(
        "referentiels.Ccs", verbose_name="CCS", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    awarded_on = models.DateField("date d'obtention")
    # Filled at validation by documents.numbering; older validated sessions get it at first print.
    number = models.CharField("numéro unique", max_length=40, unique=True, null=True, blank=True)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_reason = models.TextField("motif du retrait", blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = "certification délivrée"
        verbose_name_plural = "certifications délivrées"
        ordering = ["candidat", "awarded_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=TypeCertification.CCP) & Q(ccp__isnull=False))
                | (Q(kind=TypeCertification.CCS) & Q(ccs__isnull=False))
                | (Q(kind=TypeCertification.TITRE) & Q(ccp__isnull=True) & Q(ccs__isnull=True)),
                name="certification_kind_target",
            ),
            models.UniqueConstraint(
                fields=["candidat", "ccp"],
                condition=Q(kind=TypeCertification.CCP, withdrawn_at__isnull=True),
                name="certification_unique_ccp",
            ),
            models.UniqueConstraint(
                fields=["candidat", "titre"],
                condition=Q(kind=TypeCertification.TITRE, withdrawn_at__isnull=True),
                name="certification_unique_titre",
            ),
            models.UniqueConstraint(
                fields=["candidat", "ccs"],
                condition=Q(kind=TypeCertification.CCS, withdrawn_at__isnull=True),
                name="certification_unique_ccs",
            ),
        ]

    def __str__(self):
        if self.kind == TypeCertification.CCP:
            what = str(self.ccp)
        elif self.kind == TypeCertification.CCS:
            what = str(self.ccs)
        else:
            what = str(self.titre)
        return f"{what} — {self.candidat}"


class EnvoiConvocation(BaseModel):
    """One request to send a session's convocations (progress shown on the session page)."""

    session = models.ForeignKey(SessionExamen, verbose_name="session", on_delete=models.CASCADE, related_name="envois")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("état", max_length=20, choices=StatutEnvoi.choices, default=StatutEnvoi.EN_ATTENTE)
    total = models.PositiveIntegerField("destinataires", default=0)
    sent = models.PositiveIntegerField("envoyées", default=0)
    failed = models.PositiveIntegerField("en échec", default=0)
    report = models.JSONField("erreurs", default=list, blank=True)
    task_id = models.CharField("identifiant de tâche", max_length=64, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi de convocations"
        verbose_name_plural = "envois de convocations"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Envoi du {self.created_at:%d/%m/%Y %H:%M} — {self.session}"

    @property
    def percent(self) -> int:
        return int(100 * (self.sent + self.failed) / self.total) if self.total else 100


class PvSigne(PublicIdModel):
    """The PV de session signed by the jury, scanned and uploaded (PDF), kept with the session: every upload stays."""

    session = models.ForeignKey(
        SessionExamen, verbose_name="session", on_delete=models.PROTECT, related_name="pv_signes"
    )
    file = models.FileField("fichier", upload_to="pv/%Y/")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    original_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "PV signé"
        verbose_name_plural = "PV signés"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"PV signé de {self.session} ({self.created_at:%d/%m/%Y})"

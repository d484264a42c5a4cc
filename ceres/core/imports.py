"""Imports the users run themselves from the browser (candidates, VALCE): check first, then apply what was checked.

1. The uploaded file (CSV or XLSX) is stored once (content-addressed, its SHA-256 on the job row) and a background
   task runs the import **as a dry run** (everything done, then rolled back): the page shows the progress, what would
   be written line by line and the rejected lines (line, column, reason), downloadable.
2. One click applies **that** check: the task reads the stored file again (never a second upload; SHA-256
   re-checked) and runs the import for real in one transaction. Before committing, the fate of every line (created,
   already there, rejected…) is compared with the check's: if anything differs (the database changed in between),
   the whole application is rolled back and the job asks for a new check of the same stored file. What is applied is
   therefore exactly what was announced.

The progress of a run lives in the shared cache (Redis in production): the run's own transaction is not visible to
the page until it ends, and a dry run is rolled back. Each app holds its job model (a subclass of ``ImportJob``),
its task (which calls ``execute``) and thin views; the pages and the report are shared (templates core/imports/).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from ceres.core.journal import journal_record
from ceres.core.listes import Colonne
from ceres.core.models import PublicIdModel
from ceres.core.storage import store_once

MAX_UPLOAD = 20 * 1024 * 1024
PROGRESS_TTL = 24 * 3600


class StatutImport(models.TextChoices):
    A_VERIFIER = "a_verifier", "Vérification en attente"
    VERIFICATION = "verification", "Vérification en cours"
    VERIFIE = "verifie", "Vérifié : prêt à appliquer"
    A_APPLIQUER = "a_appliquer", "Application en attente"
    APPLICATION = "application", "Application en cours"
    APPLIQUE = "applique", "Appliqué"
    REFUSE = "refuse", "Fichier refusé"
    A_REVERIFIER = "a_reverifier", "À vérifier de nouveau"
    ECHEC = "echec", "Échec"


RUNNING = (StatutImport.A_VERIFIER, StatutImport.VERIFICATION, StatutImport.A_APPLIQUER, StatutImport.APPLICATION)
APPLYING = (StatutImport.A_APPLIQUER, StatutImport.APPLICATION)


class ImportJob(PublicIdModel):
    """One uploaded file, its check (dry run) and, on the user's click, its application."""

    filename = models.CharField("fichier", max_length=255)
    file = models.FileField("fichier déposé", upload_to="imports/")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("état", max_length=16, choices=StatutImport.choices, default=StatutImport.A_VERIFIER)
    lines = models.PositiveIntegerField("lignes lues", default=0)
    summary = models.TextField("résumé", blank=True)
    counts = models.JSONField("décompte", default=list, blank=True)  # [[label, number], …] in display order
    report = models.JSONField("lignes non écrites", default=list, blank=True)  # Ligne dicts
    notes = models.JSONField("lignes écrites avec une remarque", default=list, blank=True)
    outcome = models.JSONField("sort de chaque ligne (vérification)", default=list, blank=True)
    error = models.TextField("erreur", blank=True)
    checked_at = models.DateTimeField("vérifié le", null=True, blank=True)
    applied_at = models.DateTimeField("appliqué le", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="appliqué par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self):
        when = f" du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}" if self.created_at else ""
        return f"{self.filename}{when}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def applying(self) -> bool:
        return self.status in APPLYING or self.status == StatutImport.APPLIQUE

    @property
    def can_apply(self) -> bool:
        return self.status == StatutImport.VERIFIE

    @property
    def can_check_again(self) -> bool:
        return self.status in (StatutImport.A_REVERIFIER, StatutImport.ECHEC)


@dataclass
class Ligne:
    """A line of the file not written as is: its number, the column at fault (canonical name, empty when the
    whole line is concerned), the file's own reference of the line, what happens to it, why."""

    line: int
    column: str
    reference: str
    result: str
    reason: str


@dataclass
class Bilan:
    """What an importer returns to ``execute``."""

    lines: int = 0
    summary: str = ""
    counts: list[tuple[str, int]] = field(default_factory=list)
    report: list[Ligne] = field(default_factory=list)  # not written: rejected, already there…
    notes: list[Ligne] = field(default_factory=list)  # written, with something to check (probable duplicates…)
    outcome: list[tuple[int, str]] = field(default_factory=list)  # (line, fate) for every line read
    file_errors: list[str] = field(default_factory=list)


Importer = Callable[..., Bilan]  # importer(data, *, wet_run: bool, progress: Callable[[int, int], None]) -> Bilan

REPORT_COLUMNS = [
    Colonne("Ligne", lambda r: r["line"]),
    Colonne("Colonne", lambda r: r["column"]),
    Colonne("Référence", lambda r: r["reference"]),
    Colonne("Résultat", lambda r: r["result"]),
    Colonne("Motif", lambda r: r["reason"]),
]


# --- Progress (shared cache) -----------------------------------------------------------------------------------


def _progress_key(job: ImportJob) -> str:
    return f"import-progress:{job._meta.label_lower}:{job.pk}"


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(lines done, lines to do) of the run in progress; (0, 0) before the file is read."""
    done, total = cache.get(_progress_key(job), (0, 0))
    return done, total


def progress_recorder(job: ImportJob) -> Callable[[int, int], None]:
    """The callback an importer calls after each line: written to the cache about every percent."""
    key = _progress_key(job)
    state = {"step": 1, "last": -1}

    def record(done: int, total: int) -> None:
        if state["last"] < 0:
            state["step"] = max(1, total // 100)
        if done == total or done - state["last"] >= state["step"]:
            cache.set(key, (done, total), PROGRESS_TTL)
            state["last"] = done

    return record


# --- Writes ----------------------------------------------------------------------------------------------------


def import_job_create(model: type[ImportJob], *, upload, by, **fields) -> ImportJob:
    """Store the uploaded file once and create its job (the view enqueues the check after commit)."""
    content = upload.read()
    name, sha256 = store_once(content, folder="imports", extension=_extension(upload.name))
    job = model(filename=upload.name[:255], sha256=sha256, created_by=by, **fields)
    job.file.name = name
    job.full_clean()
    job.save()
    return job


def _extension(filename: str) -> str:
    return "xlsx" if filename.lower().endswith(".xlsx") else "csv"


@transaction.atomic
def import_job_apply(job: ImportJob, *, by) -> ImportJob:
    """The user's click on « Appliquer »: only a checked job, once."""
    job = type(job).objects.select_for_update().get(pk=job.pk)
    if not job.can_apply:
        raise ValidationError(f"Cet import ne peut pas être appliqué : il est « {job.get_status_display()} ».")
    job.status = StatutImport.A_APPLIQUER
    job.applied_by = by
    job.save(update_fields=["status", "applied_by", "updated_at"])
    return job


@transaction.atomic
def import_job_check_again(job: ImportJob) -> ImportJob:
    """A new check of the same stored file (after a refused application or a failure)."""
    job = type(job).objects.select_for_update().get(pk=job.pk)
    if not job.can_check_again:
        raise ValidationError(
            f"Cet import ne peut pas être vérifié de nouveau : il est « {job.get_status_display()} »."
        )
    job.status = StatutImport.A_VERIFIER
    job.error = ""
    job.save(update_fields=["status", "error", "updated_at"])
    return job


class _Differs(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def execute(model: type[ImportJob], job_id: int, importer: Importer, *, operation: str) -> str:
    """Body of an import task: run the check or the application the job is waiting for. Idempotent: an applied
    job is left alone, a run interrupted with its worker (its transaction rolled back) simply runs again."""
    job = model.objects.get(pk=job_id)
    if job.status in (StatutImport.A_VERIFIER, StatutImport.VERIFICATION):
        apply = False
        running = StatutImport.VERIFICATION
    elif job.status in APPLYING:
        apply = True
        running = StatutImport.APPLICATION
    else:
        return job.status
    model.objects.filter(pk=job.pk).update(status=running, updated_at=timezone.now())
    cache.set(_progress_key(job), (0, 0), PROGRESS_TTL)
    try:
        data = _read(job)
        if apply:
            bilan = _apply(job, data, importer, operation=operation)
        else:
            bilan = importer(data, wet_run=False, progress=progress_recorder(job))
    except _Differs as exc:
        job.status, job.error = StatutImport.A_REVERIFIER, exc.message
        job.save(update_fields=["status", "error", "updated_at"])
        return job.status
    except Exception as exc:  # noqa: BLE001 - shown on the job's page; nothing was written (one transaction)
        job.status = StatutImport.ECHEC
        job.error = (getattr(exc, "messages", None) and " ".join(exc.messages)) or str(exc) or exc.__class__.__name__
        job.save(update_fields=["status", "error", "updated_at"])
        return job.status
    _store_bilan(job, bilan, apply=apply)
    return job.status


def _read(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise ValueError("Le fichier déposé a changé depuis son dépôt : déposez-le de nouveau.")
    return data


def _apply(job: ImportJob, data: bytes, importer: Importer, *, operation: str) -> Bilan:
    """Apply in one transaction, kept only if every line has the fate the check announced."""
    with transaction.atomic():
        bilan = importer(data, wet_run=True, progress=progress_recorder(job))
        if bilan.file_errors:
            raise ValueError(" ".join(bilan.file_errors))
        announced = [tuple(item) for item in job.outcome]
        actual = [tuple(item) for item in bilan.outcome]
        if announced != actual:
            raise _Differs(_difference(announced, actual))
        journal_record(
            action="create",
            obj=job,
            by=job.applied_by,
            operation=operation,
            changes={"fichier": job.filename, "sha256": job.sha256, "bilan": bilan.summary},
        )
    return bilan


def _difference(announced, actual) -> str:
    before, after = dict(announced), dict(actual)
    lines = sorted(set(before) | set(after))
    changed = [n for n in lines if before.get(n) != after.get(n)]
    shown = ", ".join(
        f"ligne {n} : annoncée « {before.get(n, 'absente')} », serait « {after.get(n, 'absente')} »"
        for n in changed[:5]
    )
    more = f" (et {len(changed) - 5} autres)" if len(changed) > 5 else ""
    return (
        "Rien n'a été écrit : les données ont changé depuis la vérification et l'application n'aurait pas fait "
        f"exactement ce qui était annoncé ({shown}{more}). Vérifiez de nouveau le même fichier, puis appliquez."
    )


def _store_bilan(job: ImportJob, bilan: Bilan, *, apply: bool) -> None:
    now = timezone.now()
    job.lines = bilan.lines
    job.summary = bilan.summary
    job.counts = [list(item) for item in bilan.counts]
    job.report = [vars(item) for item in bilan.report]
    job.notes = [vars(item) for item in bilan.notes]
    job.error = ""
    if bilan.file_errors:
        job.status = StatutImport.REFUSE
        job.error = " ".join(bilan.file_errors)
    elif apply:
        job.status, job.applied_at = StatutImport.APPLIQUE, now
    else:
        job.status, job.checked_at = StatutImport.VERIFIE, now
        job.outcome = [list(item) for item in bilan.outcome]
    job.save()


def template_workbook(columns: list[tuple[str, str, bool]], *, title: str) -> bytes:
    """The downloadable template: the header row (cells formatted as text, so codes keep their leading zeros)
    and a second sheet describing each column. ``columns``: (name, description, required)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for index, (name, _, required) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=required)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    help_sheet = workbook.create_sheet("Colonnes")
    help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu"])
    for name, description, required in columns:
        help_sheet.append([name, "oui" if required else "non", description])
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["C"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

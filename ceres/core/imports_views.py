"""Pages shared by the imports users run from the browser (ceres.core.imports): deposit, follow-up with progress,
apply / check again, report of the lines not written, template. Each app subclasses them with its job model, its
task, its permission and its URL names (``url_prefix`` + « import », « import_job », « import_action »,
« import_report », « import_modele »).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from ceres.core import imports
from ceres.core.exports import XLSX_CONTENT_TYPE
from ceres.core.forms import DsfrForm
from ceres.core.listes import csv_lines, xlsx_file
from ceres.core.views import PageMixin, htmx_template

SHOWN_LINES = 200  # on the page; the downloadable report has them all


class ImportFileForm(DsfrForm):
    file = forms.FileField(label="Fichier à importer")

    def __init__(self, *args, max_size: int = imports.MAX_UPLOAD, xlsx: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_size, self.xlsx = max_size, xlsx
        megabytes = max_size // (1024 * 1024)
        what = "Classeur XLSX (première feuille) ou CSV" if xlsx else "Fichier CSV"
        self.fields["file"].help_text = f"{what} (séparateur « ; », UTF-8 ou Windows-1252), {megabytes} Mo au plus."
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv,.txt" if xlsx else ".csv,.txt"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_size:
            raise forms.ValidationError(
                f"Le fichier dépasse {self.max_size // (1024 * 1024)} Mo : découpez-le en plusieurs fichiers."
            )
        if self.xlsx and not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError("Déposez un classeur XLSX ou un fichier CSV.")
        return upload


class ImportBase(PageMixin):
    """What every import page of an app declares."""

    job_model: type[imports.ImportJob]
    url_prefix = ""  # « candidats: »
    subject = ""  # « candidats », shown in the titles
    task = None  # the django-tasks task taking the job id

    def jobs(self):
        """The jobs the user may see (scoped queryset)."""
        raise NotImplementedError

    def url(self, name: str, job=None) -> str:
        args = [job.public_id] if job is not None else []
        return reverse(f"{self.url_prefix}{name}", args=args)

    def get_job(self):
        return get_object_or_404(self.jobs(), public_id=self.kwargs["public_id"])

    def enqueue(self, job):
        task = self.task
        transaction.on_commit(lambda: task.enqueue(job.pk))


class ImportUploadBase(ImportBase, FormView):
    form_class = ImportFileForm
    template_name = "core/imports/deposer.html"
    intro_template = ""  # the app's explanation of its columns
    max_size = imports.MAX_UPLOAD
    accepts_xlsx = True
    has_template = True  # a downloadable file to fill (url « import_modele »)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "max_size": self.max_size, "xlsx": self.accepts_xlsx}

    def create_job(self, upload):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            jobs=self.jobs().select_related("created_by")[:10],
            intro_template=self.intro_template,
            modele_xlsx=self.url("import_modele") + "?format=xlsx" if self.has_template else "",
            modele_csv=self.url("import_modele") + "?format=csv" if self.has_template else "",
            job_url_name=f"{self.url_prefix}import_job",
        )
        return context

    def form_valid(self, form):
        try:
            job = self.create_job(form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        self.enqueue(job)
        messages.success(self.request, "Fichier déposé : sa vérification est lancée, rien n'est encore écrit.")
        return redirect(self.url("import_job", job))


def _milestone(job, done: int, total: int) -> str:
    """What the screen reader hears: the phase and its progress by quarters (not every second's number)."""
    if job.status == imports.StatutImport.VERIFICATION or job.status == imports.StatutImport.APPLICATION:
        verb = "Vérification" if job.status == imports.StatutImport.VERIFICATION else "Application"
        quarter = 25 * (100 * done // total // 25) if total else 0
        return f"{verb} en cours : {quarter} %"
    return f"Import « {job.filename} » : {job.get_status_display().lower()}"


class ImportJobBase(ImportBase, TemplateView):
    template_name = "core/imports/suivi.html"

    job_page_title = ""

    def get_page_title(self):
        return self.job_page_title or f"Import de {self.subject}"

    def get_template_names(self):
        return [htmx_template(self.request, self.template_name, "core/imports/_suivi.html")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        done, total = imports.progress_of(job) if job.is_running else (job.lines, job.lines)
        milestone = _milestone(job, done, total)
        context.update(
            job=job,
            done=done,
            total=total,
            percent=(100 * done // total) if total else (100 if not job.is_running else 0),
            milestone=milestone,
            # The announcement region is swapped only when its text changes (polled with the last one heard).
            announce=milestone != self.request.GET.get("annonce"),
            report=job.report[:SHOWN_LINES],
            notes=job.notes[:SHOWN_LINES],
            poll_url=self.url("import_job", job),
            action_url=self.url("import_action", job),
            report_url=self.url("import_report", job),
            upload_url=self.url("import"),
        )
        return context


class ImportActionBase(ImportBase, View):
    """POST « appliquer » (the checked job, as checked) or « reverifier » (the same stored file)."""

    def post(self, request, *args, **kwargs):
        job = self.get_job()
        action = request.POST.get("action")
        try:
            if action == "appliquer":
                job = imports.import_job_apply(job, by=request.user)
                messages.success(request, "Application lancée : elle écrit exactement ce que la vérification annonce.")
            elif action == "reverifier":
                job = imports.import_job_check_again(job)
                messages.success(request, "Nouvelle vérification du même fichier lancée.")
            else:
                raise ValidationError("Action inconnue.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            self.enqueue(job)
        return redirect(self.url("import_job", job))


class ImportReportBase(ImportBase, View):
    """The lines not written (line, column, reference, result, reason), CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        filename = f"ceres-import-{self.subject}-rapport-{timezone.localdate():%Y-%m-%d}.{fmt}"
        if fmt == "csv":
            response = HttpResponse("".join(csv_lines(imports.REPORT_COLUMNS, job.report)), "text/csv; charset=utf-8")
        else:
            with xlsx_file(imports.REPORT_COLUMNS, job.report, title="Lignes non écrites") as handle:
                response = HttpResponse(handle.read(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ImportTemplateBase(ImportBase, View):
    """The empty file to fill: XLSX (header, text cells, a sheet describing the columns) or CSV (header)."""

    columns: list[tuple[str, str, bool]] = []

    def get(self, request, *args, **kwargs):
        names = [name for name, _, _ in self.columns]
        if request.GET.get("format") == "csv":
            response = HttpResponse("\ufeff" + ";".join(names) + "\r\n", content_type="text/csv; charset=utf-8")
            ext = "csv"
        else:
            content = imports.template_workbook(self.columns, title=self.subject.capitalize())
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
            ext = "xlsx"
        response["Content-Disposition"] = f'attachment; filename="modele-import-{self.subject}.{ext}"'
        return response

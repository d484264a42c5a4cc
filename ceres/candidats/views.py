"""Candidate pages: search, create (duplicate flow), detail (journaled read), edit, merge (UD), duplicates list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from ceres.candidats import perms, selectors, services, tasks
from ceres.candidats.forms import (
    CandidatForm,
    CandidatSearchForm,
    CorrectionDecisionForm,
    DoublonDecisionForm,
    EcarterForm,
    IdentityCorrectionForm,
    MergeForm,
)
from ceres.candidats.importers import TEMPLATE_COLUMNS
from ceres.candidats.models import Candidat, DoublonPotentiel, ImportCandidats
from ceres.core import imports
from ceres.core.forms import add_form_errors
from ceres.core.imports_views import (
    ImportActionBase,
    ImportJobBase,
    ImportReportBase,
    ImportTemplateBase,
    ImportUploadBase,
)
from ceres.core.listes import Colonne, ExportMixin
from ceres.core.pagination import BoundedPaginator, with_details
from ceres.core.views import PageMixin, htmx_template
from ceres.personnes.lieux import resolve_birth_places

PAGE_SIZE = 25


def _visible_candidat(request, public_id) -> Candidat:
    return get_object_or_404(selectors.candidats_visible_for(request.user), public_id=public_id)


def _parcours_url(candidat):
    """The path view belongs to the sessions app; link to it only when it exists."""
    for kwarg in ("candidat_public_id", "public_id"):
        try:
            return reverse("examens:parcours", kwargs={kwarg: candidat.public_id})
        except NoReverseMatch:
            continue
    return ""


def _sessions_url():
    try:
        return reverse("examens:session_list")
    except NoReverseMatch:
        return ""


class CandidatListView(ExportMixin, PageMixin, TemplateView):
    template_name = "candidats/candidat_list.html"
    page_title = "Candidats"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_list(request.user):
            raise PermissionDenied(perms.REFUS_LISTE)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [htmx_template(self.request, self.template_name, "candidats/_candidat_table.html")]

    export_name = "candidats"
    export_personal = True

    def filtered(self):
        form = CandidatSearchForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        candidats = selectors.candidats_search(
            self.request.user,
            q=filters.get("q") or "",
            birth_date=filters.get("birth_date"),
            first_name=filters.get("first_name") or "",
        )
        return form, filters, candidats

    def export_rows(self):
        candidats = self.filtered()[2]
        # A name search is not a QuerySet (two merged index ranges): it already reads the related rows.
        return candidats.select_related("commune") if hasattr(candidats, "select_related") else candidats

    def export_columns(self):
        return [
            Colonne("N° candidat", lambda c: c.numero),
            Colonne("Civilité", lambda c: c.get_civility_display()),
            Colonne("Nom de naissance", lambda c: c.birth_name),
            Colonne("Nom d'usage", lambda c: c.usage_name),
            Colonne("Prénoms", lambda c: c.first_names),
            Colonne("Date de naissance", lambda c: c.birth_date),
            Colonne("Code du lieu de naissance", lambda c: c.birth_place_code),
            Colonne("Adresse", lambda c: c.address),
            Colonne("Code postal", lambda c: c.postal_code),
            Colonne("Commune", lambda c: c.commune.name if c.commune_id else ""),
            Colonne("E-mail", lambda c: c.email),
            Colonne("Téléphone", lambda c: c.phone),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters, candidats = self.filtered()
        searched = any(filters.values()) if filters else False
        page_obj = BoundedPaginator(candidats, PAGE_SIZE).get_page(self.request.GET.get("page"))
        page_obj.object_list = list(page_obj.object_list)
        resolve_birth_places(page_obj.object_list)
        context.update(
            form=form,
            page_obj=page_obj,
            searched=searched,
            can_create=perms.can_create(self.request.user, getattr(self.request, "current_organisation", None)),
            can_import=perms.can_import(self.request.user, getattr(self.request, "current_organisation", None)),
        )
        return context


class _DoublonFlowMixin:
    """Renders the "Ce candidat existe déjà" / "Dossiers ressemblants" step of create and update."""

    def doublon_context(self, exc):
        if isinstance(exc, services.DoublonCertain):
            kind = "certain"
        elif isinstance(exc, services.DoublonsProbables):
            kind = "probable"
        else:
            return {}
        visible = set(
            selectors.candidats_visible_for(self.request.user)
            .filter(pk__in=[c.pk for c in exc.existing])
            .values_list("pk", flat=True)
        )
        rows = [{"candidat": c, "match": m, "visible": c.pk in visible} for c, m in exc.matches]
        resolve_birth_places(row["candidat"] for row in rows)
        return {
            "doublon_kind": kind,
            "doublon_rows": rows,
            "doublon_message": exc.messages[0],
            "doublon_reason_errors": getattr(exc, "reason_errors", []),
            # A certain match the user cannot open (another centre's candidate): say how to go on.
            "doublon_hors_perimetre": kind == "certain" and any(not row["visible"] for row in rows),
            "sessions_url": _sessions_url(),
        }


class CandidatCreateView(_DoublonFlowMixin, PageMixin, TemplateView):
    template_name = "candidats/candidat_form.html"
    page_title = "Nouveau dossier candidat"

    def get_breadcrumb(self):
        return [("Candidats", reverse("candidats:list"))]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_create(
            request.user, getattr(request, "current_organisation", None)
        ):
            raise PermissionDenied(perms.REFUS_CREATION)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=CandidatForm(), decision=DoublonDecisionForm(prefix="doublon"))
        )

    def post(self, request, *args, **kwargs):
        form = CandidatForm(request.POST)
        decision = DoublonDecisionForm(request.POST, prefix="doublon")
        extra = {}
        if form.is_valid() and decision.is_valid():
            centre = request.current_organisation if request.user.is_gestionnaire_centre else None
            try:
                candidat = services.candidat_create(
                    data=form.service_data(),
                    by=request.user,
                    centre=centre,
                    homonym_reason=decision.cleaned_data["homonym_reason"],
                    ignore_probables=decision.cleaned_data["confirm_new"],
                )
            except ValidationError as exc:
                extra = self.doublon_context(exc)
                if not extra:
                    add_form_errors(form, exc)
            else:
                messages.success(request, f"Le dossier candidat n° {candidat.numero} a été créé.")
                return redirect("candidats:detail", public_id=candidat.public_id)
        return self.render_to_response(self.get_context_data(form=form, decision=decision, **extra))


class CandidatDetailView(PageMixin, TemplateView):
    template_name = "candidats/candidat_detail.html"

    def get_breadcrumb(self):
        return [("Candidats", reverse("candidats:list"))]

    def get_page_title(self):
        return f"Dossier candidat n° {self.candidat.numero}"

    def get(self, request, *args, **kwargs):
        self.candidat = _visible_candidat(request, kwargs["public_id"])
        services.candidat_view(candidat=self.candidat, by=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidat = self.candidat
        user = self.request.user
        context.update(
            candidat=candidat,
            history=candidat.identity_history.select_related("source", "by"),
            absorbed=candidat.absorbed_files.all(),
            can_edit=perms.can_edit(user, candidat),
            can_merge=perms.can_merge(user) and not candidat.is_merged,
            can_request_correction=user.is_gestionnaire_centre
            and perms.can_edit(user, candidat)
            and bool(services.identity_lock(candidat=candidat, user=user)),
            parcours_url=_parcours_url(candidat),
        )
        return context


class CandidatUpdateView(_DoublonFlowMixin, PageMixin, TemplateView):
    template_name = "candidats/candidat_form.html"

    def get_page_title(self):
        return f"Modifier le dossier n° {self.candidat.numero}"

    def get_breadcrumb(self):
        return [
            ("Candidats", reverse("candidats:list")),
            (f"Dossier n° {self.candidat.numero}", reverse("candidats:detail", args=[self.candidat.public_id])),
        ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.candidat = _visible_candidat(request, kwargs["public_id"])
        if not perms.can_edit(request.user, self.candidat):
            raise PermissionDenied(perms.REFUS_FUSIONNE if self.candidat.is_merged else perms.REFUS_MODIFICATION)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(
                form=CandidatForm(instance=self.candidat), decision=DoublonDecisionForm(prefix="doublon")
            )
        )

    def post(self, request, *args, **kwargs):
        form = CandidatForm(request.POST, instance=Candidat.objects.get(pk=self.candidat.pk))
        decision = DoublonDecisionForm(request.POST, prefix="doublon")
        extra = {}
        if form.is_valid() and decision.is_valid():
            try:
                services.candidat_update(
                    candidat=self.candidat,
                    data=form.service_data(),
                    by=request.user,
                    homonym_reason=decision.cleaned_data["homonym_reason"],
                )
            except ValidationError as exc:
                extra = self.doublon_context(exc)
                if not extra:
                    add_form_errors(form, exc)
            else:
                messages.success(request, "Le dossier a été mis à jour.")
                return redirect("candidats:detail", public_id=self.candidat.public_id)
        return self.render_to_response(self.get_context_data(form=form, decision=decision, **extra))


class CandidatMergeView(PageMixin, TemplateView):
    """The current file is the survivor; the other one (by number, or ?avec=<public_id>) is absorbed."""

    template_name = "candidats/candidat_merge.html"

    def get_page_title(self):
        return f"Fusionner un dossier dans le n° {self.survivor.numero}"

    def get_breadcrumb(self):
        return [
            ("Candidats", reverse("candidats:list")),
            (f"Dossier n° {self.survivor.numero}", reverse("candidats:detail", args=[self.survivor.public_id])),
        ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.survivor = _visible_candidat(request, kwargs["public_id"])
        if not perms.can_merge(request.user):
            raise PermissionDenied(perms.REFUS_FUSION)
        return super().dispatch(request, *args, **kwargs)

    def _other(self, form):
        visible = selectors.candidats_visible_for(self.request.user)
        value = (form.data.get("other") or "").strip()
        return visible.filter(numero=value).first() if value else None

    def get(self, request, *args, **kwargs):
        initial = {}
        avec = request.GET.get("avec")
        if avec:
            try:
                other = selectors.candidats_visible_for(request.user).filter(public_id=avec).first()
            except ValidationError:
                other = None
            if other:
                initial["other"] = other.numero
        form = MergeForm(initial=initial)
        other = selectors.candidats_visible_for(request.user).filter(numero=initial.get("other", "")).first()
        self._journal_views(other)
        return self.render_to_response(self.get_context_data(form=form, other=other))

    def _journal_views(self, other):
        # The page shows both identities side by side: each is a read of a personal file.
        for candidat in (self.survivor, other):
            if candidat is not None:
                services.candidat_view(candidat=candidat, by=self.request.user)

    def post(self, request, *args, **kwargs):
        form = MergeForm(request.POST)
        other = self._other(form)
        if form.is_valid():
            if other is None:
                form.add_error("other", "Aucun dossier visible ne porte ce numéro.")
            elif not form.cleaned_data["confirm"]:
                form.add_error("confirm", "Vérifiez les deux dossiers ci-dessous, puis cochez la confirmation.")
            else:
                try:
                    report = services.candidat_merge(
                        survivor=self.survivor, absorbed=other, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    add_form_errors(form, exc)
                else:
                    moved = ", ".join(f"{n} {label}" for label, n in report.moved.items()) or "aucun objet rattaché"
                    messages.success(
                        request,
                        f"Le dossier n° {other.numero} a été fusionné dans le dossier n° {self.survivor.numero} "
                        f"({moved}).",
                    )
                    return redirect("candidats:detail", public_id=self.survivor.public_id)
        if other is not None:
            services.candidat_view(candidat=other, by=request.user)
        return self.render_to_response(self.get_context_data(form=form, other=other))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["survivor"] = self.survivor
        return context


def _dossier_columns(side: str, label: str) -> list[Colonne]:
    def of(pair):
        return getattr(pair, f"candidat_{side}")

    return [
        Colonne(f"N° dossier {label}", lambda p: of(p).numero),
        Colonne(f"Nom de naissance {label}", lambda p: of(p).birth_name),
        Colonne(f"Nom d'usage {label}", lambda p: of(p).usage_name),
        Colonne(f"Prénoms {label}", lambda p: of(p).first_names),
        Colonne(f"Date de naissance {label}", lambda p: of(p).birth_date),
        Colonne(f"Lieu de naissance {label}", lambda p: of(p).birth_place_label),
    ]


class DoublonListView(ExportMixin, PageMixin, TemplateView):
    template_name = "candidats/doublon_list.html"
    page_title = "Doublons probables de candidats"
    export_name = "doublons"
    export_personal = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_list_doublons(request.user):
            raise PermissionDenied(perms.REFUS_DOUBLONS)
        return super().dispatch(request, *args, **kwargs)

    def export_rows(self):
        return selectors.doublons_visible_for(self.request.user)

    def export_columns(self):
        return [
            Colonne("Niveau", lambda p: p.get_level_display()),
            Colonne("Statut", lambda p: p.get_status_display()),
            *_dossier_columns("a", "A"),
            *_dossier_columns("b", "B"),
            Colonne("Raisons", lambda p: ", ".join(p.reasons)),
            Colonne("Déclaré par", lambda p: str(p.declared_by) if p.declared_by_id else ""),
            Colonne("Déclaré le", lambda p: p.declared_at),
            Colonne("Motif déclaré", lambda p: p.declared_reason),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairs = selectors.doublons_visible_for(self.request.user, details=False)
        page = Paginator(pairs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        page = with_details(page, DoublonPotentiel.objects.select_related(*selectors.DOUBLON_DETAILS))
        resolve_birth_places(person for pair in page.object_list for person in (pair.candidat_a, pair.candidat_b))
        context.update(
            page_obj=page,
            can_decide=perms.can_decide_doublon(self.request.user),
        )
        return context


class DoublonEcarterView(PageMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pair = get_object_or_404(
            selectors.doublons_visible_for(request.user, to_review=False), public_id=kwargs["public_id"]
        )
        if not perms.can_decide_doublon(request.user):
            raise PermissionDenied(perms.REFUS_FUSION)
        form = EcarterForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.doublon_set_aside(pair=pair, by=request.user, reason=reason)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Rapprochement écarté : {pair.candidat_a.numero} et {pair.candidat_b.numero} sont distincts."
            )
        return redirect("candidats:doublons")


class CorrectionRequestView(PageMixin, TemplateView):
    """The centre files an identity correction the UD decides (identity locked: certifications, other centres)."""

    template_name = "candidats/correction_demande.html"
    page_title = "Demander une correction d'identité"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.candidat = _visible_candidat(request, kwargs["public_id"])
        if not (request.user.is_gestionnaire_centre and perms.can_edit(request.user, self.candidat)):
            raise PermissionDenied("Les demandes de correction d'identité sont déposées par les centres.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", IdentityCorrectionForm(instance=self.candidat))
        context.update(
            candidat=self.candidat, lock=services.identity_lock(candidat=self.candidat, user=self.request.user)
        )
        return context

    def post(self, request, *args, **kwargs):
        form = IdentityCorrectionForm(request.POST, request.FILES, instance=Candidat.objects.get(pk=self.candidat.pk))
        if form.is_valid():
            try:
                services.correction_request_create(
                    candidat=self.candidat,
                    data=form.service_data(),
                    proof=form.cleaned_data["proof"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, "Demande de correction envoyée à l'unité départementale.")
                return redirect("candidats:detail", public_id=self.candidat.public_id)
        return self.render_to_response(self.get_context_data(form=form))


REFUS_CORRECTIONS = "Les demandes de correction d'identité sont décidées par les unités départementales."


class CorrectionListView(PageMixin, TemplateView):
    template_name = "candidats/corrections.html"
    page_title = "Demandes de correction d'identité"

    def get_context_data(self, **kwargs):
        if not self.request.user.is_agent_ud:
            raise PermissionDenied(
                "Les demandes de correction d'identité sont décidées par les unités départementales."
            )
        context = super().get_context_data(**kwargs)
        context["corrections"] = selectors.corrections_for(self.request.user).select_related("candidat")
        return context


class CorrectionDecideView(PageMixin, TemplateView):
    template_name = "candidats/correction_decision.html"
    page_title = "Décider d'une correction d'identité"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.correction = get_object_or_404(
            selectors.corrections_for(request.user, pending=False).select_related("candidat"),
            public_id=kwargs["public_id"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CorrectionDecisionForm())
        context["correction"] = self.correction
        return context

    def post(self, request, *args, **kwargs):
        form = CorrectionDecisionForm(request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approuver"
            try:
                services.correction_request_decide(
                    request=self.correction, approve=approve, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, "Correction approuvée." if approve else "Correction refusée.")
                return redirect("candidats:corrections")
        return self.render_to_response(self.get_context_data(form=form))


# ---------------------------------------------------------------- Import from the browser (ceres.core.imports)


class _ImportCandidats:
    job_model = ImportCandidats
    url_prefix = "candidats:"
    subject = "candidats"
    task = tasks.run_candidats_import
    breadcrumb = [("Candidats", "/candidats/")]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_import(
            request.user, getattr(request, "current_organisation", None)
        ):
            raise PermissionDenied(perms.REFUS_IMPORT)
        return super().dispatch(request, *args, **kwargs)

    def jobs(self):
        return selectors.imports_visible_for(self.request.user)


class ImportCandidatsView(_ImportCandidats, ImportUploadBase):
    page_title = "Importer des candidats"
    intro_template = "candidats/_import_intro.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "centre": self.request.current_organisation}

    def create_job(self, upload):
        return imports.import_job_create(
            ImportCandidats, upload=upload, by=self.request.user, centre=self.request.current_organisation
        )


class ImportCandidatsJobView(_ImportCandidats, ImportJobBase):
    pass


class ImportCandidatsActionView(_ImportCandidats, ImportActionBase):
    pass


class ImportCandidatsReportView(_ImportCandidats, ImportReportBase):
    pass


class ImportCandidatsTemplateView(_ImportCandidats, ImportTemplateBase):
    columns = TEMPLATE_COLUMNS

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from ceres.core import imports
from ceres.core.dates import fr_date
from ceres.core.exports import csv_response
from ceres.core.forms import add_form_errors
from ceres.core.imports_views import (
    ImportActionBase,
    ImportJobBase,
    ImportReportBase,
    ImportTemplateBase,
    ImportUploadBase,
)
from ceres.core.listes import Colonne, ExportMixin
from ceres.core.text import fold
from ceres.core.views import PageMixin, htmx_template, uuid_param
from ceres.jurys import perms, selectors, services, tasks
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.forms import AConvoquerForm, HabilitationForm, MembreJuryForm, StatutHabilitationForm
from ceres.jurys.models import Habilitation, ImportReprise, MembreJury
from ceres.jurys.reprise import TEMPLATE_COLUMNS
from ceres.referentiels import parametres


class MembreListView(ExportMixin, PageMixin, TemplateView):
    page_title = "Membres de jury"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_list_membres(request.user):
            raise PermissionDenied(
                "Seuls les agents des unités départementales gèrent les fiches des membres de jury."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [htmx_template(self.request, "jurys/membre_list.html", "jurys/_membre_table.html")]

    export_name = "membres-jury"
    export_personal = True

    def filtered(self):
        qs = selectors.membres_visible_for(self.request.user)
        q = self.request.GET.get("q", "").strip()
        if q:
            key = fold(q)
            qs = qs.filter(name_key__startswith=key) | qs.filter(usage_name_key__startswith=key)
        return q, qs.order_by("name_key", "first_names_key")

    def export_rows(self):
        return (
            self.filtered()[1]
            .select_related("ud__departement")
            .prefetch_related(Prefetch("habilitations", queryset=Habilitation.objects.select_related("titre")))
        )

    def export_columns(self):
        months = parametres.get("EXTENSION_HABILITATION_MOIS")

        def habilitations(membre):
            parts = []
            for h in membre.habilitations.all():
                end = selectors.effective_end_of(h, extension_months=months).date
                until = f"jusqu'au {end:%d/%m/%Y}" if end else "sans fin connue"
                parts.append(f"{h.titre.display_name} ({h.get_status_display().lower()}, {until})")
            return " | ".join(parts)

        return [
            Colonne("Civilité", lambda m: m.get_civility_display()),
            Colonne("Nom de naissance", lambda m: m.birth_name),
            Colonne("Nom d'usage", lambda m: m.usage_name),
            Colonne("Prénoms", lambda m: m.first_names),
            Colonne("UD", lambda m: m.ud.departement.code if m.ud_id else ""),
            Colonne("Employeur", lambda m: m.employer_name),
            Colonne("Profession", lambda m: m.profession),
            Colonne("E-mail", lambda m: m.email),
            Colonne("Téléphone", lambda m: m.phone),
            Colonne("Habilitations (fin effective)", habilitations),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q, qs = self.filtered()
        page = Paginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            q=q,
            can_create=perms.can_create_membre(self.request.user),
            can_import=perms.can_import_reprise(self.request.user),
            homonymies=selectors.homonymies_to_review(self.request.user).count(),
        )
        return context


class HomonymieListView(PageMixin, TemplateView):
    """Juror files created although they resembled another one (the agent said: another person): the UD checks them."""

    page_title = "Homonymies de jurés à vérifier"
    template_name = "jurys/homonymies.html"

    def get_breadcrumb(self):
        return [("Membres de jury", reverse("jurys:membre_list"))]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_create_membre(request.user):
            raise PermissionDenied("Seuls les agents des unités départementales vérifient les homonymies de jurés.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "homonymies": selectors.homonymies_to_review(self.request.user)}

    def post(self, request, *args, **kwargs):
        homonymie = get_object_or_404(
            selectors.homonymies_to_review(request.user), public_id=uuid_param(request.POST.get("homonymie"))
        )
        services.homonymie_verify(homonymie=homonymie, by=request.user)
        messages.success(request, f"Homonymie vérifiée : {homonymie.membre} et {homonymie.autre} sont deux personnes.")
        return redirect("jurys:homonymies")


class MembreCreateView(PageMixin, FormView):
    page_title = "Nouveau membre de jury"
    template_name = "jurys/membre_form.html"
    form_class = MembreJuryForm

    def get_breadcrumb(self):
        return [("Membres de jury", reverse("jurys:membre_list"))]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_create_membre(request.user):
            raise PermissionDenied("Seul un agent d'unité départementale peut créer une fiche de membre de jury.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            membre = services.membre_create(
                ud=self.request.user.ud,
                by=self.request.user,
                confirm_other_person=form.cleaned_data.get("confirm_other_person", False),
                **form.service_fields(),
            )
        except services.DuplicateMembre as exc:
            form.add_error(None, exc.messages[0])
            return self.render_to_response(self.get_context_data(form=form, **_duplicates_context(self.request, exc)))
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"La fiche de {membre} a été créée.")
        return redirect("jurys:membre_detail", public_id=membre.public_id)


def _duplicates_context(request, exc: services.DuplicateMembre) -> dict:
    """Files the user cannot open (managed by another UD) are named, with who manages them, but not linked."""
    visible = set(
        selectors.membres_visible_for(request.user)
        .filter(pk__in=[d.membre.pk for d in exc.duplicates])
        .values_list("pk", flat=True)
    )
    return {
        "duplicates": [
            {"membre": d.membre, "match": d.match, "visible": d.membre.pk in visible} for d in exc.duplicates
        ]
    }


class MembreMixin:
    """Loads the juror through the user's scope (404 outside), optionally requiring the right to manage (403)."""

    manage = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.membre = get_object_or_404(selectors.membres_visible_for(request.user), public_id=kwargs["public_id"])
        if self.manage and not perms.can_manage_membre(request.user, self.membre):
            raise PermissionDenied("Seule l'unité départementale qui gère cette fiche peut la modifier.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        crumbs = []
        if perms.can_list_membres(self.request.user):
            crumbs.append(("Membres de jury", reverse("jurys:membre_list")))
        if self.membre and not isinstance(self, MembreDetailView):
            crumbs.append((str(self.membre), reverse("jurys:membre_detail", args=[self.membre.public_id])))
        return crumbs


class MembreDetailView(MembreMixin, PageMixin, TemplateView):
    template_name = "jurys/membre_detail.html"

    def get_page_title(self):
        return f"Membre de jury : {self.membre}"

    def get(self, request, *args, **kwargs):
        services.membre_view_record(membre=self.membre, by=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        habilitations = selectors.with_effective_ends(
            self.membre.habilitations.select_related("titre", "ud").order_by("titre__intitule", "-start_date")
        )
        context.update(
            membre=self.membre,
            habilitations=habilitations,
            can_manage=perms.can_manage_membre(user, self.membre),
            show_birth=perms.can_see_birth_data(user, self.membre),
        )
        return context


class MembreUpdateView(MembreMixin, PageMixin, FormView):
    manage = True
    template_name = "jurys/membre_form.html"
    form_class = MembreJuryForm

    def get_page_title(self):
        return f"Modifier la fiche de {self.membre}"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.membre}

    def form_valid(self, form):
        try:
            services.membre_update(membre=self.membre, by=self.request.user, **form.service_fields())
        except services.DuplicateMembre as exc:
            form.add_error(None, exc.messages[0])
            return self.render_to_response(self.get_context_data(form=form, **_duplicates_context(self.request, exc)))
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "La fiche a été mise à jour.")
        return redirect("jurys:membre_detail", public_id=self.membre.public_id)


class HabilitationCreateView(MembreMixin, PageMixin, FormView):
    manage = True
    template_name = "jurys/habilitation_form.html"
    form_class = HabilitationForm

    def get_page_title(self):
        return f"Habiliter {self.membre}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = None
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            habilitation = services.habilitation_create(
                membre=self.membre,
                titre=data["titre"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                until_end_of_life=data.get("until_end_of_life", False),
                ud=self.request.user.ud,
                decision_date=data.get("decision_date"),
                by=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Habilitation enregistrée pour {habilitation.titre}.")
        return redirect("jurys:habilitation_detail", public_id=habilitation.public_id)


class HabilitationMixin:
    manage = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.habilitation = get_object_or_404(
            selectors.habilitations_visible_for(request.user).select_related("membre__ud", "titre"),
            public_id=kwargs["public_id"],
        )
        self.membre = self.habilitation.membre
        if self.manage and not perms.can_manage_membre(request.user, self.membre):
            raise PermissionDenied("Seule l'unité départementale qui gère cette fiche peut changer l'habilitation.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        crumbs = []
        if perms.can_list_membres(self.request.user):
            crumbs.append(("Membres de jury", reverse("jurys:membre_list")))
        crumbs.append((str(self.membre), reverse("jurys:membre_detail", args=[self.membre.public_id])))
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["habilitation"] = self.habilitation
        context["effective"] = selectors.effective_end_of(self.habilitation)
        context["can_manage"] = perms.can_manage_membre(self.request.user, self.membre)
        return context


class HabilitationDetailView(HabilitationMixin, PageMixin, TemplateView):
    template_name = "jurys/habilitation_detail.html"

    def get_page_title(self):
        return f"Habilitation : {self.habilitation.titre}"


class HabilitationStatusView(HabilitationMixin, PageMixin, FormView):
    manage = True
    template_name = "jurys/habilitation_status.html"
    form_class = StatutHabilitationForm

    def get_page_title(self):
        return "Suspendre, rétablir ou retirer l'habilitation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["convocations"] = list(selectors.convocations_relying_on(self.habilitation, timezone.localdate()))
        return context

    def form_valid(self, form):
        try:
            services.habilitation_set_status(
                habilitation=self.habilitation,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Le statut de l'habilitation a été modifié.")
        blocked = selectors.convocations_relying_on(self.habilitation, timezone.localdate()).count()
        if blocked and form.cleaned_data["status"] != StatutHabilitation.ACTIVE:
            messages.warning(
                self.request,
                f"Ce membre est convoqué à {blocked} session(s) de ce titre : leurs centres ont été prévenus que le "
                "jury est à recomposer.",
            )
        return redirect("jurys:habilitation_detail", public_id=self.habilitation.public_id)


CSV_HEADER = [
    "Nom",
    "Prénoms",
    "E-mail",
    "Téléphone",
    "Département",
    "Proximité",
    "Titre habilité",
    "Début",
    "Fin",
    "Fin effective",
    "Explication",
    "Sessions (12 derniers mois)",
]


# The nearest jurors (département, neighbours, region first); the CSV export lists every habilitated juror.
PAGE_ROWS = 100


class AConvoquerView(PageMixin, TemplateView):
    page_title = "Jurés à convoquer"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_convene(request.user):
            raise PermissionDenied("Cette page est réservée aux centres et aux unités départementales.")
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [htmx_template(self.request, "jurys/a_convoquer.html", "jurys/_a_convoquer_table.html")]

    def departement(self):
        user = self.request.user
        organisation = getattr(self.request, "current_organisation", None)
        if user.is_gestionnaire_centre and organisation is not None:
            return getattr(organisation, "departement", None)
        if user.is_agent_ud and user.ud_id:
            return user.ud.departement
        return None

    def rows(self, form, limit: int | None = None):
        return selectors.jurors_to_convene(
            titre=form.cleaned_data["titre"], days=form.days(), departement=self.departement(), limit=limit
        )

    def get(self, request, *args, **kwargs):
        form = AConvoquerForm(request.GET or None)
        if request.GET.get("export") == "csv" and form.is_valid():
            return self.csv_response(form)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs["form"]
        rows = self.rows(form, limit=PAGE_ROWS) if form.is_bound and form.is_valid() else None
        context.update(
            rows=rows, page_rows=PAGE_ROWS, departement=self.departement(), query=self.request.GET.urlencode()
        )
        return context

    def csv_response(self, form):
        titre = form.cleaned_data["titre"]
        filename = f"jures-a-convoquer-{titre.code_titre or titre.pk}-{form.cleaned_data['start_date']:%Y%m%d}.csv"
        return csv_response(filename, CSV_HEADER, (self.csv_row(row) for row in self.rows(form)))

    @staticmethod
    def csv_row(row):
        membre, habilitation = row.membre, row.habilitation
        return [
            (membre.usage_name or membre.birth_name).upper(),
            membre.first_names,
            membre.email,
            membre.phone,
            selectors.juror_departement_code(membre),
            row.distance_label,
            str(habilitation.titre),
            fr_date(habilitation.start_date),
            fr_date(habilitation.end_date) if habilitation.end_date else "fin de vie du titre",
            fr_date(row.effective_end) if row.effective_end else "",
            row.explanation,
            row.recent_sessions,
        ]


def _convocations(membre):
    """The juror's latest convocations (``examens.MembreConvoque``, reverse relation ``convocations``)."""
    return list(membre.convocations.select_related("session__titre").order_by("-session__start_date")[:50])


class MonEspaceView(PageMixin, TemplateView):
    page_title = "Mon espace membre de jury"
    template_name = "jurys/mon_espace.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.is_juror(request.user):
            raise PermissionDenied("Cet espace est réservé aux membres de jury.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membre = MembreJury.objects.filter(user=self.request.user).first()
        habilitations = []
        convocations = []
        if membre is not None:
            habilitations = selectors.with_effective_ends(
                membre.habilitations.select_related("titre", "ud").order_by("titre__intitule", "-start_date")
            )
            convocations = _convocations(membre)
        context.update(membre=membre, habilitations=habilitations, convocations=convocations)
        return context


# ---------------------------------------------------------------- Reprise from the browser (ceres.core.imports)


class _ImportReprise:
    job_model = ImportReprise
    url_prefix = "jurys:"
    subject = "jurés"
    task = tasks.run_reprise_import
    breadcrumb = [("Membres de jury", "/jurys/")]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_import_reprise(request.user):
            raise PermissionDenied(perms.REFUS_REPRISE)
        return super().dispatch(request, *args, **kwargs)

    def jobs(self):
        return selectors.imports_reprise_visible_for(self.request.user)


class ImportRepriseView(_ImportReprise, ImportUploadBase):
    page_title = "Reprendre des jurés de l'ancien système"
    intro_template = "jurys/_reprise_intro.html"

    def _ud(self):
        user = self.request.user
        return user.ud if user.is_agent_ud and not (user.is_admin_national or user.is_superuser) else None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "ud": self._ud()}

    def create_job(self, upload):
        return imports.import_job_create(ImportReprise, upload=upload, by=self.request.user, ud=self._ud())


class ImportRepriseJobView(_ImportReprise, ImportJobBase):
    job_page_title = "Reprise des jurés de l'ancien système"


class ImportRepriseActionView(_ImportReprise, ImportActionBase):
    pass


class ImportRepriseReportView(_ImportReprise, ImportReportBase):
    pass


class ImportRepriseTemplateView(_ImportReprise, ImportTemplateBase):
    columns = TEMPLATE_COLUMNS

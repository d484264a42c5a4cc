from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View
from django_htmx.http import HttpResponseClientRedirect

from ceres.centres import perms, rules, selectors, services, tasks
from ceres.centres.enums import DecisionAgrement, StatutInvitation
from ceres.centres.forms import (
    AgrementFilterForm,
    AgrementRequestForm,
    CentreForm,
    DecisionForm,
    MembreAddForm,
    SiteForm,
    WithdrawForm,
)
from ceres.centres.models import DepotValce, MembreCentre
from ceres.core import imports
from ceres.core.forms import add_form_errors
from ceres.core.imports_views import ImportActionBase, ImportJobBase, ImportReportBase, ImportUploadBase
from ceres.core.listes import Colonne, ExportMixin
from ceres.core.pagination import with_details
from ceres.core.perms import require
from ceres.core.text import fold
from ceres.core.views import PageMixin, htmx_template, int_param, uuid_param
from ceres.referentiels import parametres
from ceres.referentiels.models import Departement

NOT_ALLOWED_LISTS = "Cette page est réservée aux agents de l'État (administration centrale, DREETS, UD)."
NOT_ALLOWED_CENTRES = (
    "Les centres et leurs agréments sont réservés aux agents de l'État et aux gestionnaires de centre."
)
# Same answer whether the address has an account or not, and whatever its role (issue #16).
INVITATION_SENT = (
    "Invitation enregistrée pour « {email} ». Si cette adresse est celle d'un compte de gestionnaire de centre, la "
    "personne est prévenue par e-mail ; elle deviendra membre quand elle aura accepté l'invitation."
)
NOT_INSTRUCTOR = "Seuls les agents de la DREETS de la région du centre instruisent ses agréments."


def _redirect(request, url):
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else HttpResponseRedirect(url)


def _search(qs, q: str):
    q = (q or "").strip()
    if not q:
        return qs
    digits = q.replace(" ", "")
    key = fold(q)
    condition = Q(centre__name_key__contains=key) | Q(titre__intitule_key__contains=key) | Q(valce_id__iexact=q)
    condition |= Q(titre__code_rncp__iexact=digits) | Q(titre__code_rncp__iexact=f"RNCP{digits}")
    if digits.isdigit():
        condition |= Q(centre__siret__startswith=digits)
    return qs.filter(condition)


# ---------------------------------------------------------------- centres


class CentreListView(ExportMixin, PageMixin, TemplateView):
    template_name = "centres/centre_list.html"
    page_title = "Centres"

    export_name = "centres"

    def filtered(self):
        user = self.request.user
        require(perms.can_see_centres(user), NOT_ALLOWED_CENTRES)
        qs = selectors.centres_visible_for(user)
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name_key__contains=fold(q)) | Q(siret__startswith=q.replace(" ", "")))
        return q, qs

    def export_rows(self):
        return self.filtered()[1].select_related("departement", "commune").order_by("name", "id")

    def export_columns(self):
        return [
            Colonne("Raison sociale", lambda c: c.name),
            Colonne("SIRET", lambda c: c.siret),
            Colonne("Type", lambda c: c.get_type_display()),
            Colonne("Département", lambda c: c.departement.code if c.departement_id else ""),
            Colonne("Adresse", lambda c: c.address),
            Colonne("Code postal", lambda c: c.postal_code),
            Colonne("Commune", lambda c: c.commune.name if c.commune_id else ""),
            Colonne("Contact", lambda c: c.contact_name),
            Colonne("E-mail", lambda c: c.email),
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        q, qs = self.filtered()
        context = super().get_context_data(**kwargs)
        context["q"] = q
        context["can_create"] = perms.can_instruct(user)
        context["page_obj"] = Paginator(qs, 50).get_page(self.request.GET.get("page"))
        return context


class CentreCreateView(PageMixin, FormView):
    """DREETS agents register a centre of their region (the VALCE import also creates centres)."""

    template_name = "centres/form.html"
    form_class = CentreForm
    page_title = "Nouveau centre"

    def dispatch(self, request, *args, **kwargs):
        require(perms.can_instruct(request.user), "Seuls les agents DREETS enregistrent un nouveau centre.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        return [("Centres", reverse("centres:centre_list"))]

    def get_form_kwargs(self):
        departements = Departement.objects.filter(region_id=self.request.user.region_id).order_by("code")
        return {**super().get_form_kwargs(), "departements": departements}

    def form_valid(self, form):
        try:
            centre = services.centre_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Le centre est enregistré.")
        return _redirect(self.request, reverse("centres:centre_detail", args=[centre.public_id]))


class CentreDetailView(PageMixin, TemplateView):
    template_name = "centres/centre_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.centre = get_object_or_404(selectors.centres_visible_for(request.user), public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.centre.name

    def get_breadcrumb(self):
        return [("Centres", reverse("centres:centre_list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["centre"] = self.centre
        context["sites"] = self.centre.sites.select_related("commune")
        context["agrements"] = selectors.agrements_visible_for(self.request.user).filter(centre=self.centre)
        context["members"] = self.centre.memberships.select_related("user")
        context["can_manage"] = perms.can_manage_centre(self.request.user, self.centre)
        return context


class _CentreActionMixin(PageMixin):
    def dispatch(self, request, *args, **kwargs):
        self.centre = get_object_or_404(selectors.centres_visible_for(request.user), public_id=kwargs["public_id"])
        require(
            perms.can_manage_centre(request.user, self.centre),
            "Seuls les administrateurs du centre et la DREETS de sa région peuvent faire cette démarche.",
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        return [
            ("Centres", reverse("centres:centre_list")),
            (self.centre.name, reverse("centres:centre_detail", args=[self.centre.public_id])),
        ]


class SiteCreateView(_CentreActionMixin, FormView):
    template_name = "centres/form.html"
    form_class = SiteForm
    page_title = "Ajouter un site"

    def form_valid(self, form):
        try:
            services.site_create(centre=self.centre, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Le site a été ajouté.")
        return _redirect(self.request, reverse("centres:centre_detail", args=[self.centre.public_id]))


class MembresView(_CentreActionMixin, FormView):
    """Members of a centre: its administrators (or the region's DREETS) add accounts by e-mail, or remove them."""

    template_name = "centres/membres.html"
    form_class = MembreAddForm
    page_title = "Membres du centre"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["centre"] = self.centre
        members = list(self.centre.memberships.select_related("user").order_by("-is_admin", "user__email"))
        admins = sum(m.is_admin for m in members)
        by_dreets = perms.is_dreets_of(self.request.user, self.centre)
        # Same rule as the service: the refusal is shown instead of a button that could only fail.
        for m in members:
            m.remove_refusal = " ".join(
                rules.member_remove_errors(is_admin=m.is_admin, admins_count=admins, by_dreets=by_dreets)
            )
        context["members"] = members
        context["invitations"] = self.centre.invitations.filter(status=StatutInvitation.EN_ATTENTE).order_by("email")
        return context

    def form_valid(self, form):
        try:
            invitation = services.membre_centre_invite(
                centre=self.centre,
                email=form.cleaned_data["email"],
                is_admin=form.cleaned_data["is_admin"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, INVITATION_SENT.format(email=invitation.email))
        return _redirect(self.request, reverse("centres:membres", args=[self.centre.public_id]))


class MembreRemoveView(_CentreActionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membre_id = int_param(request.POST.get("membre")) or 0
        membre = get_object_or_404(MembreCentre.objects.select_related("user"), centre=self.centre, pk=membre_id)
        try:
            services.membre_centre_remove(membre=membre, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{membre.user.email} n'est plus membre du centre.")
        return _redirect(request, reverse("centres:membres", args=[self.centre.public_id]))


class AgrementRequestView(_CentreActionMixin, FormView):
    template_name = "centres/form.html"
    form_class = AgrementRequestForm
    page_title = "Demander un agrément"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "centre": self.centre}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            agrement = services.agrement_request_create(centre=self.centre, by=self.request.user, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "La demande d'agrément est enregistrée : elle est en cours d'instruction.")
        return _redirect(self.request, reverse("centres:agrement_detail", args=[agrement.public_id]))


# ---------------------------------------------------------------- agréments


class AgrementListView(ExportMixin, PageMixin, TemplateView):
    """Instruction list: DREETS (their region), UD (their département, read), national (everything, read)."""

    template_name = "centres/agrement_list.html"
    page_title = "Agréments"

    def get_template_names(self):
        return [htmx_template(self.request, self.template_name, "centres/_agrement_table.html")]

    export_name = "agrements"

    def filtered(self):
        user = self.request.user
        require(perms.can_see_instruction_list(user), NOT_ALLOWED_LISTS)
        today = timezone.localdate()
        qs = selectors.agrements_visible_for(user)
        departements = Departement.objects.filter(
            pk__in=selectors.centres_visible_for(user).values("departement")
        ).order_by("code")
        form = AgrementFilterForm(self.request.GET or None, departements=departements)
        if form.is_valid():
            data = form.cleaned_data
            qs = _search(qs, data["q"])
            if data["statut"]:
                qs = selectors.filter_by_status(qs, data["statut"], today)
            if data["departement"]:
                qs = qs.filter(centre__departement=data["departement"])
        return form, qs

    def export_rows(self):
        return self.filtered()[1].select_related("centre", "site", "titre", "ccs").order_by("end_date", "id")

    def export_columns(self):
        today = timezone.localdate()
        return [
            Colonne("Centre", lambda a: a.centre.name),
            Colonne("SIRET", lambda a: a.centre.siret),
            Colonne("Site", lambda a: a.site.name),
            Colonne("Titre", lambda a: a.titre.display_name),
            Colonne("N° RNCP", lambda a: a.titre.code_rncp or ""),
            Colonne("CCS", lambda a: str(a.ccs) if a.ccs_id else ""),
            Colonne("Début", lambda a: a.start_date),
            Colonne("Fin (incluse)", lambda a: a.end_date),
            Colonne("Décision", lambda a: a.get_decision_display()),
            Colonne("Date de décision", lambda a: a.decision_date),
            Colonne("Statut", lambda a: a.status_on(today).label),
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        form, qs = self.filtered()
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page_obj=with_details(
                Paginator(
                    # Requests awaiting a decision first, then by end date.
                    qs.select_related(None)
                    .annotate(
                        pending=Case(When(decision=DecisionAgrement.EN_INSTRUCTION, then=Value(0)), default=Value(1))
                    )
                    .order_by("pending", "end_date", "id"),
                    50,
                ).get_page(self.request.GET.get("page")),
                qs,
            ),
            querystring=query.urlencode(),
            can_instruct=perms.can_instruct(user),
            today=today,
        )
        return context


class MesAgrementsView(PageMixin, TemplateView):
    """Centre users: the agréments of their current centre, with what each allows."""

    template_name = "centres/mes_agrements.html"
    page_title = "Mes agréments"

    def get_context_data(self, **kwargs):
        user = self.request.user
        require(user.is_gestionnaire_centre, "Cette page est réservée aux gestionnaires de centre.")
        context = super().get_context_data(**kwargs)
        centre = getattr(self.request, "current_organisation", None)
        qs = selectors.agrements_visible_for(user)
        context["centre"] = centre
        context["agrements"] = qs.filter(centre=centre).order_by("site__name", "titre__intitule") if centre else []
        context["can_manage"] = bool(centre) and perms.can_manage_centre(user, centre)
        return context


class AgrementAlertView(PageMixin, TemplateView):
    template_name = "centres/agrement_alerts.html"
    page_title = "Agréments arrivant à échéance"

    def get_context_data(self, **kwargs):
        user = self.request.user
        require(perms.can_see_centres(user), NOT_ALLOWED_CENTRES)
        context = super().get_context_data(**kwargs)
        context["agrements"] = selectors.agrements_ending_soon(user, timezone.localdate())
        context["months"] = parametres.get("ALERTE_FIN_AGREMENT_MOIS")
        return context


class _AgrementMixin(PageMixin):
    def dispatch(self, request, *args, **kwargs):
        self.agrement = get_object_or_404(selectors.agrements_visible_for(request.user), public_id=kwargs["public_id"])
        self.check_permission(request.user)
        return super().dispatch(request, *args, **kwargs)

    def check_permission(self, user):
        pass

    def get_breadcrumb(self):
        parent = (
            ("Mes agréments", reverse("centres:mes_agrements"))
            if self.request.user.is_gestionnaire_centre
            else ("Agréments", reverse("centres:agrement_list"))
        )
        return [parent]


class AgrementDetailView(_AgrementMixin, TemplateView):
    template_name = "centres/agrement_detail.html"
    page_title = "Agrément"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a = self.agrement
        context["agrement"] = a
        can = perms.can_instruct(self.request.user, a)
        context["can_decide"] = can and a.decision == DecisionAgrement.EN_INSTRUCTION
        context["can_withdraw"] = can and a.decision == DecisionAgrement.ACCEPTEE
        return context


class _InstructMixin(_AgrementMixin):
    def check_permission(self, user):
        if not perms.can_instruct(user, self.agrement):
            raise PermissionDenied(NOT_INSTRUCTOR)

    def get_breadcrumb(self):
        return [
            ("Agréments", reverse("centres:agrement_list")),
            ("Agrément", reverse("centres:agrement_detail", args=[self.agrement.public_id])),
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "agrement": self.agrement}

    def done(self, message):
        messages.success(self.request, message)
        return _redirect(self.request, reverse("centres:agrement_detail", args=[self.agrement.public_id]))


class AgrementDecideView(_InstructMixin, FormView):
    template_name = "centres/agrement_decide.html"
    form_class = DecisionForm
    page_title = "Enregistrer la décision"

    def get_initial(self):
        return {"start_date": self.agrement.start_date, "end_date": self.agrement.end_date}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.agrement_decide(
                agrement=self.agrement,
                decision=data["decision"],
                reason=data["reason"],
                decision_date=data["decision_date"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return self.done("La décision est enregistrée.")


class AgrementWithdrawView(_InstructMixin, FormView):
    template_name = "centres/agrement_decide.html"
    page_title = "Retirer l'agrément"

    form_class = WithdrawForm

    def form_valid(self, form):
        try:
            services.agrement_withdraw(
                agrement=self.agrement,
                reason=form.cleaned_data["reason"],
                decision_date=form.cleaned_data["decision_date"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        return self.done("L'agrément est retiré.")


# ---------------------------------------------------------------- VALCE import


class _DepotValce:
    job_model = DepotValce
    url_prefix = "centres:valce_"
    subject = "VALCE"
    task = tasks.run_valce_import

    def dispatch(self, request, *args, **kwargs):
        require(
            perms.can_import_valce(request.user),
            "L'import VALCE est réservé aux agents DREETS et à l'administration centrale.",
        )
        return super().dispatch(request, *args, **kwargs)

    def jobs(self):
        return selectors.depots_valce_visible_for(self.request.user)


class ValceImportView(_DepotValce, ImportUploadBase):
    """The VALCE export is checked then applied by a background task (a 10 MB export blocked the request 28 s)."""

    page_title = "Import VALCE"
    intro_template = "centres/_valce_intro.html"
    max_size = 50 * 1024 * 1024
    accepts_xlsx = False  # VALCE exports CSV
    has_template = False

    def create_job(self, upload):
        user = self.request.user
        return imports.import_job_create(
            DepotValce, upload=upload, by=user, region=user.region if user.is_agent_dreets else None
        )


class ValceImportJobView(_DepotValce, ImportJobBase):
    job_page_title = "Import VALCE"


class ValceImportActionView(_DepotValce, ImportActionBase):
    pass


class ValceImportReportView(_DepotValce, ImportReportBase):
    pass


class MesInvitationsView(PageMixin, TemplateView):
    """The invitations addressed to the logged-in centre manager: accept (becomes a member) or refuse."""

    template_name = "centres/mes_invitations.html"
    page_title = "Mes invitations à rejoindre un centre"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitations"] = selectors.invitations_for(self.request.user).order_by("created_at")
        return context

    def post(self, request, *args, **kwargs):
        invitation = get_object_or_404(
            selectors.invitations_for(request.user), public_id=uuid_param(request.POST.get("invitation"))
        )
        accept = request.POST.get("reponse") == "accepter"
        try:
            services.invitation_answer(invitation=invitation, user=request.user, accept=accept)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if accept:
                messages.success(request, f"Vous êtes maintenant membre du centre {invitation.centre.name}.")
            else:
                messages.success(request, f"Invitation du centre {invitation.centre.name} refusée.")
        return _redirect(request, reverse("centres:mes_invitations"))

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from ceres.candidats.selectors import candidats_visible_for
from ceres.core import ratelimit
from ceres.core.forms import add_form_errors
from ceres.core.journal import journal_record
from ceres.core.listes import Colonne, ExportMixin
from ceres.core.pagination import BoundedPaginator
from ceres.core.views import PageMixin, htmx_template, pdf_response, uuid_param
from ceres.editique.pdf import render_documents
from ceres.examens import imprimes, perms, rules, selectors, services
from ceres.examens.enums import StatutEnvoi, StatutSession, TypeSession
from ceres.examens.forms import (
    CandidatSearchForm,
    InscriptionForm,
    PvSigneForm,
    ReasonForm,
    ResultatsForm,
    ResultatsLigneForm,
    SessionFilterForm,
    SessionForm,
    SessionUpdateForm,
    SubmitForm,
    TransitionForm,
    ValidationForm,
)
from ceres.examens.models import EnvoiConvocation, Inscription, MembreConvoque, SessionExamen
from ceres.jurys.models import MembreJury
from ceres.personnes.lieux import resolve_birth_places
from ceres.referentiels import parametres


def _warn_jury(request, session):
    """The jury is re-checked whenever dates or candidates change (habilitation on every day, conflicts)."""
    if session.jury.exists():
        for error in selectors.jury_errors(session):
            messages.warning(request, error)


class SessionMixin:
    """Loads the session through the user's scope (404 outside it); `require` = 'centre' or 'ud' gives 403."""

    require: str | None = None
    require_editable = False  # dates, candidates and jury change only before the session opens

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        # With what every session page prints: the site (its commune) and who validated.
        sessions = selectors.sessions_visible_for(request.user).select_related("site__commune", "validated_by")
        self.session = get_object_or_404(sessions, public_id=kwargs["public_id"])
        self.actor = perms.actor_for(request.user, self.session)
        if self.require and self.actor not in self.require.split("|"):
            who = {
                rules.CENTRE: "aux gestionnaires du centre",
                rules.UD: "aux agents de l'unité départementale de la session",
            }
            raise PermissionDenied(
                f"Cette action est réservée {' ou '.join(who[r] for r in self.require.split('|'))}."
            )
        if self.require_editable and self.session.status not in rules.EDITABLE_STATES:
            raise PermissionDenied(
                f"Une session « {self.session.get_status_display()} » ne se modifie plus "
                "(dates, candidats et jury sont figés)."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        return [
            ("Sessions d'examen", reverse("examens:session_list")),
            (str(self.session), reverse("examens:session_detail", args=[self.session.public_id])),
        ]

    def back(self):
        return redirect("examens:session_detail", public_id=self.session.public_id)


class SessionListView(ExportMixin, PageMixin, TemplateView):
    page_title = "Sessions d'examen"

    def get_template_names(self):
        return [htmx_template(self.request, "examens/session_list.html", "examens/_session_table.html")]

    export_name = "sessions"

    def filtered(self):
        form = SessionFilterForm(self.request.GET or None)
        qs = selectors.sessions_visible_for(self.request.user)
        if form.is_valid():
            qs = selectors.sessions_filtered(qs, **form.cleaned_data)
        return form, qs.order_by("-start_date", "-id")

    @property
    def registrations(self) -> bool:
        # « Inscriptions et résultats »: one row per candidate of the filtered sessions.
        return self.request.GET.get("lignes") == "inscriptions"

    @property
    def export_personal(self):
        return self.registrations

    def export_rows(self):
        sessions = self.filtered()[1]
        if self.registrations:
            self.export_name = "inscriptions-resultats"
            return (
                Inscription.objects.filter(session__in=sessions.values("pk"))
                .select_related("session__titre", "session__centre", "candidat")
                .order_by("-session__start_date", "session_id", "candidat__birth_name", "id")
            )
        return sessions.select_related("titre", "centre", "site", "departement")

    @cached_property
    def _late_after(self) -> int:
        return parametres.get("DELAI_SAISIE_RESULTATS_JOURS")

    def _results_flag(self, session) -> str:
        return selectors.results_flag(session, today=timezone.localdate(), max_days=self._late_after)

    def export_columns(self):
        if self.registrations:
            return [
                Colonne("Session", lambda i: f"{i.session.titre.display_name} — {i.session.start_date:%d/%m/%Y}"),
                Colonne("Centre", lambda i: i.session.centre.name),
                Colonne("N° candidat", lambda i: i.candidat.numero),
                Colonne("Nom de naissance", lambda i: i.candidat.birth_name),
                Colonne("Prénoms", lambda i: i.candidat.first_names),
                Colonne("Date de naissance", lambda i: i.candidat.birth_date),
                Colonne("Voie d'accès", lambda i: i.get_route_display()),
                Colonne("Décision du jury", lambda i: i.get_decision_display() if i.decision else ""),
                Colonne("État de la session", lambda i: i.session.get_status_display()),
            ]
        return [
            Colonne("Titre", lambda s: s.titre.display_name),
            Colonne("N° RNCP", lambda s: s.titre.code_rncp or ""),
            Colonne("Type", lambda s: s.get_type_display()),
            Colonne("Centre", lambda s: s.centre.name),
            Colonne("Site", lambda s: s.site.name),
            Colonne("Département", lambda s: s.departement.code),
            Colonne("Premier jour", lambda s: s.start_date),
            Colonne("Dernier jour", lambda s: s.end_date),
            Colonne("Convocation", lambda s: s.convocation_date),
            Colonne("État", lambda s: s.get_status_display()),
            Colonne("Résultats transmis le", lambda s: s.submitted_at),
            Colonne("Retard des résultats", self._results_flag),
            Colonne("Validée le", lambda s: s.validated_at),
            Colonne("N° de PV", lambda s: s.pv_number),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, qs = self.filtered()
        page = BoundedPaginator(qs, 25).get_page(self.request.GET.get("page"))
        page.object_list = selectors.with_results_flags(page.object_list, today=timezone.localdate())
        user = self.request.user
        context.update(
            form=form,
            page_obj=page,
            can_create=perms.can_create_session(user) and self.request.current_organisation,
            can_record_past=user.is_agent_ud and bool(user.ud_id),
            show_quality=perms.can_create_session(user) or (user.is_agent_ud and bool(user.ud_id)),
        )
        return context


class ConvocationsQualiteView(PageMixin, TemplateView):
    """Data quality: sessions whose convocation precedes the first day, for the centre and the UD (their scope)."""

    page_title = "Qualité des convocations"
    template_name = "examens/convocations_qualite.html"

    def get_breadcrumb(self):
        return [("Sessions d'examen", reverse("examens:session_list"))]

    def get_context_data(self, **kwargs):
        max_days = parametres.get("CONVOCATION_AVANCE_MAX_JOURS")
        return {
            **super().get_context_data(**kwargs),
            "rows": selectors.convocations_before_first_day(self.request.user, max_days=max_days),
            "max_days": max_days,
        }


class SessionCreateView(PageMixin, FormView):
    page_title = "Nouvelle session d'examen"
    template_name = "examens/session_form.html"
    form_class = SessionForm

    def get_breadcrumb(self):
        return [("Sessions d'examen", reverse("examens:session_list"))]

    def dispatch(self, request, *args, **kwargs):
        self.actor = rules.CENTRE
        if request.user.is_authenticated:
            if request.user.is_agent_ud and request.user.ud_id:
                # A UD agent records a session that already took place, for a centre of its département, with a
                # reason (docs/decisions/0008). The centre is chosen first.
                self.actor = rules.UD
                self.centres = selectors.centres_for_past_session(request.user)
                self.centre = self.centres.filter(public_id=uuid_param(request.GET.get("centre"))).first()
                if self.centre is None:
                    if request.method == "POST":
                        raise Http404
                    return PastSessionCentreChoiceView.as_view()(request)
                return super().dispatch(request, *args, **kwargs)
            if not perms.can_create_session(request.user):
                raise PermissionDenied("Seuls les gestionnaires de centre créent des sessions d'examen.")
            self.centre = request.current_organisation
            if self.centre is None:
                raise PermissionDenied("Vous n'êtes rattaché à aucun centre.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "Enregistrer une session passée" if self.actor == rules.UD else self.page_title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "centre": self.centre, "record_past": self.actor == rules.UD}

    def get_initial(self):
        initial = selectors.session_initial()
        if self.actor == rules.CENTRE:
            initial["responsable"] = self.request.user
        return initial

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "centre": self.centre, "record_past": self.actor == rules.UD}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            session = services.session_create(centre=self.centre, by=self.request.user, actor=self.actor, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "La session a été créée.")
        return redirect("examens:session_detail", public_id=session.public_id)


class PastSessionCentreChoiceView(PageMixin, TemplateView):
    """First step for a UD agent recording a past session: the centre, among those of its département."""

    page_title = "Enregistrer une session passée"
    template_name = "examens/session_centre_choice.html"

    def get_breadcrumb(self):
        return [("Sessions d'examen", reverse("examens:session_list"))]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "centres": selectors.centres_for_past_session(self.request.user)}


class SessionDetailView(SessionMixin, PageMixin, TemplateView):
    template_name = "examens/session_detail.html"

    def get_page_title(self):
        return str(self.session)

    def get_breadcrumb(self):
        return [("Sessions d'examen", reverse("examens:session_list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        manage = self.actor == rules.CENTRE
        inscriptions = list(session.inscriptions.select_related("candidat").prefetch_related("ccps"))
        jury = list(session.jury.select_related("membre"))
        validated = session.status == StatutSession.VALIDEE
        if validated:
            self._attach_certifications(inscriptions)
        context.update(
            session=session,
            actor=self.actor,
            can_manage=manage,
            can_decide=self.actor == rules.UD,
            editable=session.status in rules.EDITABLE_STATES,
            validated=validated,
            # Parchemins are printed by the session's UD; the PV is also open to the centre.
            can_print=self.actor == rules.UD,
            can_read_pv=self.actor in (rules.UD, rules.CENTRE),
            # The PV is printed for the jury to sign from the session's opening on.
            pv_available=session.status in rules.PV_STATES,
            pv_signes=session.pv_signes.select_related("uploaded_by") if session.status in rules.PV_STATES else [],
            pv_form=PvSigneForm(),
            # Convocations (one by one or to post), attendance sheets: the centre and the UD.
            can_print_documents=self.actor in (rules.UD, rules.CENTRE) and session.status != StatutSession.ANNULEE,
            without_email=sum(not i.candidat.email for i in inscriptions) + sum(not m.membre.email for m in jury),
            # A juror examines the candidates: their names, not their access route nor the convocation troubles.
            candidate_details=not self.request.user.is_membre_jury,
            inscriptions=inscriptions,
            jury=jury,
            # Re-checked until the session is validated or cancelled (issue 11: every step relies on it).
            jury_errors=selectors.jury_errors(session, inscriptions=inscriptions, jury=jury)
            if session.status not in rules.FINAL_STATES
            else [],
            jury_warnings=selectors.jury_warnings(session, inscriptions=inscriptions, jury=jury)
            if session.status in rules.EDITABLE_STATES
            else [],
            convocation_errors=selectors.convocation_letter_errors(session)
            if session.status in rules.EDITABLE_STATES
            else [],
            envoi=(envoi := session.envois.first()),
            running=envoi is not None and envoi.status in (StatutEnvoi.EN_ATTENTE, StatutEnvoi.EN_COURS),
            checklist=selectors.checklist(session, inscriptions=inscriptions, jury=jury)
            if session.status in rules.RESULTS_STATES
            else [],
            transitions=self._transitions(),
            delays=session.delays(),
            session_ccps=session.ccps.all(),
        )
        return context

    @staticmethod
    def _attach_certifications(inscriptions):
        """Printable awards per candidate (title, or CCP certificates without the title), for the print links."""
        if not inscriptions:
            return
        by_inscription = {}
        for cert in selectors.printable_certifications(inscriptions[0].session):
            by_inscription.setdefault(cert.inscription_id, []).append(cert)
        for ins in inscriptions:
            ins.printable = by_inscription.get(ins.pk, [])

    def _transitions(self):
        if not self.actor:
            return []
        # Buttons name the action, not the state reached (« Annulée » read as a state, not as a button).
        labels = {
            StatutSession.EN_COURS: "Ouvrir la session (épreuves en cours)",
            StatutSession.ANNULEE: "Annuler la session",
        }
        return [
            (target, labels[target])
            for target in rules.next_states(self.session.status, self.actor)
            if target in labels
        ]


class SessionUpdateView(SessionMixin, PageMixin, FormView):
    require = rules.CENTRE
    require_editable = True
    template_name = "examens/session_form.html"
    form_class = SessionUpdateForm
    page_title = "Modifier la session"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.session}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.SESSION_FIELDS}
        try:
            services.session_update(session=self.session, by=self.request.user, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "La session a été modifiée. Le jury a été recontrôlé.")
        _warn_jury(self.request, self.session)
        return self.back()


NATIONAL_LOOKUP_LIMIT = (30, 3600)  # national-file lookups per user and per hour
NATIONAL_LOOKUP_REFUSED = (
    "Trop de recherches dans le fichier national des candidats depuis votre compte : réessayez dans une heure."
)


class InscriptionAddView(SessionMixin, PageMixin, TemplateView):
    """Registration goes through the candidate search: a file is never created here (no duplicates)."""

    require = rules.CENTRE
    require_editable = True
    template_name = "examens/inscription_add.html"
    page_title = "Inscrire un candidat"

    def _results(self, form):
        if not form.is_valid():
            return []
        files, national = selectors.candidats_for_registration(self.request.user, **form.cleaned_data)
        user = self.request.user
        if national:
            limit, window = NATIONAL_LOOKUP_LIMIT
            if not ratelimit.allow(f"national-lookup:{user.pk}", limit=limit, window=window):
                messages.error(self.request, NATIONAL_LOOKUP_REFUSED)
                return []
        files = list(files[:20])
        resolve_birth_places(files)
        if not national:
            return files
        # Who looked for whom in the national file (per user, with the criteria and the files shown).
        journal_record(
            action="view",
            obj=self.session,
            by=user,
            operation="recherche_nationale_candidat",
            changes={
                "nom": form.cleaned_data["q"],
                "prénom": form.cleaned_data["first_name"],
                "date_naissance": form.cleaned_data["birth_date"].isoformat(),
                "dossiers": [c.numero for c in files],
            },
        )
        return files

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = CandidatSearchForm(self.request.GET or None)
        context.update(
            session=self.session,
            search=search,
            results=self._results(search) if self.request.GET else [],
            form=kwargs.get("form") or InscriptionForm(session=self.session),
            searched=bool(self.request.GET),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = InscriptionForm(request.POST, session=self.session)
        if form.is_valid():
            data = dict(form.cleaned_data)
            candidat = selectors.registrable_candidat(data.pop("candidat"))
            if candidat is None:
                raise Http404
            try:
                services.inscription_create(session=self.session, candidat=candidat, by=request.user, **data)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, f"{candidat} est inscrit(e) à la session.")
                _warn_jury(request, self.session)
                return self.back()
        return self.render_to_response(self.get_context_data(form=form))


class ConfirmView(SessionMixin, PageMixin, FormView):
    """Confirmation step of a destructive action: says what will happen, asks the reason (journaled)."""

    template_name = "examens/confirm.html"
    form_class = ReasonForm
    action = ""
    done = ""

    def target_name(self) -> str:
        return str(self.session)

    def perform(self, reason: str):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.target_name()  # 404 for an unknown target before showing anything
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return rules.DESTRUCTIVE[self.action].title

    def back_url(self):
        return reverse("examens:session_detail", args=[self.session.public_id])

    def facts(self) -> rules.DestructiveFacts:
        return selectors.destructive_facts(self.session)

    def get_context_data(self, **kwargs):
        action = rules.DESTRUCTIVE[self.action]
        return {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "consequence": action.consequence.format(name=self.target_name()),
            "details": rules.destructive_details(self.action, self.facts()),
            "button": action.button,
            "back_url": self.back_url(),
        }

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data["reason"])
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done.format(name=self.target_name()))
        return redirect(self.back_url())


class InscriptionDeleteView(ConfirmView):
    require = rules.CENTRE
    action = "unregister"
    done = "{name} a été désinscrit(e) de la session."

    @cached_property
    def inscription(self):
        return get_object_or_404(
            self.session.inscriptions.select_related("candidat"), public_id=self.kwargs["inscription_id"]
        )

    def target_name(self):
        return str(self.inscription.candidat)

    def facts(self):
        sent = self.inscription.convocation_sent_at
        return rules.DestructiveFacts(sent_on=timezone.localdate(sent) if sent else None)

    def perform(self, reason):
        services.inscription_delete(inscription=self.inscription, by=self.request.user, reason=reason)


class SessionCancelView(ConfirmView):
    require = f"{rules.CENTRE}|{rules.UD}"
    action = "cancel"
    done = "La session « {name} » est annulée."

    def perform(self, reason):
        services.session_cancel(session=self.session, by=self.request.user, actor=self.actor, reason=reason)


class SessionReturnView(ConfirmView):
    require = rules.UD
    action = "return"
    done = "La session « {name} » a été renvoyée au centre."

    def perform(self, reason):
        services.session_return(session=self.session, by=self.request.user, reason=reason)


class JuryView(SessionMixin, PageMixin, TemplateView):
    require = rules.CENTRE
    require_editable = True
    template_name = "examens/jury.html"
    page_title = "Composer le jury"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = set(self.session.jury.values_list("membre_id", flat=True))
        warn = selectors.impartiality_warnings(self.session)
        available = [
            (row, warn(row.membre)) for row in selectors.jurors_available(self.session) if row.membre.pk not in current
        ]
        jury = list(self.session.jury.select_related("membre"))
        for row in jury:
            row.warnings = warn(row.membre)
        context.update(
            session=self.session,
            available=available,
            jury=jury,
            jury_errors=selectors.jury_errors(self.session),
        )
        return context

    def post(self, request, *args, **kwargs):
        public_id = uuid_param(request.POST.get("membre"))
        membre = MembreJury.objects.filter(public_id=public_id).first() if public_id else None
        if membre is None:
            messages.error(request, "Choisissez un membre de jury dans la liste.")
        else:
            try:
                services.jury_add(session=self.session, membre=membre, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"{membre} a été ajouté(e) au jury.")
                for warning in selectors.impartiality_warnings(self.session)(membre):
                    messages.warning(request, f"{membre} : {warning}")
        return redirect("examens:jury", public_id=self.session.public_id)


class JuryRemoveView(ConfirmView):
    require = rules.CENTRE
    action = "remove_juror"
    done = "{name} a été retiré(e) du jury."

    @cached_property
    def row(self):
        return get_object_or_404(
            MembreConvoque.objects.select_related("membre"),
            session=self.session,
            membre__public_id=self.kwargs["membre_id"],
        )

    def target_name(self):
        return str(self.row.membre)

    def facts(self):
        sent = self.row.convocation_sent_at
        return rules.DestructiveFacts(
            sent_on=timezone.localdate(sent) if sent else None,
            able_jurors_after=selectors.able_jurors_without(self.session, self.row.membre_id),
        )

    def back_url(self):
        return reverse("examens:jury", args=[self.session.public_id])

    def perform(self, reason):
        services.jury_remove(row=self.row, by=self.request.user, reason=reason)


class _SessionPdfView(SessionMixin, View):
    """A printed document of the session, rendered on demand: its centre and its UD."""

    require = f"{rules.CENTRE}|{rules.UD}"
    template = ""
    operation = ""

    letters = True  # convocations: not printed while the session's convocation date is wrong

    def get(self, request, *args, **kwargs):
        if self.session.status == StatutSession.ANNULEE:
            raise PermissionDenied("La session est annulée : aucun document ne s'imprime pour elle.")
        if self.letters and self.session.status in rules.EDITABLE_STATES:
            wrong = selectors.convocation_letter_errors(self.session)
            if wrong:
                for error in wrong:
                    messages.error(request, error)
                return self.back()
        items, filename, about = self.items()
        if not items:
            messages.info(request, "Aucun document à imprimer : tous les destinataires ont une adresse e-mail.")
            return self.back()
        journal_record(action="view", obj=about, by=request.user, operation=self.operation)
        return pdf_response(render_documents(self.template, items), filename)


class ConvocationPdfView(_SessionPdfView):
    """One candidate's or one juror's convocation, to hand over or to post (no e-mail address, or asked)."""

    operation = "convocation_pdf"

    def items(self):
        if "inscription_id" in self.kwargs:
            row = get_object_or_404(
                self.session.inscriptions.select_related("candidat__commune"), public_id=self.kwargs["inscription_id"]
            )
            self.template = "convocation_candidat.typ"
            person = row.candidat
            data = imprimes.convocation_data(self.session, person=person)
        else:
            row = get_object_or_404(
                self.session.jury.select_related("membre__commune"), membre__public_id=self.kwargs["membre_id"]
            )
            self.template = "convocation_jure.typ"
            person = row.membre
            data = imprimes.convocation_data(self.session, person=person, role=imprimes.JUROR)
        return [data], f"convocation-{self.session.start_date:%Y%m%d}-{person.public_id}.pdf", person


class ConvocationsMailingView(_SessionPdfView):
    """Every convocation to post in one PDF, each addressed for a DL window envelope: by default the recipients the
    e-mail sending cannot reach (no address), all of them with ?tous=1."""

    template = "convocations_courrier.typ"
    operation = "convocations_courrier"

    def items(self):
        everyone = self.request.GET.get("tous") == "1"
        items = imprimes.mailing_data(self.session, without_email_only=not everyone)
        return items, f"convocations-courrier-{self.session.start_date:%Y%m%d}.pdf", self.session


class EmargementView(_SessionPdfView):
    """The attendance sheets of the session, one per day."""

    template = "emargement.typ"
    operation = "feuilles_emargement"
    letters = False

    def items(self):
        return imprimes.emargement_data(self.session), f"emargement-{self.session.start_date:%Y%m%d}.pdf", self.session


class PvSigneUploadView(SessionMixin, View):
    """Deposit the PV signed by the jury (a PDF), kept with the session."""

    require = f"{rules.CENTRE}|{rules.UD}"

    def post(self, request, *args, **kwargs):
        form = PvSigneForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.back()
        try:
            services.pv_signed_upload(session=self.session, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "PV signé déposé : il est conservé avec la session.")
        return self.back()


class PvSigneDownloadView(SessionMixin, View):
    require = f"{rules.CENTRE}|{rules.UD}"

    def get(self, request, *args, **kwargs):
        pv = get_object_or_404(self.session.pv_signes, public_id=kwargs["pv_id"])
        journal_record(action="view", obj=self.session, by=request.user, operation="pv_signe_consultation")
        with pv.file.open("rb") as handle:
            return pdf_response(
                handle.read(), f"pv-signe-{self.session.start_date:%Y%m%d}-{pv.created_at:%Y%m%d%H%M}.pdf"
            )


class ConvocationsSendView(SessionMixin, View):
    require = rules.CENTRE

    def post(self, request, *args, **kwargs):
        try:
            envoi = services.convocations_request(session=self.session, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if envoi.status == StatutEnvoi.EN_COURS:  # an interrupted sending, resumed
                messages.success(
                    request, "Envoi interrompu relancé : seuls les destinataires non atteints le reçoivent."
                )
            else:
                messages.success(request, "L'envoi des convocations a été lancé : suivez sa progression ci-dessous.")
        return self.back()


class ConvocationsProgressView(SessionMixin, TemplateView):
    """Polled by htmx while sending runs."""

    template_name = "examens/_envoi.html"

    def get_context_data(self, **kwargs):
        envoi: EnvoiConvocation | None = self.session.envois.first()
        running = envoi is not None and envoi.status in (StatutEnvoi.EN_ATTENTE, StatutEnvoi.EN_COURS)
        return {"session": self.session, "envoi": envoi, "running": running}


class TransitionView(SessionMixin, View):
    """Manual transitions: open the session (centre); cancelling goes through its confirmation page."""

    require = f"{rules.CENTRE}|{rules.UD}"

    def post(self, request, *args, **kwargs):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Demande incomplète.")
            return self.back()
        target = form.cleaned_data["target"]
        try:
            if target == StatutSession.EN_COURS:
                services.session_start(session=self.session, by=request.user)
            elif target == StatutSession.ANNULEE:
                # A destructive action goes through its confirmation page (what will happen, mandatory reason).
                return redirect("examens:session_cancel", public_id=self.session.public_id)
            else:
                raise ValidationError("Ce changement d'état se fait depuis l'écran prévu à cet effet.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"La session est maintenant « {dict(StatutSession.choices)[target]} ».")
        return self.back()


class ResultatsView(SessionMixin, PageMixin, FormView):
    """Results entry by the centre; after validation, correction by the session's UD with a reason."""

    require = f"{rules.CENTRE}|{rules.UD}"
    template_name = "examens/resultats.html"
    form_class = ResultatsForm

    def dispatch(self, request, *args, **kwargs):
        response = None
        if request.user.is_authenticated:
            self.session = get_object_or_404(
                selectors.sessions_visible_for(request.user), public_id=kwargs["public_id"]
            )
            self.inscription = get_object_or_404(
                self.session.inscriptions.select_related("candidat", "session__titre"),
                public_id=kwargs["inscription_id"],
            )
            self.correction = self.session.status == StatutSession.VALIDEE
        return response or super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Résultats de {self.inscription.candidat}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inscription": self.inscription, "correction": self.correction}

    def get_initial(self):
        return ResultatsForm.initial_for(self.inscription)

    def get_context_data(self, **kwargs):
        if self.correction and self.actor != rules.UD:
            raise PermissionDenied("Après validation, seule l'unité départementale corrige les résultats.")
        if not self.correction and self.actor != rules.CENTRE:
            raise PermissionDenied("Les résultats sont saisis par le centre.")
        return {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "inscription": self.inscription,
            "correction": self.correction,
            "entry_errors": []
            if self.correction
            else rules.results_entry_errors(
                status=self.session.status, start_date=self.session.start_date, today=timezone.localdate()
            ),
        }

    def post(self, request, *args, **kwargs):
        self.get_context_data()  # permission checks
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            if self.correction:
                services.results_correct(
                    inscription=self.inscription,
                    by=self.request.user,
                    reason=form.cleaned_data["reason"],
                    **form.service_kwargs(),
                )
            else:
                services.results_record(inscription=self.inscription, by=self.request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        self.inscription.refresh_from_db()
        messages.success(
            self.request,
            f"Résultats enregistrés pour {self.inscription.candidat} : {self.inscription.get_decision_display()}.",
        )
        return self.back()


class _Ligne:
    """One candidate's row of the grid: its form, its cells in the grid's CCP columns, what refused it."""

    def __init__(self, inscription, form, ccp_columns):
        self.inscription = inscription
        self.form = form
        by_id = form.ccp_by_id
        self.cells = [form[by_id[ccp.pk]] if ccp.pk in by_id else None for ccp in ccp_columns]
        self.errors: list[str] = []

    @property
    def error_id(self) -> str:
        return f"erreurs-{self.inscription.public_id}"

    @property
    def first_field_id(self) -> str:
        return next(iter(self.form)).id_for_label

    def refuse(self, errors: list[str]):
        self.errors = errors
        self.form.mark_refused(self.error_id)


class ResultatsGrilleView(SessionMixin, PageMixin, TemplateView):
    """Whole-session results grid: one row per candidate, each row checked and saved on its own (a refused row keeps
    what was typed and says why, the others are saved), through the service of the candidate's page."""

    require = rules.CENTRE
    template_name = "examens/resultats_grille.html"
    page_title = "Résultats de toute la session"

    def inscriptions(self) -> list[Inscription]:
        return list(
            self.session.inscriptions.select_related("candidat", "session__titre", "session__ccs")
            .prefetch_related("resultats")
            .order_by("candidat__name_key", "candidat__first_names", "id")
        )

    def lignes(self, data=None, keep=None) -> list[_Ligne]:
        """Rows from the database; with ``data``, bound to the posted values (``keep``: only those rows)."""
        forms = [
            (
                ins,
                ResultatsLigneForm(
                    data if keep is None or ins.pk in keep else None,
                    inscription=ins,
                    initial=ResultatsForm.initial_for(ins),
                ),
            )
            for ins in self.inscriptions()
        ]
        # Columns: the CCPs at least one candidate presents, in the title's order.
        ccps = {ccp.pk: ccp for _, form in forms for _, ccp in form.ccp_fields}
        self.ccp_columns = sorted(ccps.values(), key=lambda ccp: ccp.order)
        return [_Ligne(ins, form, self.ccp_columns) for ins, form in forms]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = kwargs.get("rows") or self.lignes()
        context.update(
            session=self.session,
            rows=rows,
            ccp_columns=self.ccp_columns,
            ccs=self.session.type == TypeSession.CCS,
            refused=[r for r in rows if r.errors],
            entry_errors=kwargs.get("entry_errors")
            or rules.results_entry_errors(
                status=self.session.status, start_date=self.session.start_date, today=timezone.localdate()
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        rows = self.lignes(request.POST)
        to_save, invalid = [], {}
        for row in rows:
            form = row.form
            if not form.has_changed():
                continue  # untouched row: nothing to check or write
            if form.is_valid():
                to_save.append((row.inscription, form.service_kwargs()))
            else:
                invalid[row.inscription.pk] = [
                    f"{form.fields[name].label.rsplit(' — ', 1)[0]} : {message}" if name != "__all__" else message
                    for name, messages_ in form.errors.items()
                    for message in messages_
                ]
        try:
            refused = services.results_record_rows(session=self.session, by=request.user, rows=to_save)
        except ValidationError as exc:  # the session itself blocks the entry: nothing saved, everything kept
            return render(request, self.template_name, self.get_context_data(rows=rows, entry_errors=exc.messages))
        saved = len(to_save) - len(refused)
        refused.update(invalid)
        if saved:
            messages.success(request, f"Résultats enregistrés pour {saved} candidat{'s' if saved > 1 else ''}.")
        if not refused:
            if not saved:
                messages.info(request, "Aucune ligne modifiée : rien à enregistrer.")
            return redirect("examens:resultats_grille", public_id=self.session.public_id)
        # Saved rows are read again (their decision), refused rows keep what was typed.
        rows = self.lignes(request.POST, keep=set(refused))
        for row in rows:
            if row.inscription.pk in refused:
                row.form.is_valid()
                row.refuse(refused[row.inscription.pk])
        return render(request, self.template_name, self.get_context_data(rows=rows))


class SubmitView(SessionMixin, View):
    require = rules.CENTRE

    def post(self, request, *args, **kwargs):
        form = SubmitForm(request.POST)
        form.is_valid()
        try:
            services.results_submit(session=self.session, by=request.user, pv_signed=form.cleaned_data["pv_signed"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Les résultats ont été transmis à l'unité départementale pour validation.")
        return self.back()


class ValidationView(SessionMixin, PageMixin, FormView):
    require = rules.UD
    template_name = "examens/validation.html"
    form_class = ValidationForm
    page_title = "Validation de la session"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "inscriptions": self.session.inscriptions.select_related("candidat").prefetch_related("resultats__ccp"),
            "jury_errors": rules.jury_step_errors("validate", selectors.jury_errors(self.session))
            if self.session.status == StatutSession.RESULTATS_SAISIS
            else [],
        }

    def form_valid(self, form):
        try:
            services.session_validate(
                session=self.session, by=self.request.user, pv_number=form.cleaned_data["pv_number"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "La session est validée : les titres et CCP sont délivrés.")
        return self.back()


class ValidationsView(PageMixin, TemplateView):
    """The UD's sessions waiting for validation, the longest waiting first; the selected ones validated in one action,
    each through the service of the session's validation page (a refused one says why, the others are validated)."""

    template_name = "examens/validations.html"
    page_title = "Sessions à valider"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_validate_sessions(request.user):
            raise PermissionDenied("La validation des sessions est réservée aux agents des unités départementales.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = Paginator(selectors.sessions_awaiting_validation(self.request.user), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        refused = kwargs.get("refused", {})
        posted = kwargs.get("posted")
        today = timezone.localdate()
        max_days = parametres.get("DELAI_SAISIE_RESULTATS_JOURS")
        for session in page_obj:
            session.results_flag = selectors.results_flag(session, today=today, max_days=max_days)
            session.waiting_days = (
                (today - timezone.localdate(session.submitted_at)).days if session.submitted_at else None
            )
            session.refusal = refused.get(session.pk, [])
            session.selected = bool(session.refusal)
            session.pv_typed = posted.get(f"pv-{session.public_id}", "") if posted is not None else ""
        context.update(page_obj=page_obj, refused=[s for s in page_obj if s.refusal])
        return context

    def post(self, request, *args, **kwargs):
        chosen = {uuid_param(value) for value in request.POST.getlist("sessions")} - {None}
        sessions = list(
            selectors.sessions_awaiting_validation(request.user).filter(public_id__in=chosen)
            if chosen
            else SessionExamen.objects.none()
        )
        if not sessions:
            messages.error(request, "Cochez au moins une session à valider.")
            return redirect("examens:validations")
        refused = services.sessions_validate(
            sessions=[(s, request.POST.get(f"pv-{s.public_id}", "")) for s in sessions], by=request.user
        )
        validated = [s for s in sessions if s.pk not in refused]
        if validated:
            names = " ; ".join(str(s) for s in validated)
            count = len(validated)
            messages.success(
                request,
                f"{count} session{'s' if count > 1 else ''} validée{'s' if count > 1 else ''} "
                f"(titres et CCP délivrés) : {names}.",
            )
        if not refused:
            return redirect("examens:validations")
        messages.error(
            request,
            f"{len(refused)} session{'s' if len(refused) > 1 else ''} non validée{'s' if len(refused) > 1 else ''} : "
            "le motif est indiqué sur la ligne.",
        )
        return self.render_to_response(self.get_context_data(refused=refused, posted=request.POST))


class ParcoursView(PageMixin, TemplateView):
    """The candidate's path: every registration and session, CCPs and titles obtained, what is missing, deadlines."""

    template_name = "examens/parcours.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_membre_jury:
                raise Http404
            self.candidat = get_object_or_404(
                candidats_visible_for(request.user), public_id=kwargs["candidat_public_id"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Parcours de {self.candidat}"

    def get_breadcrumb(self):
        return [("Sessions d'examen", reverse("examens:session_list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        journal_record(action="view", obj=self.candidat, by=self.request.user, operation="parcours_view")
        parcours = selectors.parcours(self.candidat, today=timezone.localdate())
        # Registrations in sessions out of the user's scope show the title and date only (issue #16: a centre does not
        # learn where else, by which route and with which decision the person sat; awards stay: capitalisation).
        session_ids = {ins.session_id for ins in parcours["inscriptions"]}
        visible = set(
            selectors.sessions_visible_for(self.request.user).filter(pk__in=session_ids).values_list("pk", flat=True)
        )
        context.update(candidat=self.candidat, visible_sessions=visible, **parcours)
        return context

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView, View

from ceres.core.forms import add_form_errors
from ceres.core.journal import journal_record
from ceres.core.listes import Colonne, ExportMixin
from ceres.core.pagination import BoundedPaginator
from ceres.core.ratelimit import allow, client_ip
from ceres.core.views import PageMixin, pdf_response, public
from ceres.documents import perms, rules, selectors, services, tasks
from ceres.documents.forms import (
    DuplicataForm,
    IdentityForm,
    NumberForm,
    PaperOriginalForm,
    PrintLogFilterForm,
    ReasonForm,
    SignatoryForm,
)
from ceres.documents.models import ImpressionLot, MotifDuplicata, StatutLot
from ceres.editique.pdf import render_pdf
from ceres.editique.rules import check_number, french_date, normalize_number
from ceres.examens import rules as examens_rules
from ceres.examens.enums import TypeCertification
from ceres.examens.selectors import sessions_visible_for
from ceres.jobs.services import stale_run
from ceres.personnes.lieux import lieu_naissance_texte
from ceres.referentiels import services as referentiels_services
from ceres.referentiels.models import UniteDepartementale

UD_ONLY = "Cette action est réservée aux agents de l'unité départementale de la session."


def _file_response(field, filename: str):
    if not field:
        raise Http404("Fichier absent.")
    # Read and close at once (documents are small): no file handle left to the server.
    with field.open("rb") as fh:
        return pdf_response(fh.read(), filename)


class SessionParcheminsView(PageMixin, TemplateView):
    """Parchemins of a validated session: bulk print with progress, one print per candidate, reprints."""

    template_name = "documents/session_parchemins.html"
    page_title = "Parchemins de la session"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(sessions_visible_for(request.user), public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        return [
            ("Sessions d'examen", reverse("examens:session_list")),
            (str(self.session), reverse("examens:session_detail", args=[self.session.public_id])),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certs = selectors.printable_certifications(self.session)
        prints, annulments = selectors.editions_and_annulments(certs)
        rows = [
            {
                "cert": cert,
                "prints": prints.get(cert.pk, []),
                "printed": cert.printed,
                "annulment": annulments.get(cert.pk),
            }
            for cert in certs
        ]
        context.update(
            session=self.session,
            rows=rows,
            can_print=perms.can_print(self.request.user, self.session),
            can_lift=perms.can_lift_annulment(self.request.user),
            ud=(ud := services.session_ud(self.session)),
            can_edit_signatory=ud is not None and referentiels_services.can_edit_signatory(self.request.user, ud),
            can_read_pv=perms.can_read_pv(self.request.user, self.session),
            lot=(lot := ImpressionLot.objects.filter(session=self.session).first()),
            lot_stale=_lot_stale(lot),
            pending=(pending := len(pending_certs := services.lot_pending_certifications(self.session, certs))),
            batch=min(pending, services.LOT_MAX_DOCUMENTS),
            paper_original_form=PaperOriginalForm()
            if services.needs_paper_original_answer(pending_certs[: services.LOT_MAX_DOCUMENTS])
            else None,
        )
        return context


def _printed_document(cert) -> str:
    if cert.kind == TypeCertification.CCP:
        return str(cert.ccp)
    if cert.kind == TypeCertification.CCS:
        return str(cert.ccs)
    return cert.titre.display_name


class PrintLogView(ExportMixin, PageMixin, TemplateView):
    """Print log: every printed copy (original or duplicata) of the sessions in scope, filtered, exportable."""

    template_name = "documents/impressions.html"
    page_title = "Journal des impressions"
    export_name = "impressions"
    export_personal = True
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not perms.can_read_print_log(request.user):
            raise PermissionDenied(
                "Le journal des impressions est réservé aux agents des UD, des DREETS et de la DGEFP."
            )
        return super().dispatch(request, *args, **kwargs)

    def filtered(self):
        form = PrintLogFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        return form, selectors.print_log_for(
            self.request.user, nature=filters.get("nature", ""), start=filters.get("start"), end=filters.get("end")
        )

    def export_rows(self):
        return self.filtered()[1]

    def export_columns(self):
        return [
            Colonne("Imprimé le", lambda p: p.created_at),
            Colonne("Numéro unique", lambda p: p.number),
            Colonne("Édition", lambda p: p.edition_label.capitalize()),
            Colonne("Document", lambda p: _printed_document(p.certification)),
            Colonne("N° candidat", lambda p: p.certification.candidat.numero),
            Colonne("Titulaire", lambda p: p.certification.candidat.display_name),
            Colonne("Session", lambda p: str(p.certification.session)),
            Colonne("Centre", lambda p: p.certification.session.centre.name),
            Colonne("Imprimé par", lambda p: str(p.printed_by) if p.printed_by_id else ""),
            Colonne("Lot", lambda p: f"Lot du {p.lot.created_at:%d/%m/%Y %H:%M}" if p.lot_id else "à l'unité"),
            Colonne("Motif du duplicata", lambda p: p.get_reason_display() if p.reason else ""),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, qs = self.filtered()
        page_obj = BoundedPaginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        for parchemin in page_obj:
            parchemin.document = _printed_document(parchemin.certification)
        context.update(form=form, page_obj=page_obj)
        return context


class LotRequestView(View):
    def post(self, request, public_id):
        session = get_object_or_404(sessions_visible_for(request.user), public_id=public_id)
        if not perms.can_print(request.user, session):
            raise PermissionDenied(UD_ONLY)
        form = PaperOriginalForm(request.POST)
        paper_original = form.cleaned_data["paper_original"] if form.is_valid() else None
        try:
            lot = services.lot_request(session=session, by=request.user, paper_original=paper_original)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if lot.status == StatutLot.EN_COURS:  # an interrupted lot, resumed
                messages.success(request, "Impression interrompue relancée : elle reprend là où elle s'était arrêtée.")
            else:
                messages.success(request, "Impression lancée : la progression s'affiche ci-dessous.")
        return redirect("documents:session_parchemins", public_id=session.public_id)


class LotProgressView(TemplateView):
    template_name = "documents/_lot.html"

    def get_context_data(self, **kwargs):
        lot = get_object_or_404(
            selectors.lots_visible_for(self.request.user).select_related("session"), public_id=kwargs["public_id"]
        )
        return {
            "lot": lot,
            "lot_stale": _lot_stale(lot),
            "session": lot.session,
            "can_print": perms.can_print(self.request.user, lot.session),
        }


def _lot_stale(lot: ImpressionLot | None) -> bool:
    """Running on a worker that died: the page says so and the print button resumes it."""
    return lot is not None and not lot.is_finished and stale_run(tasks.print_session_lot, lot.pk) is not None


class LotDownloadView(View):
    def get(self, request, public_id):
        lot = get_object_or_404(
            selectors.lots_visible_for(request.user).select_related("session"), public_id=public_id
        )
        if not perms.can_print(request.user, lot.session):
            raise PermissionDenied(UD_ONLY)
        journal_record(action="view", obj=lot, by=request.user, operation="lot_download")
        return _file_response(lot.file, f"parchemins-{lot.created_at:%Y%m%d-%H%M}.pdf")


class CertificationPrintView(PageMixin, TemplateView):
    """Print one certification: the original (one click), the first print of a certification awarded before
    numbering (the UD says whether a paper original exists), or a duplicata (reason, then a confirmation)."""

    template_name = "documents/print_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cert = get_object_or_404(
                selectors.certifications_visible_for(request.user).select_related("declaration_original"),
                public_id=kwargs["public_id"],
            )
            if not perms.can_print(request.user, self.cert.session):
                raise PermissionDenied(UD_ONLY)
            self.editions = sorted(self.cert.parchemins.all(), key=lambda p: p.edition)
            self.needs_declaration = (
                not self.editions and not self.cert.number and not hasattr(self.cert, "declaration_original")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        if self.editions:
            return "Imprimer un duplicata"
        return "Première impression" if self.needs_declaration else "Imprimer l'original"

    def get_breadcrumb(self):
        return [
            ("Sessions d'examen", reverse("examens:session_list")),
            ("Parchemins de la session", reverse("documents:session_parchemins", args=[self.cert.session.public_id])),
        ]

    def form_class(self):
        if self.editions:
            return DuplicataForm
        return PaperOriginalForm if self.needs_declaration else None

    def get_context_data(self, **kwargs):
        form_class = self.form_class()
        kwargs.setdefault("form", form_class() if form_class else None)
        return super().get_context_data(
            cert=self.cert,
            editions=self.editions,
            current=self.editions[-1] if self.editions else None,
            next_edition=rules.next_edition([p.edition for p in self.editions]) if self.editions else None,
            **kwargs,
        )

    def post(self, request, public_id):
        form_class = self.form_class()
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if form_class is DuplicataForm and not form.cleaned_data["confirmed"]:
            # Second step: what is about to happen, before anything is printed.
            confirm = DuplicataForm(initial={**form.cleaned_data, "confirmed": True})
            confirming = {**form.cleaned_data, "reason_label": MotifDuplicata(form.cleaned_data["reason"]).label}
            return self.render_to_response(self.get_context_data(form=confirm, confirming=confirming))
        try:
            if form_class is DuplicataForm:
                parchemin = services.parchemin_reprint(
                    certification=self.cert,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    reason_detail=form.cleaned_data["reason_detail"],
                )
            else:
                paper = form.cleaned_data["paper_original"] if form is not None else None
                parchemin = services.parchemin_issue(certification=self.cert, by=request.user, paper_original=paper)
        except ValidationError as exc:
            if form is None:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("documents:session_parchemins", public_id=self.cert.session.public_id)
            add_form_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            f"{parchemin.edition_label.capitalize()} n° {parchemin.number} imprimé : téléchargez-le ci-dessous.",
        )
        return redirect("documents:session_parchemins", public_id=self.cert.session.public_id)


class ParcheminDownloadView(View):
    def get(self, request, public_id):
        parchemin = get_object_or_404(
            selectors.parchemins_visible_for(request.user).select_related("certification__session"),
            public_id=public_id,
        )
        if not perms.can_print(request.user, parchemin.certification.session):
            raise PermissionDenied(UD_ONLY)
        journal_record(action="view", obj=parchemin, by=request.user, operation="parchemin_download")
        return _file_response(parchemin.file, f"{parchemin.number}-{parchemin.edition_code}.pdf")


class SignatoryView(PageMixin, FormView):
    """Title and name of who signs the UD's parchemins and PV: its agents (or the national administrator) set it."""

    form_class = SignatoryForm
    template_name = "documents/signataire.html"
    page_title = "Signataire des parchemins"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.ud = get_object_or_404(UniteDepartementale, public_id=kwargs["public_id"])
            if not referentiels_services.can_edit_signatory(request.user, self.ud):
                raise PermissionDenied("Le signataire se règle par les agents de l'unité départementale.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"quality": self.ud.signatory_quality, "name": self.ud.signatory_name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ud=self.ud, back=self.request.GET.get("retour", ""), **kwargs)

    def form_valid(self, form):
        try:
            referentiels_services.ud_signatory_update(
                ud=self.ud, by=self.request.user, quality=form.cleaned_data["quality"], name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Signataire enregistré : il est imprimé sur les prochains parchemins et PV.")
        back = self.request.POST.get("retour", "")
        return redirect(back if url_has_allowed_host_and_scheme(back, None) and back.startswith("/") else "/")


class SessionPvView(View):
    """PV de session as PDF, rendered on demand from the results: printed for the jury to sign at the end of the
    session (results entered), then as validated by the UD."""

    def get(self, request, public_id):
        session = get_object_or_404(sessions_visible_for(request.user), public_id=public_id)
        if not perms.can_read_pv(request.user, session):
            raise PermissionDenied("Le PV est réservé à l'unité départementale et au centre de la session.")
        if session.status not in examens_rules.PV_STATES:
            raise PermissionDenied("Le PV s'imprime à partir de l'ouverture de la session (épreuves en cours).")
        content = render_pdf("pv_session.typ", services.pv_data(session))
        return pdf_response(content, f"pv-session-{session.start_date:%Y%m%d}.pdf")


class CertificationLivretView(View):
    """Livret de certification of the holder for this title version (CCPs won, dates, sessions)."""

    def get(self, request, public_id):
        cert = get_object_or_404(selectors.certifications_visible_for(request.user), public_id=public_id)
        if not perms.can_print(request.user, cert.session):
            raise PermissionDenied(UD_ONLY)
        journal_record(action="view", obj=cert.candidat, by=request.user, operation="livret_certification")
        content = render_pdf("livret_certification.typ", services.livret_data(cert))
        return pdf_response(content, f"livret-{cert.candidat.numero}.pdf")


class _CertificationFormView(PageMixin, FormView):
    form_class = ReasonForm
    template_name = "documents/reason_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cert = get_object_or_404(
                selectors.certifications_visible_for(request.user), public_id=kwargs["public_id"]
            )
            if not self.allowed():
                raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb(self):
        return [
            ("Sessions d'examen", reverse("examens:session_list")),
            (
                "Parchemins de la session",
                reverse("documents:session_parchemins", args=[self.cert.session.public_id]),
            ),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(cert=self.cert, **kwargs)

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data["reason"])
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect("documents:session_parchemins", public_id=self.cert.session.public_id)


class CertificationAnnulView(_CertificationFormView):
    page_title = "Annuler un parchemin"
    refusal = UD_ONLY
    done = "Parchemin annulé : la page de vérification publique indique désormais « annulé »."

    def allowed(self):
        return perms.can_annul(self.request.user, self.cert.session)

    def act(self, reason):
        services.certification_annul(certification=self.cert, by=self.request.user, reason=reason)


class AnnulationLiftView(_CertificationFormView):
    page_title = "Lever l'annulation d'un parchemin"
    refusal = "Seule l'administration nationale peut lever l'annulation d'un parchemin."
    done = "Annulation levée : le parchemin est de nouveau valide."

    def allowed(self):
        return perms.can_lift_annulment(self.request.user)

    def act(self, reason):
        services.annulation_lift(certification=self.cert, by=self.request.user, reason=reason)


# --- Public verification -----------------------------------------------------------------------------------------

PAGE_LIMIT = (60, 60)  # requests per window (seconds) and per client address
IDENTITY_LIMIT = (5, 15 * 60)  # identity attempts per client address and number
NUMBER_IDENTITY_LIMIT = (20, 60 * 60)  # identity attempts per number, all addresses together


def _too_many(request, context=None):
    context = {
        "title": "Trop de demandes",
        "message": "Trop de vérifications depuis votre connexion : réessayez dans quelques minutes.",
        **(context or {}),
    }
    return render(request, "documents/limite.html", context, status=429)


@public
class VerifySearchView(PageMixin, FormView):
    page_title = "Vérifier un diplôme"
    template_name = "documents/verifier_recherche.html"
    form_class = NumberForm

    def form_valid(self, form):
        number = normalize_number(form.cleaned_data["number"])
        if not check_number(number):
            form.add_error(
                "number", "Ce numéro n'est pas valide : vérifiez sa saisie (le dernier caractère est une clé)."
            )
            return self.form_invalid(form)
        return redirect("documents:verify", number=number)


@public
class VerifyView(PageMixin, TemplateView):
    page_title = "Vérification d'un parchemin"
    template_name = "documents/verifier.html"

    def dispatch(self, request, *args, **kwargs):
        limit, window = PAGE_LIMIT
        if not allow(f"verify:{client_ip(request)}", limit=limit, window=window):
            return _too_many(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = selectors.verification(kwargs["number"], self.request.GET.get("s", ""), self.request.GET.get("e", ""))
        cert = result["certification"]
        public_facts = None
        # Numbers are sequential with a public check character: a typed number reveals only that it exists and its
        # state. The facts printed on the paper show with a valid QR signature, or once the identity is proven.
        if cert is not None and (result["edition"] is not None or kwargs.get("identity_proven")):
            candidat = cert.candidat
            public_facts = {
                "titre": cert.titre.intitule,
                "niveau": cert.titre.niveau,
                "ccp": cert.ccp.intitule if cert.ccp_id else "",
                "initiales": rules.initials(candidat.first_first_name, candidat.birth_name),
                "annee_naissance": candidat.birth_date.year,
                "date": french_date(cert.awarded_on),
            }
        context.update(result=result, facts=public_facts, form=kwargs.get("form") or IdentityForm())
        return context

    def post(self, request, *args, **kwargs):
        number = normalize_number(kwargs["number"])
        limit, window = IDENTITY_LIMIT
        if not allow(f"verify-identity:{client_ip(request)}:{number}", limit=limit, window=window):
            return _too_many(request)
        # Guesses spread over many addresses (a botnet) are bounded per parchemin too.
        limit, window = NUMBER_IDENTITY_LIMIT
        if not allow(f"verify-identity-number:{number}", limit=limit, window=window):
            return _too_many(request)
        form = IdentityForm(request.POST)
        cert = selectors.find_by_number(number) if check_number(number) else None
        proven = (
            form.is_valid()
            and cert is not None
            and rules.identity_matches(
                typed_name=form.cleaned_data["birth_name"],
                typed_birth_date=form.cleaned_data["birth_date"],
                birth_name=cert.candidat.birth_name,
                usage_name=cert.candidat.usage_name,
                birth_date=cert.candidat.birth_date,
            )
        )
        context = self.get_context_data(form=form, identity_proven=proven, **kwargs)
        cert = context["result"]["certification"]
        if form.is_valid() and cert is not None:
            candidat = cert.candidat
            if proven:
                journal_record(action="view", obj=candidat, by=None, operation="verification_identite")
                context["identity"] = {
                    "civilite": candidat.get_civility_display(),
                    "nom": candidat.birth_name.upper(),
                    "nom_usage": candidat.usage_name.upper(),
                    "prenoms": candidat.first_names_display,
                    "date_naissance": french_date(candidat.birth_date),
                    "ne": "née" if candidat.civility == "MME" else "né",
                    "lieu_naissance": lieu_naissance_texte(candidat, services.NO_BIRTH_PLACE),
                }
            else:
                form.add_error(None, "Ces informations ne correspondent pas au titulaire de ce parchemin.")
        return self.render_to_response(context)

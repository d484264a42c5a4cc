from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from ceres.core.forms import add_form_errors
from ceres.core.journal import journal_record
from ceres.core.listes import Colonne, ExportMixin
from ceres.core.pagination import BoundedPaginator
from ceres.core.ratelimit import allow, client_ip
from ceres.core.views import PageMixin, public
from ceres.documents import perms, rules, selectors, services, tasks
from ceres.documents.forms import IdentityForm, NumberForm, PrintLogFilterForm, ReasonForm
from ceres.documents.models import ImpressionLot, NatureImpression, StatutLot
from ceres.editique.pdf import render_pdf
from ceres.editique.rules import check_number, french_date, normalize_number
from ceres.examens.enums import TypeCertification
from ceres.examens.selectors import sessions_visible_for
from ceres.jobs.services import stale_run
from ceres.personnes.lieux import lieu_naissance_texte

UD_ONLY = "Cette action est réservée aux agents de l'unité départementale de la session."


def _file_response(field, filename: str):
    if not field:
        raise Http404("Fichier absent.")
    # Read and close at once (documents are small): no file handle left to the server.
    with field.open("rb") as fh:
        return _pdf_response(fh.read(), filename)


def _pdf_response(content: bytes, filename: str):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
        certs = selectors.session_certifications(self.session)
        rows = []
        for cert in certs:
            prints = sorted(cert.parchemins.all(), key=lambda p: p.created_at)
            rows.append(
                {
                    "cert": cert,
                    "prints": prints,
                    "has_original": any(p.nature == NatureImpression.ORIGINAL for p in prints),
                    "annulment": next((a for a in cert.annulations.all() if a.lifted_at is None), None),
                }
            )
        context.update(
            session=self.session,
            rows=rows,
            can_print=perms.can_print(self.request.user, self.session),
            can_lift=perms.can_lift_annulment(self.request.user),
            can_read_pv=perms.can_read_pv(self.request.user, self.session),
            lot=(lot := ImpressionLot.objects.filter(session=self.session).first()),
            lot_stale=_lot_stale(lot),
            pending=(pending := len(services.lot_pending_certifications(self.session))),
            batch=min(pending, services.LOT_MAX_DOCUMENTS),
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
            Colonne("Nature", lambda p: p.get_nature_display()),
            Colonne("Document", lambda p: _printed_document(p.certification)),
            Colonne("N° candidat", lambda p: p.certification.candidat.numero),
            Colonne("Titulaire", lambda p: p.certification.candidat.display_name),
            Colonne("Session", lambda p: str(p.certification.session)),
            Colonne("Centre", lambda p: p.certification.session.centre.name),
            Colonne("Imprimé par", lambda p: str(p.printed_by) if p.printed_by_id else ""),
            Colonne("Lot", lambda p: f"Lot du {p.lot.created_at:%d/%m/%Y %H:%M}" if p.lot_id else "à l'unité"),
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
        try:
            lot = services.lot_request(session=session, by=request.user)
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


class CertificationPrintView(View):
    """One parchemin on demand: the original the first time, a duplicata afterwards."""

    def post(self, request, public_id):
        cert = get_object_or_404(selectors.certifications_visible_for(request.user), public_id=public_id)
        if not perms.can_print(request.user, cert.session):
            raise PermissionDenied(UD_ONLY)
        has_original = cert.parchemins.filter(nature=NatureImpression.ORIGINAL).exists()
        try:
            if has_original or request.POST.get("nature") == NatureImpression.DUPLICATA:
                parchemin = services.parchemin_reprint(certification=cert, by=request.user)
            else:
                parchemin = services.parchemin_issue(certification=cert, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, f"{parchemin.get_nature_display()} n° {parchemin.number} imprimé : téléchargez-le ci-dessous."
            )
        return redirect("documents:session_parchemins", public_id=cert.session.public_id)


class ParcheminDownloadView(View):
    def get(self, request, public_id):
        parchemin = get_object_or_404(
            selectors.parchemins_visible_for(request.user).select_related("certification__session"),
            public_id=public_id,
        )
        if not perms.can_print(request.user, parchemin.certification.session):
            raise PermissionDenied(UD_ONLY)
        journal_record(action="view", obj=parchemin, by=request.user, operation="parchemin_download")
        return _file_response(parchemin.file, f"{parchemin.number}-{parchemin.nature}.pdf")


class SessionPvView(View):
    """PV de session as PDF (rendered on demand from the validated results)."""

    def get(self, request, public_id):
        session = get_object_or_404(sessions_visible_for(request.user), public_id=public_id)
        if not perms.can_read_pv(request.user, session):
            raise PermissionDenied("Le PV est réservé à l'unité départementale et au centre de la session.")
        content = render_pdf("pv_session.typ", services.pv_data(session))
        return _pdf_response(content, f"pv-session-{session.start_date:%Y%m%d}.pdf")


class CertificationLivretView(View):
    """Livret de certification of the holder for this title version (CCPs won, dates, sessions)."""

    def get(self, request, public_id):
        cert = get_object_or_404(selectors.certifications_visible_for(request.user), public_id=public_id)
        if not perms.can_print(request.user, cert.session):
            raise PermissionDenied(UD_ONLY)
        journal_record(action="view", obj=cert.candidat, by=request.user, operation="livret_certification")
        content = render_pdf("livret_certification.typ", services.livret_data(cert))
        return _pdf_response(content, f"livret-{cert.candidat.numero}.pdf")


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
    page_title = "Vérifier un parchemin"
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
        result = selectors.verification(kwargs["number"], self.request.GET.get("s", ""))
        cert = result["certification"]
        public_facts = None
        if cert is not None:
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
        context = self.get_context_data(form=form, **kwargs)
        cert = context["result"]["certification"]
        if form.is_valid() and cert is not None:
            candidat = cert.candidat
            if rules.identity_matches(
                typed_name=form.cleaned_data["birth_name"],
                typed_birth_date=form.cleaned_data["birth_date"],
                birth_name=candidat.birth_name,
                usage_name=candidat.usage_name,
                birth_date=candidat.birth_date,
            ):
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

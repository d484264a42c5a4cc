"""Reads of the sessions app: scoped by user for every list and detail page, and the checks the pages and the
services share (jury, convocations, results, registration facts)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ceres.candidats.models import Candidat
from ceres.candidats.rules import first_names_key
from ceres.candidats.selectors import candidats_search
from ceres.centres.models import Centre
from ceres.comptes.selectors import centre_ids_of
from ceres.core.dates import add_months, fr_date, last_day_after_end_of_life
from ceres.core.hooks import Hook
from ceres.core.text import fold
from ceres.examens import rules
from ceres.examens.enums import Decision, StatutSession, TypeCertification, TypeSession
from ceres.examens.models import Certification, Inscription, MembreConvoque, SessionExamen
from ceres.jurys import rules as jury_rules
from ceres.jurys.selectors import (
    juror_identity,
    jurors_to_convene,
    membre_convocation_errors,
    membres_convocation_errors,
)
from ceres.personnes.identite import normalize_name
from ceres.referentiels import parametres
from ceres.referentiels.models import Ccp

# Printed documents live in documents, above examens: documents plugs in the printable certifications of a session,
# each with ``has_original`` and ``annulled`` (DocumentsConfig.ready), for the print links of the session page.
printable_certifications = Hook("examens.printable_certifications")


def _session_filter(user) -> Q | None:
    """None = everything; Q() never matches when built from an empty set."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_admin_national:
        return None
    if user.is_agent_dreets:
        return Q(departement__region_id=user.region_id)
    if user.is_agent_ud:
        return Q(departement_id=user.ud.departement_id) if user.ud_id else Q(pk__in=[])
    if user.is_gestionnaire_centre:
        # The user's centres as constants (one small query): through the membership join PostgreSQL expected 80
        # sessions a centre and sorted all 5,600 of the biggest one; with its id it reads the (centre, date, id)
        # index backwards and stops at the page (issue #14).
        return Q(centre_id__in=centre_ids_of(user))
    if user.is_membre_jury:
        return Q(jury__membre__user=user)
    return Q(pk__in=[])


def sessions_visible_for(user) -> QuerySet[SessionExamen]:
    qs = SessionExamen.objects.select_related("centre", "site", "titre", "departement", "ccs")
    condition = _session_filter(user)
    if condition is not None:
        # A direct condition (no `id IN (subquery)`): the planner walks the (scope, start_date, id) indexes. The
        # joins cannot duplicate a session (one membership per user and centre, one convocation per juror).
        qs = qs.filter(condition)
    return qs


def sessions_awaiting_validation(user) -> QuerySet[SessionExamen]:
    """Sessions whose results the user's UD has to validate, the longest waiting first (results submitted the
    earliest; an unknown submission date first), with the count of each decision."""
    if not (getattr(user, "is_agent_ud", False) and user.ud_id):
        return SessionExamen.objects.none()
    decision = {
        name: Count("inscriptions", filter=Q(inscriptions__decision=value))
        for name, value in (
            ("reussites", Decision.REUSSITE),
            ("partielles", Decision.REUSSITE_PARTIELLE),
            ("echecs", Decision.ECHEC),
            ("absents", Decision.ABSENT),
        )
    }
    return (
        sessions_visible_for(user)
        .filter(status=StatutSession.RESULTATS_SAISIS, departement_id=user.ud.departement_id)
        .annotate(candidates=Count("inscriptions"), **decision)
        .order_by(F("submitted_at").asc(nulls_first=True), "id")
    )


def sessions_filtered(qs, *, status="", titre="", centre="", start_after=None, start_before=None):
    if status:
        qs = qs.filter(status=status)
    if titre:
        qs = qs.filter(Q(titre__intitule__icontains=titre) | Q(titre__sigle__iexact=titre))
    if centre:
        qs = qs.filter(centre__name__icontains=centre)
    if start_after:
        qs = qs.filter(start_date__gte=start_after)
    if start_before:
        qs = qs.filter(start_date__lte=start_before)
    return qs


def inscriptions_visible_for(user) -> QuerySet[Inscription]:
    return Inscription.objects.filter(session__in=sessions_visible_for(user)).select_related("session", "candidat")


def candidats_for_registration(user, *, q: str, first_name: str = "", birth_date=None):
    """Candidate search before registering: the user's own candidates by any criterion; the national file (one file
    per person for life, R7: a centre must find a candidate another centre created) only with the exact birth name,
    a first name and the birth date (issue #16: a one-letter name and a date listed everyone born that day).
    Returns (files, national) where national says whether the national file was searched."""
    own = candidats_search(user, q=q, first_name=first_name, birth_date=birth_date)
    first = first_names_key(first_name or "")
    if not (q and birth_date and first) or q.strip().replace(" ", "").isdigit():
        return own, False
    key = normalize_name(q)[:100]
    national = Candidat.objects.active().filter(birth_date=birth_date, name_key=key, first_names_key__contains=first)
    # `own` is a name search (two merged index ranges, not a QuerySet): narrowed by name, first name and birth date
    # it holds a handful of files, read by id.
    own_ids = [c.pk for c in own]
    files = Candidat.objects.filter(Q(pk__in=national.values("pk")) | Q(pk__in=own_ids))
    return files.select_related("birth_commune", "birth_country").order_by("name_key", "id"), True


def centre_sees_candidat(centre_id, candidat) -> bool:
    """Whether the centre already sees this file (it created it, or registered it once): see candidats/acces.py."""
    return candidat.created_by_centre_id == centre_id or candidat.acces.filter(scope=f"C:{centre_id}").exists()


def registrable_candidat(public_id):
    """The active file chosen in the registration search (which reaches the national file only on an exact name +
    birth date): any active, unmerged file can be registered by its unguessable public id."""
    return Candidat.objects.active().filter(public_id=public_id).first()


def _ccp_correspondences(titre_ids) -> dict[int, dict[int, set[int]]]:
    """Per title: previous-version CCP -> CCPs of this version it gives (revision arrêté, Ccp.correspond_to)."""
    mapping: dict[int, dict[int, set[int]]] = {}
    rows = Ccp.correspond_to.through.objects.filter(from_ccp__titre_id__in=list(titre_ids))
    for titre_id, new_id, old_id in rows.values_list("from_ccp__titre_id", "from_ccp_id", "to_ccp_id"):
        mapping.setdefault(titre_id, {}).setdefault(old_id, set()).add(new_id)
    return mapping


def _obtained(held: set[int], own: set[int], mapping: dict[int, set[int]]) -> set[int]:
    """CCPs of a title version given by the CCPs held: the same ones, or older ones through the correspondences."""
    return (held & own) | {new for old in held for new in mapping.get(old, ())}


def obtained_ccp_map(candidat_ids, titre, *, exclude_session=None) -> dict[int, set[int]]:
    """CCPs of `titre` each candidate holds: obtained on this version, or on a previous version through the
    correspondence table of the revision arrêté (Ccp.correspond_to). CCPs are acquired for good (R.338-5)."""
    qs = Certification.objects.current().filter(candidat_id__in=list(candidat_ids), kind=TypeCertification.CCP)
    if exclude_session is not None:
        qs = qs.exclude(session=exclude_session)
    held: dict[int, set[int]] = {}
    for candidat_id, ccp_id in qs.values_list("candidat_id", "ccp_id"):
        held.setdefault(candidat_id, set()).add(ccp_id)
    own = set(titre.ccps.values_list("pk", flat=True))
    mapping = _ccp_correspondences([titre.pk]).get(titre.pk, {})
    return {candidat_id: _obtained(ids, own, mapping) for candidat_id, ids in held.items()}


def obtained_ccp_ids(candidat, titre, *, exclude_session=None) -> set[int]:
    return obtained_ccp_map([candidat.pk], titre, exclude_session=exclude_session).get(candidat.pk, set())


def has_title(candidat, titre) -> bool:
    return (
        Certification.objects.current().filter(candidat=candidat, kind=TypeCertification.TITRE, titre=titre).exists()
    )


def last_failed_or_partial(candidat, titre, *, before: datetime.date) -> datetime.date | None:
    """End date of the latest validated session on this title where the candidate failed or partially succeeded."""
    return (
        Inscription.objects.filter(
            candidat=candidat,
            session__titre=titre,
            session__status=StatutSession.VALIDEE,
            session__end_date__lt=before,
            decision__in=[Decision.ECHEC, Decision.REUSSITE_PARTIELLE],
        )
        .order_by("-session__end_date")
        .values_list("session__end_date", flat=True)
        .first()
    )


def _last_failed_or_partial_in(inscriptions, titre, *, before: datetime.date) -> datetime.date | None:
    """last_failed_or_partial read from the candidate's registrations already loaded (with their sessions)."""
    ends = [
        ins.session.end_date
        for ins in inscriptions
        if ins.session.titre_id == titre.pk
        and ins.session.status == StatutSession.VALIDEE
        and ins.session.end_date < before
        and ins.decision in (Decision.ECHEC, Decision.REUSSITE_PARTIELLE)
    ]
    return max(ends, default=None)


@dataclass
class TitrePath:
    titre: object
    ccps_obtained: list = field(default_factory=list)  # Certification rows
    ccps_missing: list = field(default_factory=list)  # Ccp rows
    title: object = None  # Certification row
    deadlines: list[str] = field(default_factory=list)


def parcours(candidat, *, today: datetime.date) -> dict:
    """Everything a candidate went through: registrations, CCPs with date and session, titles, what is missing."""
    inscriptions = list(
        Inscription.objects.filter(candidat=candidat)
        .select_related("session__titre", "session__centre", "session__ccs")
        .prefetch_related("ccps", "resultats__ccp")
        .order_by("-session__start_date")
    )
    certifications = list(
        Certification.objects.current()
        .filter(candidat=candidat)
        .select_related("titre", "ccp", "ccs", "session")
        .order_by("awarded_on", "id")
    )
    titres = {}
    for ins in reversed(inscriptions):
        titres.setdefault(ins.session.titre_id, ins.session.titre)
    for cert in certifications:
        titres.setdefault(cert.titre_id, cert.titre)
    resit_months = parametres.get("DELAI_REPASSAGE_MOIS")
    prolongation_months = parametres.get("DELAI_PROLONGATION_MOIS")
    # Two queries for every title of the path (their CCPs, their correspondences), not a few per title.
    ccps_of: dict[int, list] = {}
    for ccp in Ccp.objects.filter(titre_id__in=list(titres)):
        ccps_of.setdefault(ccp.titre_id, []).append(ccp)
    correspondences = _ccp_correspondences(titres)
    held = {c.ccp_id for c in certifications if c.kind == TypeCertification.CCP}
    paths = []
    for titre in titres.values():
        path = TitrePath(titre=titre)
        path.ccps_obtained = [c for c in certifications if c.kind == TypeCertification.CCP and c.titre_id == titre.pk]
        path.title = next(
            (c for c in certifications if c.kind == TypeCertification.TITRE and c.titre_id == titre.pk), None
        )
        own = ccps_of.get(titre.pk, [])
        obtained = _obtained(held, {c.pk for c in own}, correspondences.get(titre.pk, {}))
        path.ccps_missing = [] if path.title else [c for c in own if c.pk not in obtained]
        if not path.title:
            last = _last_failed_or_partial_in(inscriptions, titre, before=today + datetime.timedelta(days=1))
            if last:
                deadline = fr_date(add_months(last, resit_months))
                path.deadlines.append(f"Repassage (voie formation) possible jusqu'au {deadline}.")
            if titre.end_date and path.ccps_obtained:
                limit = last_day_after_end_of_life(titre.end_date, prolongation_months)
                path.deadlines.append(
                    f"Fin de vie du titre le {fr_date(titre.end_date)} : parcours à compléter au plus tard "
                    f"le {fr_date(limit)} (délai de prolongation)."
                )
        paths.append(path)
    return {"inscriptions": inscriptions, "certifications": certifications, "paths": paths}


def convened_session_counts(membre_ids: list[int], *, since: datetime.date, until: datetime.date) -> dict[int, int]:
    """Sessions starting between since and until each juror was convened to (jurys' hook)."""
    rows = (
        MembreConvoque.objects.filter(
            membre_id__in=list(membre_ids), session__start_date__gte=since, session__start_date__lte=until
        )
        .order_by()
        .values("membre_id")
        .annotate(n=Count("session_id", distinct=True))
    )
    return {row["membre_id"]: row["n"] for row in rows}


# --- Checks shared by the pages and the services ------------------------------------------------------------------


def session_initial(today: datetime.date | None = None) -> dict:
    """Form defaults (release note R4): start today at 08:00, convocation first day at 08:00."""
    s = rules.default_schedule(today or timezone.localdate())
    return {
        "start_date": s.start_date,
        "end_date": s.end_date,
        "start_time": s.start_time,
        "convocation_date": s.convocation_date,
        "convocation_time": s.convocation_time,
    }


def registration_facts(*, session, candidat, route, ccps, vae_admissibility_date=None, training_start_date=None):
    ccps = list(ccps) if session.type != TypeSession.CCS else []
    return rules.Registration(
        session_type=session.type,
        session_start=session.start_date,
        route=route,
        targeted_ccps={c.pk: str(c) for c in ccps},
        obtained_ccps=frozenset(obtained_ccp_ids(candidat, session.titre)),
        has_title=has_title(candidat, session.titre),
        vae_admissibility_date=vae_admissibility_date,
        training_start=training_start_date,
        last_failed_or_partial=last_failed_or_partial(candidat, session.titre, before=session.start_date),
        end_of_life=session.titre.end_date,
        in_prolongation=session.in_prolongation,
        already_registered=Inscription.objects.filter(session=session, candidat=candidat).exists(),
    )


def jurors_available(session: SessionExamen, *, today: datetime.date | None = None):
    inscriptions = list(session.inscriptions.all())
    return jurors_to_convene(
        titre=session.titre,
        days=session.days,
        departement=session.departement,
        trainer_membre_ids=[i.trainer_id for i in inscriptions if i.trainer_id],
        today=today,
    )


def impartiality_warnings(session: SessionExamen, *, inscriptions=None):
    """membre -> warnings (DOMAIN §4.3, docs/decisions/0007): same employer as a candidate, employed by the examining
    centre, a free-name trainer who may be this juror. The candidates' links are read once for the session."""
    if inscriptions is None:
        inscriptions = session.inscriptions.select_related("candidat")
    candidates = [
        jury_rules.CandidateLinks(
            name=str(i.candidat),
            employer_siret=i.employer_siret,
            employer_name_key=fold(i.employer_name),
            trainer_name_key=fold(i.trainer_name),
        )
        for i in inscriptions
    ]
    centre = session.centre
    staff = set(centre.memberships.values_list("user_id", flat=True))

    def warnings(membre) -> list[str]:
        return jury_rules.juror_warnings(
            juror_identity(membre),
            candidates=candidates,
            centre_siret=centre.siret,
            centre_name_key=fold(centre.name),
            centre_staff=membre.user_id is not None and membre.user_id in staff,
        )

    return warnings


def jury_warnings(session: SessionExamen, *, inscriptions=None, jury=None) -> list[str]:
    """``inscriptions`` (with their candidate) and ``jury`` (with its members): when the caller already read them."""
    warn = impartiality_warnings(session, inscriptions=inscriptions)
    if jury is None:
        jury = session.jury.select_related("membre")
    return [f"{row.membre} : {w}" for row in jury for w in warn(row.membre)]


def _trainees(inscriptions) -> dict[int, list[str]]:
    """juror id -> the registered candidates they trained or accompanied (named in the refusal)."""
    trainees: dict[int, list[str]] = {}
    for i in inscriptions:
        if i.trainer_id:
            trainees.setdefault(i.trainer_id, []).append(str(i.candidat))
    return trainees


def membre_errors(session: SessionExamen, membre, *, inscriptions=None) -> list[str]:
    """Why this juror cannot sit on this session, in French (empty: they can): habilitation on every day, no
    conflict with a registered candidate. The precise reasons come from the jurors app."""
    if inscriptions is None:
        inscriptions = list(session.inscriptions.select_related("candidat"))
    return membre_convocation_errors(
        membre=membre, titre=session.titre, days=session.days, trainees=_trainees(inscriptions)
    )


def _jury_check(session: SessionExamen, *, inscriptions=None, jury=None) -> tuple[list[str], int]:
    """(why members of the jury cannot sit, how many can)."""
    if inscriptions is None:
        inscriptions = list(session.inscriptions.select_related("candidat"))
    if jury is None:
        jury = list(session.jury.select_related("membre"))
    by_membre = membres_convocation_errors(
        membres=[row.membre for row in jury],
        titre=session.titre,
        days=session.days,
        trainees=_trainees(inscriptions),
    )
    errors, valid = [], 0
    for row in jury:
        reasons = by_membre[row.membre_id]
        if reasons:
            errors.append(f"{row.membre} ne peut plus siéger.")
            errors += reasons
        else:
            valid += 1
    return errors, valid


def jury_errors(session: SessionExamen, *, inscriptions=None, jury=None) -> list[str]:
    """Re-checked whenever dates or candidates change: habilitation on every day, no conflict, at least two."""
    errors, valid = _jury_check(session, inscriptions=inscriptions, jury=jury)
    return errors + jury_rules.jury_size_errors(valid)


def able_jurors_without(session: SessionExamen, membre_id: int) -> int:
    """Members able to sit once this one is removed (the confirmation page of the removal says it)."""
    jury = [row for row in session.jury.select_related("membre") if row.membre_id != membre_id]
    return _jury_check(session, jury=jury)[1]


def destructive_facts(session: SessionExamen) -> rules.DestructiveFacts:
    """The counts the confirmation page of a cancellation or a return shows."""
    inscriptions = session.inscriptions
    return rules.DestructiveFacts(
        registered=inscriptions.count(),
        convened_candidates=inscriptions.filter(convocation_sent_at__isnull=False).count(),
        jurors=session.jury.count(),
        convened_jurors=session.jury.filter(convocation_sent_at__isnull=False).count(),
        with_results=inscriptions.exclude(decision="").count(),
    )


def convocation_letter_errors(session: SessionExamen) -> list[str]:
    """Why the convocation letters of this session would be wrong (empty: they are right): its stored convocation
    is after the start of the tests or too long before the first day (an older default, an import). Checked before
    sending or printing them; the session page says it with the way out."""
    errors = rules.convocation_date_errors(
        session.schedule, max_days_before=parametres.get("CONVOCATION_AVANCE_MAX_JOURS")
    )
    if errors:
        errors.append(
            "Corrigez la date de convocation (« Modifier la session ») avant d'envoyer ou d'imprimer les convocations."
        )
    return errors


def convocation_errors(session: SessionExamen) -> list[str]:
    errors = []
    if session.status not in rules.EDITABLE_STATES:
        errors.append(f"Les convocations d'une session « {session.get_status_display()} » ne s'envoient plus.")
    if not session.inscriptions.exists():
        errors.append("Inscrivez au moins un candidat avant d'envoyer les convocations.")
    errors += convocation_letter_errors(session)
    errors += jury_errors(session)
    return errors


def compute_outcome(inscription: Inscription, ccp_results: dict[int, str], entretien_final: str, ccs_result: str):
    session = inscription.session
    return rules.outcome(
        session_type=session.type,
        ccp_results=ccp_results,
        title_ccps=list(session.titre.ccps.values_list("pk", flat=True)),
        obtained_before=obtained_ccp_ids(inscription.candidat, session.titre, exclude_session=session),
        entretien_final=entretien_final,
        ccs_result=ccs_result or None,
        partial_success_allowed=session.titre.partial_success_allowed,
    )


def checklist(session: SessionExamen, *, pv_signed: bool | None = None, inscriptions=None, jury=None) -> list[str]:
    if inscriptions is None:
        inscriptions = session.inscriptions.select_related("candidat")
    rows = [rules.CandidateRow(str(i.candidat), i.decision, i.absence_justified) for i in inscriptions]
    return rules.finalisation_checklist(
        rows=rows,
        jury_count=session.jury.count() if jury is None else len(jury),
        pv_signed=session.pv_signed if pv_signed is None else pv_signed,
    )


# --- Issue 11: data quality of convocations, late results, past sessions recorded by the UD -------------------------


@dataclass
class ConvocationGap:
    session: SessionExamen
    days: int
    too_early: bool


def convocations_before_first_day(user, *, max_days: int) -> list[ConvocationGap]:
    """Sessions in the user's scope, neither cancelled nor validated, whose convocation precedes the first day
    (the old default put it on the creation day): listed, never rewritten (docs/decisions/0008)."""
    qs = (
        sessions_visible_for(user)
        .exclude(status__in=rules.FINAL_STATES)
        .filter(convocation_date__lt=F("start_date"))
        .order_by("start_date", "id")
    )
    rows = []
    for session in qs:
        days = rules.convocation_before_first_day(
            convocation_date=session.convocation_date, start_date=session.start_date
        )
        rows.append(ConvocationGap(session, days, days > max_days))
    return rows


def results_flag(session: SessionExamen, *, today: datetime.date, max_days: int | None = None) -> str:
    """« Résultats en retard de N j » / « Résultats transmis avec N j de retard » (rules.results_delay_flag)."""
    return rules.results_delay_flag(
        status=session.status,
        end_date=session.end_date,
        submitted_on=timezone.localdate(session.submitted_at) if session.submitted_at else None,
        today=today,
        max_days=parametres.get("DELAI_SAISIE_RESULTATS_JOURS") if max_days is None else max_days,
    )


def with_results_flags(sessions, *, today: datetime.date) -> list[SessionExamen]:
    """Attach `results_flag` (late results, rules.results_delay_flag) to each session of a list page."""
    max_days = parametres.get("DELAI_SAISIE_RESULTATS_JOURS")
    sessions = list(sessions)
    for session in sessions:
        session.results_flag = results_flag(session, today=today, max_days=max_days)
    return sessions


def centres_for_past_session(user):
    """Centres for which a UD agent may record a session that already took place: those of its département."""
    if getattr(user, "is_authenticated", False) and user.is_agent_ud and user.ud_id:
        return Centre.objects.filter(departement_id=user.ud.departement_id).order_by("name_key")
    return Centre.objects.none()

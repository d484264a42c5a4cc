"""UD validation of a session, awards numbered once (R1), return to the centre, corrections after validation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.core.journal import diff, journal_record
from ceres.editique.numbering import number_allocate
from ceres.examens import rules, selectors
from ceres.examens.enums import EntretienFinal, StatutSession, TypeCertification
from ceres.examens.models import Certification, Inscription, SessionExamen, results_correction
from ceres.examens.services._common import lock, refuse
from ceres.examens.services.creation import session_transition
from ceres.examens.services.results import results_snapshot, write_results


def _number(session: SessionExamen, year: int) -> str | None:

    return number_allocate(year=year, departement_code=session.departement.code)


RELATED = ["candidat", "titre", "session", "inscription", "ccp", "ccs"]


def _award_all(
    session: SessionExamen, *, awarded_on: datetime.date, year: int, only: Inscription | None = None
) -> list[Certification]:
    """Certifications of the validated registrations (CCPs, then the title or CCS), each numbered (R1), skipping
    what the candidate already holds. Capitalisation facts are read once for the session (a validation is a few
    dozen queries plus one locked counter step per number, not ~60 queries a candidate). `only`: one registration
    (correction after validation)."""
    registered = session.inscriptions.select_related("candidat").prefetch_related("resultats")
    inscriptions = list(registered.filter(pk=only.pk) if only is not None else registered)
    title_ccps = list(session.titre.ccps.order_by("order"))
    candidat_ids = [i.candidat_id for i in inscriptions]
    obtained = selectors.obtained_ccp_map(candidat_ids, session.titre)
    titled = set(
        Certification.objects.current()
        .filter(candidat_id__in=candidat_ids, titre=session.titre, kind=TypeCertification.TITRE)
        .values_list("candidat_id", flat=True)
    )
    created = []
    for inscription in inscriptions:
        before = obtained.get(inscription.candidat_id, set())
        result = rules.outcome(
            session_type=session.type,
            ccp_results={r.ccp_id: r.value for r in inscription.resultats.all()},
            title_ccps=[c.pk for c in title_ccps],
            obtained_before=before,
            entretien_final=inscription.entretien_final,
            ccs_result=inscription.ccs_result or None,
            partial_success_allowed=session.titre.partial_success_allowed,
        )
        common = dict(
            candidat_id=inscription.candidat_id,
            titre=session.titre,
            session=session,
            inscription=inscription,
            awarded_on=awarded_on,
        )
        for ccp in title_ccps:
            if ccp.pk in result.ccps_awarded and ccp.pk not in before:
                created.append(Certification(kind=TypeCertification.CCP, ccp=ccp, **common))
        if result.title_awarded and inscription.candidat_id not in titled:
            created.append(Certification(kind=TypeCertification.TITRE, **common))
        if result.ccs_awarded:
            created.append(Certification(kind=TypeCertification.CCS, ccs=session.ccs, **common))
    for cert in created:
        cert.number = _number(session, year)
        # Uniqueness was decided above from one read and the related rows were just loaded: skip the per-row
        # lookups; the DB constraints stay the backstop.
        cert.full_clean(exclude=RELATED, validate_unique=False, validate_constraints=False)
    Certification.objects.bulk_create(created)
    return created


@transaction.atomic
def session_validate(*, session: SessionExamen, by, pv_number: str) -> SessionExamen:
    session = lock(session)
    user_dep = by.ud.departement_id if getattr(by, "is_agent_ud", False) and by.ud_id else None
    refuse(
        rules.validation_errors(
            user_departement_id=user_dep, session_departement_id=session.departement_id, pv_number=pv_number
        )
        + rules.transition_errors(session.status, StatutSession.VALIDEE, actor=rules.UD)
        + rules.jury_step_errors("validate", selectors.jury_errors(session))
    )
    now = timezone.now()
    session.pv_number = pv_number.strip()
    session.validated_at = now
    session.validated_by = by
    session.save(update_fields=["pv_number", "validated_at", "validated_by", "updated_at"])
    session = session_transition(
        session=session, target=StatutSession.VALIDEE, by=by, actor=rules.UD, jury_checked=True
    )
    count = len(_award_all(session, awarded_on=session.end_date, year=now.year))
    journal_record(
        action="other",
        obj=session,
        by=by,
        operation="session_validate",
        changes={"pv_number": session.pv_number, "certifications délivrées": count},
    )
    return session


@transaction.atomic
def sessions_validate(*, sessions: list[tuple[SessionExamen, str]], by) -> dict[int, list[str]]:
    """Bulk validation by the UD: each (session, PV number) through session_validate (same checks, awards, numbers,
    journal and notifications) in its own savepoint; a refused session is rolled back alone. Returns the refusals
    by session id (empty: every session validated)."""
    refused = {}
    for session, pv_number in sessions:
        try:
            session_validate(session=session, by=by, pv_number=pv_number)
        except ValidationError as exc:
            refused[session.pk] = exc.messages
    return refused


def session_return(*, session, by, reason) -> SessionExamen:
    return session_transition(session=session, target=StatutSession.RENVOYEE, by=by, actor=rules.UD, reason=reason)


@transaction.atomic
def results_correct(
    *,
    inscription: Inscription,
    by,
    reason: str,
    ccp_results: dict[int, str],
    entretien_final: str = EntretienFinal.SANS_OBJET,
    ccs_result: str = "",
    absence_justified: bool | None = None,
    incidents: str = "",
) -> Inscription:
    """Correction after validation: only the session's UD, with a reason; certifications withdrawn and re-awarded."""
    session = lock(inscription.session)
    errors = []
    if session.status != StatutSession.VALIDEE:
        errors.append("Seuls les résultats d'une session validée se corrigent par l'unité départementale.")
    user_dep = by.ud.departement_id if getattr(by, "is_agent_ud", False) and by.ud_id else None
    if user_dep != session.departement_id:
        errors.append("Seuls les agents de l'unité départementale de la session peuvent corriger ses résultats.")
    if not reason.strip():
        errors.append("Indiquez le motif de la correction.")
    refuse(errors)
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    before = results_snapshot(inscription)
    now = timezone.now()
    previous = list(Certification.objects.current().select_for_update().filter(inscription=inscription))
    with results_correction():
        result = write_results(
            inscription=inscription,
            ccp_results=dict(ccp_results),
            entretien_final=entretien_final,
            ccs_result=ccs_result,
            absence_justified=absence_justified,
            incidents=incidents,
        )
    # R1: a certification the corrected results still award keeps its number (and its printed parchemin); only
    # the ones no longer awarded are withdrawn. Their numbers stay attached to them and are never handed out again.
    still = {(TypeCertification.CCP, ccp_id) for ccp_id in result.ccps_awarded}
    if result.title_awarded:
        still.add((TypeCertification.TITRE, None))
    if result.ccs_awarded:
        still.add((TypeCertification.CCS, session.ccs_id))
    withdrawn = [c for c in previous if (c.kind, c.ccp_id or c.ccs_id) not in still]
    Certification.objects.filter(pk__in=[c.pk for c in withdrawn]).update(withdrawn_at=now, withdrawn_reason=reason)
    created = _award_all(session, awarded_on=session.end_date, year=now.year, only=inscription)
    changes = diff(before, results_snapshot(inscription))
    if withdrawn or created:
        kept = [c for c in previous if c not in withdrawn]
        changes["certifications"] = {
            "avant": [f"{c} (n° {c.number})" for c in previous],
            "après": [f"{c} (n° {c.number})" for c in kept + created],
        }
    journal_record(
        action="update", obj=inscription, by=by, changes=changes, operation="results_correct", reason=reason
    )
    return inscription

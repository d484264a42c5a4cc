"""Session creation, edition and status changes (R4 schedule, title examinability, agrément in force)."""

import datetime

from django.db import transaction
from django.utils import timezone

from ceres.centres.selectors import agrement_for_session
from ceres.core.journal import diff, journal_record, snapshot
from ceres.examens import notifications, rules
from ceres.examens.enums import StatutSession, TypeSession
from ceres.examens.models import SessionExamen
from ceres.examens.services._common import lock, refuse
from ceres.referentiels import parametres

SESSION_FIELDS = [
    "site",
    "start_date",
    "end_date",
    "start_time",
    "convocation_date",
    "convocation_time",
    "responsable",
    "planned_candidates",
    "remote",
]


def session_checks(
    *, centre, site, titre, type, ccs, start_date, end_date, recorded_on: datetime.date, schedule=None
) -> tuple[object, bool, list[str]]:
    """(agrément, in_prolongation, errors) for the session creation rules."""
    errors = list(rules.schedule_errors(schedule)) if schedule else []
    if site.centre_id != centre.pk:
        errors.append("Ce site n'appartient pas au centre.")
    if end_date < start_date:
        return None, False, errors
    examinable = rules.title_examinability(
        end_of_life=titre.end_date,
        last_day=end_date,
        centre_type=centre.type,
        recorded_on=recorded_on,
        prolongation_months=parametres.get("DELAI_PROLONGATION_MOIS"),
        cfa_crp_months=parametres.get("PROLONGATION_CFA_CRP_MOIS"),
    )
    errors += examinable.errors
    extended = None
    if examinable.in_prolongation and titre.end_date:
        months = (
            parametres.get("PROLONGATION_CFA_CRP_MOIS")
            if centre.type in rules.CFA_CRP_TYPES
            else parametres.get("DELAI_PROLONGATION_MOIS")
        )
        extended = rules.add_months(titre.end_date, months) - datetime.timedelta(days=1)
    agrement, reasons = agrement_for_session(
        centre=centre,
        site=site,
        titre=titre,
        days=rules.session_days(start_date, end_date),
        ccs=ccs if type == TypeSession.CCS else None,
        extended_end_date=extended,
    )
    errors += reasons
    return agrement, examinable.in_prolongation, errors


@transaction.atomic
def session_create(
    *,
    centre,
    site,
    titre,
    type: str,
    start_date,
    end_date,
    start_time,
    convocation_date,
    convocation_time,
    responsable,
    by,
    ccps=(),
    ccs=None,
    planned_candidates: int = 1,
    remote: bool = False,
    today: datetime.date | None = None,
) -> SessionExamen:
    today = today or timezone.localdate()
    schedule = rules.Schedule(start_date, end_date, start_time, convocation_date, convocation_time)
    errors = []
    if type == TypeSession.CCP and not ccps:
        errors.append("Choisissez au moins un CCP pour une session CCP.")
    if type == TypeSession.CCS and ccs is None:
        errors.append("Choisissez le CCS de la session.")
    if any(c.titre_id != titre.pk for c in ccps) or (ccs is not None and ccs.titre_id != titre.pk):
        errors.append("Les CCP et CCS choisis doivent appartenir au titre de la session.")
    agrement, in_prolongation, more = session_checks(
        centre=centre,
        site=site,
        titre=titre,
        type=type,
        ccs=ccs,
        start_date=start_date,
        end_date=end_date,
        recorded_on=today,
        schedule=schedule,
    )
    refuse(errors + more)
    session = SessionExamen(
        centre=centre,
        site=site,
        agrement=agrement,
        departement=centre.departement,
        titre=titre,
        type=type,
        ccs=ccs if type == TypeSession.CCS else None,
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        convocation_date=convocation_date,
        convocation_time=convocation_time,
        responsable=responsable,
        planned_candidates=planned_candidates,
        remote=remote,
        in_prolongation=in_prolongation,
        created_by=by,
    )
    session.full_clean()
    session.save()
    if type == TypeSession.CCP:
        session.ccps.set(ccps)
    journal_record(action="create", obj=session, by=by, changes=snapshot(session), operation="session_create")
    return session


@transaction.atomic
def session_update(*, session: SessionExamen, by, **data) -> SessionExamen:
    session = lock(session)
    if session.status not in rules.EDITABLE_STATES:
        refuse([f"Une session « {session.get_status_display()} » ne se modifie plus."])
    before = snapshot(session, SESSION_FIELDS)
    for name, value in data.items():
        if name not in SESSION_FIELDS:
            raise ValueError(name)
        setattr(session, name, value)
    agrement, in_prolongation, errors = session_checks(
        centre=session.centre,
        site=session.site,
        titre=session.titre,
        type=session.type,
        ccs=session.ccs,
        start_date=session.start_date,
        end_date=session.end_date,
        recorded_on=session.created_at.date(),
        schedule=session.schedule,
    )
    refuse(errors)
    session.agrement = agrement
    session.in_prolongation = in_prolongation
    session.full_clean()
    session.save()
    changes = diff(before, snapshot(session, SESSION_FIELDS))
    if changes:
        journal_record(action="update", obj=session, by=by, changes=changes, operation="session_update")
    if set(changes) & rules.CONVOCATION_FIELDS and (
        session.inscriptions.filter(convocation_sent_at__isnull=False).exists()
        or session.jury.filter(convocation_sent_at__isnull=False).exists()
    ):
        # The letters already sent carry the old dates or place: every recipient is convened again.
        reset = {"convocation_sent_at": None, "convocation_attempts": 0, "convocation_error": ""}
        session.inscriptions.update(**reset)
        session.jury.update(**reset)
        if session.status == StatutSession.CONVOCATIONS_ENVOYEES:
            reason = "Dates ou lieu modifiés : les convocations doivent être renvoyées."
            session = session_transition(
                session=session, target=StatutSession.EN_PREPARATION, by=by, actor=rules.SYSTEM, reason=reason
            )
    return session


@transaction.atomic
def session_transition(*, session: SessionExamen, target: str, by, actor: str, reason: str = "") -> SessionExamen:
    session = lock(session)
    refuse(rules.transition_errors(session.status, target, actor=actor, reason=reason))
    before = session.status
    session.status = target
    session.status_reason = reason
    session.full_clean()
    session.save(update_fields=["status", "status_reason", "updated_at"])
    journal_record(
        action="update",
        obj=session,
        by=by,
        changes={"status": {"avant": before, "après": target}},
        operation=f"session_{target}",
        reason=reason,
    )
    notifications.session_status_changed(session)
    return session


def session_cancel(*, session, by, actor, reason) -> SessionExamen:
    return session_transition(session=session, target=StatutSession.ANNULEE, by=by, actor=actor, reason=reason)


def session_start(*, session, by, today: datetime.date | None = None) -> SessionExamen:
    refuse(rules.start_errors(start_date=session.start_date, today=today or timezone.localdate()))
    return session_transition(session=session, target=StatutSession.EN_COURS, by=by, actor=rules.CENTRE)

"""Session creation, edition and status changes (R4 schedule, title examinability, agrément in force)."""

import datetime
from typing import cast

from django.db import transaction
from django.utils import timezone

from ceres.centres.models import Agrement
from ceres.centres.selectors import agrement_for_session
from ceres.core.journal import diff, journal_record, snapshot
from ceres.examens import notifications, rules, selectors
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
) -> tuple[Agrement | None, bool, list[str]]:
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
        extended = rules.prolongation_last_day(
            end_of_life=titre.end_date,
            centre_type=centre.type,
            prolongation_months=parametres.get("DELAI_PROLONGATION_MOIS"),
            cfa_crp_months=parametres.get("PROLONGATION_CFA_CRP_MOIS"),
        )
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
    responsable,
    by,
    convocation_date=None,
    convocation_time=None,
    ccps=(),
    ccs=None,
    planned_candidates: int = 1,
    remote: bool = False,
    actor: str = rules.CENTRE,
    reason: str = "",
    today: datetime.date | None = None,
) -> SessionExamen:
    """`convocation_date`/`convocation_time` None: the convocation follows the first day at 08:00 (R4); one of
    them alone completes the following one. `actor` UD: a session already past may be recorded, with a reason kept
    in the journal."""
    today = today or timezone.localdate()
    requested = None
    if convocation_date is not None or convocation_time is not None:
        requested = (convocation_date, convocation_time)
    convocation = rules.next_convocation(start_date=start_date, start_time=start_time, requested=requested)
    schedule = rules.Schedule(start_date, end_date, start_time, convocation.date, convocation.time)
    errors = rules.past_date_errors(start_date=start_date, today=today, actor=actor, reason=reason)
    errors += _convocation_lead_errors(schedule, convocation)
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
        convocation_date=convocation.date,
        convocation_time=convocation.time,
        convocation_explicit=convocation.explicit,
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
    journal_record(
        action="create",
        obj=session,
        by=by,
        changes=snapshot(session),
        operation="session_create",
        reason=reason if start_date < today else "",
    )
    return session


def _convocation_lead_errors(schedule: rules.Schedule, convocation: rules.Convocation) -> list[str]:
    if not convocation.explicit:
        return []
    return rules.convocation_lead_errors(schedule, max_days_before=parametres.get("CONVOCATION_AVANCE_MAX_JOURS"))


@transaction.atomic
def session_update(*, session: SessionExamen, by, today: datetime.date | None = None, **data) -> SessionExamen:
    """Convocation left out or None: it follows the new first day unless the user had set it (R4, issue 11)."""
    session = lock(session)
    if session.status not in rules.EDITABLE_STATES:
        refuse([f"Une session « {session.get_status_display()} » ne se modifie plus."])
    before = snapshot(session, SESSION_FIELDS)
    old_start = session.start_date
    convocation_date, convocation_time = data.pop("convocation_date", None), data.pop("convocation_time", None)
    for name, value in data.items():
        if name not in SESSION_FIELDS:
            raise ValueError(name)
        setattr(session, name, value)
    current = rules.Convocation(session.convocation_date, session.convocation_time, session.convocation_explicit)
    requested = None
    if convocation_date is not None or convocation_time is not None:
        requested = (convocation_date, convocation_time)
    convocation = rules.next_convocation(
        start_date=session.start_date, start_time=session.start_time, requested=requested, current=current
    )
    session.convocation_date, session.convocation_time = convocation.date, convocation.time
    session.convocation_explicit = convocation.explicit
    early = []
    if session.start_date != old_start:
        early = rules.past_date_errors(
            start_date=session.start_date, today=today or timezone.localdate(), actor=rules.CENTRE
        )
    early += _convocation_lead_errors(session.schedule, convocation)
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
    refuse(early + errors)
    session.agrement = cast(Agrement, agrement)  # without one, refuse() above raised
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
def session_transition(
    *, session: SessionExamen, target: str, by, actor: str, reason: str = "", jury_checked: bool = False
) -> SessionExamen:
    """``jury_checked``: the caller has just refused a jury in error, under the same lock, with its other reasons
    (results submission, validation): not read twice."""
    session = lock(session)
    refuse(rules.transition_errors(session.status, target, actor=actor, reason=reason))
    if not jury_checked and (step := rules.JURY_STEP_BY_TARGET.get(StatutSession(target))):
        refuse(rules.jury_step_errors(step, selectors.jury_errors(session)))
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
    # session_transition re-checks the jury (rules.JURY_STEP_BY_TARGET).
    return session_transition(session=session, target=StatutSession.EN_COURS, by=by, actor=rules.CENTRE)

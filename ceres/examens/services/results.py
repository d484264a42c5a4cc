"""Entering the results of a session and submitting them to the UD (finalisation checklist)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.core.journal import diff, journal_record, snapshot
from ceres.examens import rules, selectors
from ceres.examens.enums import Decision, EntretienFinal, StatutSession
from ceres.examens.models import RESULT_FIELDS, Inscription, ResultatCcp, SessionExamen
from ceres.examens.services._common import lock, refuse
from ceres.examens.services.creation import session_transition


def write_results(*, inscription, ccp_results, entretien_final, ccs_result, absence_justified, incidents):
    targeted = set(inscription.ccps.values_list("pk", flat=True))
    unknown = set(ccp_results) - targeted
    if unknown:
        refuse(["Un résultat porte sur un CCP que le candidat ne présentait pas."])
    for ccp_id in targeted:
        ccp_results.setdefault(ccp_id, "")
    result = selectors.compute_outcome(inscription, ccp_results, entretien_final, ccs_result)
    refuse(result.errors)
    for ccp_id, value in ccp_results.items():
        ResultatCcp.objects.update_or_create(inscription=inscription, ccp_id=ccp_id, defaults={"value": value})
    inscription.entretien_final = entretien_final
    inscription.ccs_result = ccs_result or ""
    inscription.decision = result.decision
    inscription.absence_justified = absence_justified if result.decision == Decision.ABSENT else None
    inscription.incidents = incidents
    inscription.full_clean()
    inscription.save()
    return result


def results_snapshot(inscription):
    data = snapshot(inscription, list(RESULT_FIELDS))
    data["ccp"] = {str(r.ccp): r.value for r in inscription.resultats.select_related("ccp")}
    return data


def _refuse_entry(session: SessionExamen, today: datetime.date | None) -> None:
    """What blocks the entry of a whole session (its state, its first day, its jury)."""
    refuse(
        rules.results_entry_errors(
            status=session.status, start_date=session.start_date, today=today or timezone.localdate()
        )
    )
    refuse(rules.jury_step_errors("results", selectors.jury_errors(session)))


@transaction.atomic
def results_record(
    *,
    inscription: Inscription,
    by,
    ccp_results: dict[int, str],
    entretien_final: str = EntretienFinal.SANS_OBJET,
    ccs_result: str = "",
    absence_justified: bool | None = None,
    incidents: str = "",
    today: datetime.date | None = None,
) -> Inscription:
    _refuse_entry(lock(inscription.session), today)
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    before = results_snapshot(inscription)
    write_results(
        inscription=inscription,
        ccp_results=dict(ccp_results),
        entretien_final=entretien_final,
        ccs_result=ccs_result,
        absence_justified=absence_justified,
        incidents=incidents,
    )
    changes = diff(before, results_snapshot(inscription))
    if changes:
        journal_record(action="update", obj=inscription, by=by, changes=changes, operation="results_record")
    return inscription


@transaction.atomic
def results_record_rows(
    *, session: SessionExamen, by, rows: list[tuple[Inscription, dict]], today: datetime.date | None = None
) -> dict[int, list[str]]:
    """Whole-session grid: what blocks the session refuses the grid at once; then each row goes through
    results_record (same rules, same journal) in its own savepoint, so a refused row is rolled back alone and the
    others are saved. Returns the refusals by inscription id (empty: every row saved)."""
    _refuse_entry(lock(session), today)
    refused = {}
    for inscription, values in rows:
        if inscription.session_id != session.pk:
            raise ValueError("Inscription d'une autre session.")
        try:
            results_record(inscription=inscription, by=by, today=today, **values)
        except ValidationError as exc:
            refused[inscription.pk] = exc.messages
    return refused


@transaction.atomic
def results_submit(*, session: SessionExamen, by, pv_signed: bool) -> SessionExamen:
    session = lock(session)
    # The jury's own reasons first; the checklist may repeat its size sentence: said once.
    errors = rules.jury_step_errors("submit", selectors.jury_errors(session))
    refuse(list(dict.fromkeys(errors + selectors.checklist(session, pv_signed=pv_signed))))
    session.pv_signed = True
    session.submitted_at = timezone.now()
    session.save(update_fields=["pv_signed", "submitted_at", "updated_at"])
    return session_transition(
        session=session, target=StatutSession.RESULTATS_SAISIS, by=by, actor=rules.CENTRE, jury_checked=True
    )

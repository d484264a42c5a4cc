"""Composition of the jury of a session: add or remove a convened juror."""

from django.db import transaction

from ceres.core.journal import journal_record
from ceres.examens import rules, selectors
from ceres.examens.models import MembreConvoque, SessionExamen
from ceres.examens.services._common import lock, refuse

# Journal keys that are not model fields: never a reverse relation's name ("jury", "certifications"), so the
# history panel shows them as plain labels.
JURY_KEY = "membre du jury"


@transaction.atomic
def jury_add(*, session: SessionExamen, membre, by) -> MembreConvoque:
    session = lock(session)
    if session.status not in rules.EDITABLE_STATES:
        refuse([f"Le jury d'une session « {session.get_status_display()} » ne se modifie plus."])
    if MembreConvoque.objects.filter(session=session, membre=membre).exists():
        refuse([f"{membre} fait déjà partie du jury."])
    refuse(selectors.membre_errors(session, membre))
    row = MembreConvoque(session=session, membre=membre, added_by=by)
    row.full_clean()
    row.save()
    journal_record(
        action="create",
        obj=session,
        by=by,
        changes={JURY_KEY: {"avant": None, "après": str(membre)}},
        operation="jury_add",
    )
    return row


@transaction.atomic
def jury_remove(*, row: MembreConvoque, by) -> None:
    session = lock(row.session)
    if session.status not in rules.EDITABLE_STATES:
        refuse([f"Le jury d'une session « {session.get_status_display()} » ne se modifie plus."])
    journal_record(
        action="update",
        obj=session,
        by=by,
        changes={JURY_KEY: {"avant": str(row.membre), "après": None}},
        operation="jury_remove",
    )
    row.delete()

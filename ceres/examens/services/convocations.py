"""Sending the convocations of a session (background task, examens.tasks)."""

from django.db import transaction

from ceres.core.journal import journal_record

# The module, not the task: tasks.py calls session_transition, so the task is read when the sending is queued.
from ceres.examens import selectors, tasks
from ceres.examens.enums import StatutEnvoi
from ceres.examens.models import EnvoiConvocation, SessionExamen
from ceres.examens.services._common import lock, refuse
from ceres.jobs.services import resume_if_stale


@transaction.atomic
def convocations_request(*, session: SessionExamen, by) -> EnvoiConvocation:
    """Queue the sending (background task). Idempotent: only recipients not yet convened are sent."""
    session = lock(session)
    refuse(selectors.convocation_errors(session))
    running = session.envois.filter(status__in=[StatutEnvoi.EN_ATTENTE, StatutEnvoi.EN_COURS])
    for envoi in running:
        # Its worker died (no heartbeat): the same sending resumes, sending only to whom it has not reached.
        if resume_if_stale(tasks.send_convocations, envoi.pk):
            journal_record(action="other", obj=session, by=by, operation="convocations_resume")
            return envoi
    if running.exists():
        refuse(["Un envoi de convocations est déjà en cours pour cette session."])
    envoi = EnvoiConvocation.objects.create(session=session, requested_by=by)
    journal_record(action="other", obj=session, by=by, operation="convocations_request")
    transaction.on_commit(lambda: _enqueue(tasks.send_convocations, envoi))
    return envoi


def _enqueue(task, envoi):
    result = task.enqueue(envoi.pk)
    EnvoiConvocation.objects.filter(pk=envoi.pk, task_id="").update(task_id=str(result.id)[:64])

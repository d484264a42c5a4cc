"""Crash-safe background work on top of django-tasks' database queue.

A worker (our ``db_worker``, see management/commands/db_worker.py) beats every HEARTBEAT_EVERY seconds for the
task it runs. A RUNNING task whose worker stopped beating for CERES_TASK_STALE_AFTER seconds (process killed,
machine lost) is **taken over**: its result row is marked failed (« worker perdu ») and the same task with the same
arguments is enqueued again, so any live worker resumes it. Tasks are written to resume: each item is done in its
own transaction under a row lock and never redone (documents/tasks.py, examens/tasks.py), so a takeover, a user's
relaunch, or even a presumed-dead worker that was only frozen and wakes up, never duplicates a number, a file or an
e-mail.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from ceres.jobs.models import TaskHeartbeat

logger = logging.getLogger(__name__)
HEARTBEAT_EVERY = 15  # seconds; CERES_TASK_STALE_AFTER must stay several beats above it
WORKER_LOST = "ceres.jobs.services.WorkerLost"


class WorkerLost(Exception):
    """Recorded on the result of a task whose worker died (no heartbeat)."""


def stale_after() -> timedelta:
    return timedelta(seconds=settings.CERES_TASK_STALE_AFTER)


def beat(task_id, worker_id: str) -> None:
    TaskHeartbeat.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id[:64], "beat_at": timezone.now()}
    )


def forget(task_id) -> None:
    TaskHeartbeat.objects.filter(task_id=task_id).delete()


def stale_tasks(*, now=None):
    """RUNNING tasks whose worker is silent: last beat too old, or never beat and started too long ago."""
    limit = (now or timezone.now()) - stale_after()
    beats = TaskHeartbeat.objects.filter(task_id=OuterRef("pk"))
    return DBTaskResult.objects.running().filter(
        Q(Exists(beats.filter(beat_at__lt=limit))) | (~Exists(beats) & Q(started_at__lt=limit))
    )


def stale_run(task, *args) -> DBTaskResult | None:
    """The running task(*args) whose worker died, if any (shown on the page that launched it)."""
    for row in stale_tasks().filter(task_path=task.module_path).only("pk", "args_kwargs"):
        if row.args_kwargs.get("args") == list(args):
            return row
    return None


def resume_if_stale(task, *args) -> bool:
    """The user's relaunch: the run of task(*args) whose worker died is enqueued again now. False if none is stale
    (still running fine, or already taken over by a worker)."""
    row = stale_run(task, *args)
    return row is not None and bool(take_over(only=row.pk, by="relance"))


def take_over(*, only=None, by: str = "") -> list[tuple[str, str]]:
    """Re-enqueue every stale task (or only the given task id if it is stale); returns (old id, new id) pairs.

    Rows are taken with SKIP LOCKED: two workers noticing the same dead one at the same time re-enqueue it once.
    """
    taken = []
    with transaction.atomic():
        candidates = stale_tasks()
        if only is not None:
            candidates = candidates.filter(pk=only)
        for old in candidates.select_for_update(skip_locked=True):
            old.status = "FAILED"
            old.finished_at = timezone.now()
            old.exception_class_path = WORKER_LOST
            old.traceback = (
                f"Worker perdu (aucun battement depuis {settings.CERES_TASK_STALE_AFTER} s) : tâche reprise"
            )
            old.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            forget(old.pk)
            new = _enqueue_again(old)
            taken.append((str(old.pk), str(new.id)))
            logger.warning(
                "tâche reprise après la perte de son worker",
                extra={"task": old.task_path, "old_task_id": str(old.pk), "new_task_id": str(new.id), "by": by},
            )
    return taken


def _enqueue_again(old: DBTaskResult):
    task = import_string(old.task_path)
    args = old.args_kwargs.get("args", [])
    kwargs = old.args_kwargs.get("kwargs", {})
    return task.using(queue_name=old.queue_name, priority=old.priority, backend=old.backend_name).enqueue(
        *args, **kwargs
    )

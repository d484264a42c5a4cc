"""Takeover of tasks whose worker died (the kill -9 test on PostgreSQL is tests/jobs/test_worker_crash.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ceres.jobs import services
from tests.jobs.tasks import noted


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CERES_TASK_STALE_AFTER = 120


def _running(started_ago: int) -> DBTaskResult:
    result = noted.enqueue(7)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-mort")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(seconds=started_ago))
    return row


def test_task_of_a_silent_worker_is_enqueued_again_with_the_same_arguments():
    row = _running(started_ago=600)
    services.beat(row.pk, "worker-mort")
    services.TaskHeartbeat.objects.filter(pk=row.pk).update(beat_at=timezone.now() - timedelta(seconds=300))

    [(old_id, new_id)] = services.take_over(by="worker-vivant")

    old = DBTaskResult.objects.get(pk=old_id)
    assert old.status == "FAILED" and old.exception_class_path == services.WORKER_LOST
    new = DBTaskResult.objects.get(pk=new_id)
    assert new.status == "READY" and new.args_kwargs == {"args": [7], "kwargs": {}}
    assert new.task_path == old.task_path
    assert not services.TaskHeartbeat.objects.filter(pk=row.pk).exists()
    assert services.take_over() == []  # taken once


def test_task_of_a_beating_worker_is_left_alone_however_long_it_runs():
    row = _running(started_ago=3600)
    services.beat(row.pk, "worker-lent")
    assert services.take_over() == []
    assert DBTaskResult.objects.get(pk=row.pk).status == "RUNNING"


def test_task_that_never_beat_is_taken_over_only_after_the_delay():
    young = _running(started_ago=10)
    old = _running(started_ago=300)
    assert [pair[0] for pair in services.take_over()] == [str(old.pk)]
    assert DBTaskResult.objects.get(pk=young.pk).status == "RUNNING"


def test_relaunch_by_the_user_resumes_only_that_run_and_only_if_its_worker_died():
    dead = _running(started_ago=600)
    assert services.resume_if_stale(noted, 8) is False  # no run of noted(8)
    assert services.resume_if_stale(noted, 7) is True
    assert DBTaskResult.objects.get(pk=dead.pk).status == "FAILED"
    assert DBTaskResult.objects.filter(status="READY", args_kwargs__args=[7]).count() == 1
    _running(started_ago=5)
    assert services.resume_if_stale(noted, 7) is False  # still beating within the delay: left alone

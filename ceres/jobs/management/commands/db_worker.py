"""django-tasks-db's ``db_worker``, plus a heartbeat and the takeover of tasks whose worker died.

Same options and behaviour as the original (it is the same Worker class, extended): ``ceres.jobs`` is listed before
``django_tasks_db`` in INSTALLED_APPS so ``manage.py db_worker`` runs this one. A daemon thread, with its own
database connection, beats every CERES_TASK_HEARTBEAT seconds for the task being run and re-enqueues tasks of dead
workers (ceres/jobs/services.py); an idle worker keeps watching too, so a lone worker restarted after a crash
resumes what its previous life left.
"""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from ceres.jobs import services

logger = logging.getLogger("ceres.jobs")


class Heart(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="ceres-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.current = None
        self.wake = threading.Event()
        self.stopped = False

    def run(self):
        while not self.stopped:
            try:
                if self.current is not None:
                    services.beat(self.current, self.worker_id)
                services.take_over(by=self.worker_id)
            except Exception:  # noqa: BLE001 - a lost database must not kill the worker; retried next beat
                logger.exception("battement du worker impossible")
            finally:
                connection.close()
            self.wake.wait(settings.CERES_TASK_HEARTBEAT)
            self.wake.clear()

    def stop(self):
        self.stopped = True
        self.wake.set()


class HeartbeatWorker(Worker):
    def run(self) -> None:
        self.heart = Heart(self.worker_id)
        self.heart.start()
        try:
            return super().run()
        finally:
            self.heart.stop()

    def run_task(self, db_task_result) -> None:
        services.beat(db_task_result.pk, self.worker_id)  # before any work: a crash from now on is noticed
        self.heart.current = db_task_result.pk
        try:
            super().run_task(db_task_result)
        finally:
            self.heart.current = None
            services.forget(db_task_result.pk)


class Command(DatabaseWorkerCommand):
    help = "Worker de tâches de fond : file en base, battement, reprise des tâches des workers disparus."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64])

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):  # fmt: skip
        self.configure_logging(verbosity)
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()

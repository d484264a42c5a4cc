"""A real ``db_worker`` killed with SIGKILL in the middle of a lot and of a sending; another worker finishes the job.

What production saw before (issue #15): the lot stayed « en cours » forever with 45 of 150 printed, the sending left
52 of 64 convocations unsent. Here: worker A is killed (-9) after some items, worker B starts, notices that A stopped
beating, takes the task over and finishes it: every number, file and e-mail exactly once. PostgreSQL only (the
workers are separate processes sharing the test database; SQLite's test database is in memory).
"""

import email
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ceres.documents import services as documents
from ceres.documents.models import ImpressionLot, Parchemin, StatutLot
from ceres.examens import services as examens
from ceres.examens.enums import StatutEnvoi, TypeCertification
from ceres.examens.models import EnvoiConvocation
from ceres.jobs.services import WORKER_LOST
from tests.documents.factories import ud_agent, validated_session
from tests.examens.factories import (
    CertificationFactory,
    InscriptionFactory,
    MembreConvoqueFactory,
    SessionExamenFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL seulement : les workers sont d'autres processus, la base de test SQLite est en mémoire",
    ),
    pytest.mark.django_db(transaction=True),
]

LOT_SIZE = 150
RECIPIENTS = 64  # 62 candidates + 2 jurors


@pytest.fixture
def queue(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mails = tmp_path / "mails"
    mails.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "DATABASE_URL": _database_url(),
        "CERES_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CERES_TEST_MAIL_DIR": str(mails),
        "CERES_TASK_HEARTBEAT": "0.5",
        "CERES_TASK_STALE_AFTER": "3",
    }
    started = []

    def start_worker(name: str) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process below
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.1", "--no-startup-delay",
             "--worker-id", name],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, log))
        return process

    yield start_worker, mails
    for process, log in started:
        if process.poll() is None:
            process.terminate()  # SIGTERM: the worker ends its task, then stops
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"délai dépassé : {what}")


def _kill_when(process: subprocess.Popen, predicate, what: str) -> None:
    _wait(lambda: predicate() or process.poll() is not None, timeout=300, what=what)
    assert process.poll() is None, "le worker s'est arrêté avant d'être tué"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_lot_resumed_by_another_worker_after_kill_9(queue):
    start_worker, _ = queue
    session = validated_session()
    for _ in range(LOT_SIZE):  # old session: numbers are allocated at first print, by the worker
        CertificationFactory(inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE)
    lot = documents.lot_request(session=session, by=ud_agent(session), paper_original=False)
    printed = Parchemin.objects.filter(lot=lot)

    worker_a = start_worker("worker-a")
    _kill_when(worker_a, lambda: printed.count() >= 30, "30 parchemins imprimés par le worker A")
    at_kill = printed.count()
    lot.refresh_from_db()
    assert 30 <= at_kill < LOT_SIZE and lot.status == StatutLot.EN_COURS  # where production stayed stuck

    start_worker("worker-b")
    _wait(lambda: ImpressionLot.objects.get(pk=lot.pk).is_finished, timeout=300, what="lot terminé par B")

    lot.refresh_from_db()
    assert lot.status == StatutLot.TERMINE, lot.error
    assert lot.done == LOT_SIZE and printed.count() == LOT_SIZE
    # One original per certification, numbers all different and allocated once.
    assert printed.values("certification").distinct().count() == LOT_SIZE
    numbers = list(printed.values_list("number", flat=True))
    assert len(set(numbers)) == LOT_SIZE and all(numbers)
    assert sorted(numbers) == sorted(session.certifications.values_list("number", flat=True))
    # Every file stored once, with its recorded SHA-256; the lot file holds every page.
    media = Path(settings.MEDIA_ROOT)
    for parchemin in printed:
        assert hashlib.sha256((media / parchemin.file.name).read_bytes()).hexdigest() == parchemin.sha256
    from pypdf import PdfReader

    lot_bytes = (media / lot.file.name).read_bytes()
    assert hashlib.sha256(lot_bytes).hexdigest() == lot.sha256
    assert len(PdfReader(io.BytesIO(lot_bytes)).pages) == LOT_SIZE
    # The only possible leftover is the one document being written at the kill: found and removed as an orphan.
    referenced = {p.file.name for p in printed} | {lot.file.name}
    stored = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}
    assert referenced <= stored and len(stored - referenced) <= 1
    call_command("check_documents", "--wet-run", "--min-age-minutes", "0", stdout=io.StringIO())
    assert {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()} == referenced
    # The killed run is recorded as lost, the takeover finished the job.
    assert DBTaskResult.objects.filter(exception_class_path=WORKER_LOST).count() == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1


def test_sending_resumed_by_another_worker_after_kill_9(queue):
    start_worker, mails = queue
    session = SessionExamenFactory()
    MembreConvoqueFactory(session=session)
    MembreConvoqueFactory(session=session)
    for _ in range(RECIPIENTS - 2):
        InscriptionFactory(session=session)
    envoi = examens.convocations_request(session=session, by=session.created_by)
    sent = EnvoiConvocation.objects.filter(pk=envoi.pk)

    worker_a = start_worker("worker-a")
    _kill_when(worker_a, lambda: sent.get().sent >= 10, "10 convocations envoyées par le worker A")
    assert sent.get().status == StatutEnvoi.EN_COURS and sent.get().sent < RECIPIENTS

    start_worker("worker-b")
    _wait(lambda: sent.get().status == StatutEnvoi.TERMINE, timeout=300, what="envoi terminé par B")

    envoi.refresh_from_db()
    assert envoi.sent == RECIPIENTS and envoi.failed == 0
    recipients = []
    for path in mails.iterdir():
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                recipients.append(email.message_from_string(chunk.strip())["To"])
    expected = [i.candidat.email for i in session.inscriptions.all()] + [m.membre.email for m in session.jury.all()]
    assert sorted(recipients) == sorted(expected)  # each recipient exactly once: none lost, none twice
    assert not session.inscriptions.filter(convocation_sent_at__isnull=True).exists()
    assert DBTaskResult.objects.filter(exception_class_path=WORKER_LOST).count() == 1

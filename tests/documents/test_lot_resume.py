"""A lot whose worker died: the page says so, « Imprimer » resumes it where it stopped (kill -9 test: tests/jobs)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ceres.documents import services
from ceres.documents.models import ImpressionLot, Parchemin, StatutLot
from ceres.examens.enums import TypeCertification
from tests.documents.factories import ud_agent, validated_session
from tests.examens.factories import CertificationFactory, InscriptionFactory


def test_interrupted_lot_shown_and_resumed_without_reprinting(client):
    session = validated_session()
    certs = [
        CertificationFactory(inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE)
        for _ in range(3)
    ]
    agent = ud_agent(session)
    # What a worker killed after the first parchemin leaves: the lot « en cours », its task RUNNING, no heartbeat.
    lot = ImpressionLot.objects.create(
        session=session, requested_by=agent, total=3, status=StatutLot.EN_COURS, paper_original=False
    )
    services.parchemin_issue(certification=certs[0], by=agent, lot=lot)
    ImpressionLot.objects.filter(pk=lot.pk).update(done=1)
    DBTaskResult.objects.create(
        task_path="ceres.documents.tasks.print_session_lot",
        args_kwargs={"args": [lot.pk], "kwargs": {}},
        backend_name="default",
        status="RUNNING",
        started_at=timezone.now() - timedelta(hours=1),
        run_after=timezone.now() - timedelta(hours=1),
    )
    client.force_login(agent)
    page = client.get(reverse("documents:session_parchemins", args=[session.public_id])).content.decode()
    assert "Impression interrompue : le serveur de tâches qui l'imprimait s'est arrêté" in page

    response = client.post(reverse("documents:lot_request", args=[session.public_id]), follow=True)

    assert "Impression interrompue relancée" in response.content.decode()
    lot.refresh_from_db()
    assert lot.status == StatutLot.TERMINE and lot.done == 3
    assert Parchemin.objects.filter(lot=lot).count() == 3  # the first one was not printed again
    assert ImpressionLot.objects.count() == 1

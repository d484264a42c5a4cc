"""Background sending of convocations (django-tasks; database queue in production, immediate in tests).

Resumable and idempotent per recipient: only recipients without ``convocation_sent_at`` are sent, each under its row
lock and recorded with the sending's counter in one transaction, so running the task twice, or resuming it after its
worker died (ceres.jobs takeover or the centre's relaunch), never sends twice.
Each recipient is tried up to MAX_ATTEMPTS times; failures are recorded on the row and in the EnvoiConvocation report
shown on the session page, where the centre can relaunch the sending.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from ceres.core.dates import fr_date
from ceres.editique.pdf import render_pdf
from ceres.examens import rules
from ceres.examens.enums import StatutEnvoi, StatutSession
from ceres.examens.imprimes import convocation_data
from ceres.examens.models import EnvoiConvocation, Inscription, MembreConvoque, SessionExamen
from ceres.examens.services.creation import session_transition

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def _send_one(session: SessionExamen, row, *, juror: bool) -> None:
    person = row.membre if juror else row.candidat
    if not person.email:
        raise ValueError("pas d'adresse e-mail")
    template = "convocation_jure.typ" if juror else "convocation_candidat.typ"
    pdf = render_pdf(template, convocation_data(session, person=person, role="Membre du jury" if juror else ""))
    when = f"{fr_date(session.convocation_date)} à {session.convocation_time:%H:%M}"
    subject = f"Convocation — {session.titre.intitule} — session du {fr_date(session.start_date)}"
    body = (
        f"Bonjour,\n\nVous êtes convoqué(e) {'comme membre du jury ' if juror else ''}à la session "
        f"« {session.get_type_display()} » du titre professionnel {session.titre.intitule}, du "
        f"{fr_date(session.start_date)} au {fr_date(session.end_date)}, le {when}, au site "
        f"{session.site}.\n\nVotre convocation est jointe à ce message.\n\n{session.centre.name}"
    )
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], headers={"Message-ID": _message_id(session, row)}
    )
    message.attach(f"convocation-{session.public_id}.pdf", pdf, "application/pdf")
    message.send()


def _message_id(session: SessionExamen, row) -> str:
    """The same for every attempt at the same convocation (new dates, new convocation, new id)."""
    domain = urlsplit(settings.CERES_PUBLIC_BASE_URL).hostname or "ceres"
    when = f"{session.convocation_date:%Y%m%d}{session.convocation_time:%H%M}"
    return f"<convocation.{row._meta.model_name}.{row.pk}.{session.public_id.hex}.{when}@{domain}>"


def _label(row, juror: bool) -> str:
    return f"{'Juré' if juror else 'Candidat'} {row.membre if juror else row.candidat}"


@task()
def send_convocations(envoi_id: int) -> dict:
    envoi = EnvoiConvocation.objects.select_related("session").get(pk=envoi_id)
    if envoi.status in (StatutEnvoi.TERMINE, StatutEnvoi.ECHEC):
        return {"sent": envoi.sent, "failed": envoi.failed}
    session = envoi.session
    pending = [(row, False) for row in Inscription.objects.filter(session=session, convocation_sent_at__isnull=True)]
    pending += [
        (row, True) for row in MembreConvoque.objects.filter(session=session, convocation_sent_at__isnull=True)
    ]
    if envoi.status == StatutEnvoi.EN_ATTENTE:
        envoi.total = len(pending)
    # A resumed run (its worker died) tries the failures again: they are counted anew.
    envoi.status = StatutEnvoi.EN_COURS
    envoi.failed = 0
    envoi.save(update_fields=["status", "total", "failed", "updated_at"])
    report = []
    for row, juror in pending:
        error = _deliver(envoi, session, row, juror=juror)
        if error:
            report.append(f"{_label(row, juror)} : {error[:200]}")
    envoi.refresh_from_db()
    envoi.report = report
    envoi.status = StatutEnvoi.ECHEC if envoi.failed else StatutEnvoi.TERMINE
    envoi.finished_at = timezone.now()
    envoi.save(update_fields=["report", "status", "finished_at", "updated_at"])
    with transaction.atomic():
        locked = SessionExamen.objects.select_for_update().get(pk=session.pk)
        if not envoi.failed and locked.status == StatutSession.EN_PREPARATION:
            session_transition(
                session=locked, target=StatutSession.CONVOCATIONS_ENVOYEES, by=envoi.requested_by, actor=rules.SYSTEM
            )
    return {"sent": envoi.sent, "failed": envoi.failed}


def _deliver(envoi: EnvoiConvocation, session: SessionExamen, row, *, juror: bool) -> str:
    """Send one convocation and record it with the sending's counter, in one transaction; the error, or "".

    The row stays locked while sending: a run presumed dead that was only frozen waits, then finds it sent. Nothing
    is sent twice, except if the worker dies during the SMTP exchange itself (after the relay accepted, before the
    commit): the resumed run sends it again with the same Message-ID, recognised as a duplicate by mail clients.
    """
    with transaction.atomic():
        row = type(row).objects.select_for_update().filter(pk=row.pk, convocation_sent_at__isnull=True).first()
        if row is None:
            return ""
        error = ""
        for _attempt in range(MAX_ATTEMPTS):
            row.convocation_attempts += 1
            try:
                _send_one(session, row, juror=juror)
            except Exception as exc:  # noqa: BLE001 - any failure is reported, the others still go out
                logger.warning("convocation non envoyée (%s) : %s", _label(row, juror), exc)
                error = str(exc) or exc.__class__.__name__
                continue
            error = ""
            break
        counters = {"updated_at": timezone.now()}
        if error:
            row.convocation_error = error[:500]
            counters["failed"] = F("failed") + 1
        else:
            row.convocation_sent_at = timezone.now()
            row.convocation_error = ""
            counters["sent"] = F("sent") + 1
        row.save(update_fields=["convocation_sent_at", "convocation_error", "convocation_attempts", "updated_at"])
        EnvoiConvocation.objects.filter(pk=envoi.pk).update(**counters)  # progress shown on the session page
    return error

"""E-mails of notifications, sent by the task queue (django-tasks) and retried.

Each row is sent at most once once it is marked « envoyé »: a task run twice finds it sent and stops. A failed
attempt leaves it « à envoyer » until MAX_ATTEMPTS; `envoyer_notifications` (cron) re-queues those left behind.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ceres.notifications.enums import EtatEnvoi
from ceres.notifications.models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def _email(notification: Notification) -> EmailMessage:
    lines = [notification.body]
    if notification.link:
        lines += ["", f"{settings.CERES_PUBLIC_BASE_URL.rstrip('/')}{notification.link}"]
    lines += ["", "Vous recevez ce message de CERES, la certification des titres professionnels."]
    # The same Message-ID at every attempt: a message sent just before a crash (the row not yet marked) and sent
    # again by the resumed task is recognised as one message by mail clients (as the convocations, examens.tasks).
    domain = urlsplit(settings.CERES_PUBLIC_BASE_URL).hostname or "ceres"
    return EmailMessage(
        subject=f"[CERES] {notification.title}",
        body="\n".join(lines),
        to=[notification.user.email],
        headers={"Message-ID": f"<notification.{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}@{domain}>"},
    )


@task()
def send_notification_email(notification_id: int) -> str:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        )
        if notification is None or notification.email_status != EtatEnvoi.A_ENVOYER:
            return "rien à envoyer"
        notification.email_attempts += 1
        try:
            _email(notification).send()
        except Exception as exc:  # any transport error: recorded on the row, retried later
            logger.warning("notification %s : envoi échoué (%s)", notification.pk, type(exc).__name__)
            notification.email_error = f"{type(exc).__name__} : {exc}"[:300]
            if notification.email_attempts >= MAX_ATTEMPTS:
                notification.email_status = EtatEnvoi.ECHEC
            notification.save(update_fields=["email_attempts", "email_error", "email_status", "updated_at"])
            return "échec"
        notification.email_status = EtatEnvoi.ENVOYE
        notification.email_sent_at = timezone.now()
        notification.email_error = ""
        notification.save(
            update_fields=["email_attempts", "email_status", "email_sent_at", "email_error", "updated_at"]
        )
        return "envoyé"


def requeue_pending() -> int:
    """Queue again every e-mail still « à envoyer » (a lost task, a failed attempt)."""
    pending = list(Notification.objects.filter(email_status=EtatEnvoi.A_ENVOYER).values_list("pk", flat=True))
    for pk in pending:
        send_notification_email.enqueue(pk)
    return len(pending)

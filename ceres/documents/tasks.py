"""Bulk printing of a session's parchemins (django-tasks: database queue in production, immediate in tests).

Each document is issued (numbered, rendered, stored with its SHA-256) in its own transaction, so progress is visible
while the task runs and a failure keeps what was already printed; the lot file gathers the same pages in ONE PDF
built by one Typst compile, its memory bounded by ``services.LOT_MAX_DOCUMENTS`` documents per lot.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

# The module, not its functions: services.py queues this task (import cycle resolved at call time).
from ceres.documents import services
from ceres.documents.models import ImpressionLot, StatutLot
from ceres.editique.pdf import render_documents

logger = logging.getLogger(__name__)


@task()
def print_session_lot(lot_id: int) -> dict:
    lot = ImpressionLot.objects.select_related("session", "requested_by").get(pk=lot_id)
    if lot.is_finished:
        return {"done": lot.done}
    pending = services.lot_batch(lot.session)
    lot.status = StatutLot.EN_COURS
    lot.total = len(pending)
    lot.save(update_fields=["status", "total", "updated_at"])
    pages = []
    try:
        for cert in pending:
            parchemin = services.parchemin_issue(certification=cert, by=lot.requested_by, lot=lot)
            pages.append(services.document_data(parchemin.certification, token=parchemin.signature))
            lot.done += 1
            lot.save(update_fields=["done", "updated_at"])
        content = render_documents("lot_parchemins.typ", pages) if pages else b""
        if content:
            lot.sha256 = hashlib.sha256(content).hexdigest()
            lot.file.save(f"lot-{lot.session.public_id}-{lot.public_id}.pdf", ContentFile(content), save=False)
        lot.status = StatutLot.TERMINE
    except Exception as exc:  # noqa: BLE001 - the failure is shown on the page; printed documents stay valid
        logger.exception("impression du lot %s interrompue", lot.pk)
        lot.status = StatutLot.ECHEC
        lot.error = (getattr(exc, "messages", None) and " ".join(exc.messages)) or str(exc) or exc.__class__.__name__
    lot.finished_at = timezone.now()
    lot.save()
    return {"done": lot.done, "status": lot.status}

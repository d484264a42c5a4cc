"""Bulk printing of a session's parchemins (django-tasks: database queue in production, immediate in tests).

Resumable and idempotent per document: each parchemin is issued (numbered, rendered, stored with its SHA-256) in its
own transaction together with the lot's counter, and a certification that already has its original is skipped. A
run interrupted by a worker's death (kill -9, lost machine) is taken over by another worker (ceres.jobs) or
relaunched by the agent (services.lot_request): it prints what is left, never a number, a file or a page twice.
The lot file gathers every page of the lot, read back from the database, in ONE PDF built by one Typst compile, its
memory bounded by ``services.LOT_MAX_DOCUMENTS`` documents per lot.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from ceres.core.storage import store_once

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
    if lot.status == StatutLot.EN_ATTENTE:
        lot.total = len(services.lot_batch(lot.session))
        lot.status = StatutLot.EN_COURS
        lot.save(update_fields=["status", "total", "updated_at"])
    try:
        # Resuming: only what this lot still has to print (a big session's next documents belong to the next lot).
        remaining = max(lot.total - lot.parchemins.count(), 0)
        for cert in services.lot_batch(lot.session)[:remaining]:
            _issue_one(lot, cert)
        lot.refresh_from_db()
        _store_lot_file(lot)
        lot.status = StatutLot.TERMINE
    except Exception as exc:  # noqa: BLE001 - the failure is shown on the page; printed documents stay valid
        logger.exception("impression du lot %s interrompue", lot.pk)
        lot.refresh_from_db()
        lot.status = StatutLot.ECHEC
        lot.error = (getattr(exc, "messages", None) and " ".join(exc.messages)) or str(exc) or exc.__class__.__name__
    lot.finished_at = timezone.now()
    lot.save()
    return {"done": lot.done, "status": lot.status}


def _issue_one(lot: ImpressionLot, cert) -> None:
    """One parchemin and the lot's counter, committed together; nothing if it was printed meanwhile."""
    try:
        with transaction.atomic():
            services.parchemin_issue(certification=cert, by=lot.requested_by, lot=lot)
            ImpressionLot.objects.filter(pk=lot.pk).update(done=F("done") + 1, updated_at=timezone.now())
    except ValidationError:
        # A run presumed dead that was only frozen printed it under the same lock: not an error, not twice.
        if not cert.parchemins.filter(lot=lot).exists():
            raise


def _store_lot_file(lot: ImpressionLot) -> None:
    parchemins = lot.parchemins.select_related("certification").order_by("created_at", "pk")
    pages = [services.parchemin_data(p) for p in parchemins]
    lot.done = len(pages)
    if pages:
        content = render_documents("lot_parchemins.typ", pages)
        lot.file.name, lot.sha256 = store_once(content, folder=f"parchemins/lots/{timezone.localdate():%Y}")

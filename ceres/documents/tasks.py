"""Bulk printing of a session's parchemins (django-tasks: database queue in production, immediate in tests).

The lot is printed by chunks of ``services.LOT_CHUNK`` documents: ONE Typst compile per chunk, each document's own
file cut from it, each document recorded in its own transaction with the lot's counter (``services.lot_print_chunk``).
Resumable and idempotent per document: numbers are committed before the compile that prints them, a certification
that already has an edition is skipped (reported on the lot when someone else printed it meanwhile). A run
interrupted by a worker's death (kill -9, lost machine) is taken over by another worker (ceres.jobs) or relaunched by
the agent (services.lot_request): it prints what is left, never a number, a file or a page twice. The lot's file
gathers the chunks' pages (``editique.pdfparts``, no second rendering); pages printed by an interrupted run are read
back from their stored files.
"""

import logging

from django.utils import timezone
from django_tasks import task

from ceres.core.storage import store_once

# The module, not its functions: services.py queues this task (import cycle resolved at call time).
from ceres.documents import services
from ceres.documents.models import ImpressionLot, Parchemin, StatutLot
from ceres.editique import pdfparts

logger = logging.getLogger(__name__)


@task()
def print_session_lot(lot_id: int) -> dict:
    lot = ImpressionLot.objects.select_related("session", "requested_by").get(pk=lot_id)
    if lot.is_finished:
        return {"done": lot.done}
    batch = services.lot_batch(lot.session)
    if lot.status == StatutLot.EN_ATTENTE:
        lot.total = len(batch)
        lot.status = StatutLot.EN_COURS
        lot.save(update_fields=["status", "total", "updated_at"])
    try:
        # Resuming: only what this lot still has to print (a big session's next documents belong to the next lot).
        batch = batch[: max(lot.total - lot.parchemins.count() - len(lot.skipped), 0)]
        pages = {}  # edition id -> (the chunk's parsed PDF, its pages there)
        for start in range(0, len(batch), services.LOT_CHUNK):
            chunk = services.lot_print_chunk(lot, batch[start : start + services.LOT_CHUNK])
            pages.update({parchemin.pk: (chunk.whole, doc_pages) for parchemin, doc_pages in chunk.printed})
            if chunk.skipped:
                lot.skipped = [*lot.skipped, *chunk.skipped]
                ImpressionLot.objects.filter(pk=lot.pk).update(skipped=lot.skipped, updated_at=timezone.now())
        lot.refresh_from_db()
        _store_lot_file(lot, pages)
        lot.status = StatutLot.TERMINE
    except Exception as exc:  # noqa: BLE001 - the failure is shown on the page; printed documents stay valid
        logger.exception("impression du lot %s interrompue", lot.pk)
        lot.refresh_from_db()
        lot.status = StatutLot.ECHEC
        lot.error = (getattr(exc, "messages", None) and " ".join(exc.messages)) or str(exc) or exc.__class__.__name__
    lot.finished_at = timezone.now()
    lot.save()
    return {"done": lot.done, "status": lot.status}


def _store_lot_file(lot: ImpressionLot, pages: dict) -> None:
    """The lot's ONE file: every edition of the lot in print order, from the chunks compiled by this run or, for
    editions printed by an interrupted run, from their stored files."""
    selection = []
    for parchemin in Parchemin.objects.filter(lot=lot).order_by("created_at", "pk").only("pk", "file"):
        if parchemin.pk in pages:
            whole, doc_pages = pages[parchemin.pk]
        else:
            with parchemin.file.open("rb") as handle:
                whole = pdfparts.parse(handle.read())
            doc_pages = list(range(len(whole.pages)))
        if selection and selection[-1][0] is whole:
            selection[-1][1].extend(doc_pages)  # consecutive pages of one chunk share its fonts and images
        else:
            selection.append((whole, list(doc_pages)))
    lot.done = lot.parchemins.count()
    if selection:
        content = pdfparts.assemble(selection)
        lot.file.name, lot.sha256 = store_once(content, folder=f"parchemins/lots/{timezone.localdate():%Y}")

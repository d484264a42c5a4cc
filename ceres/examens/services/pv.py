"""The signed PV de session, uploaded by the centre or the UD and kept with the session (every upload stays)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ceres.core.journal import journal_record
from ceres.core.storage import store_once
from ceres.examens import perms, rules
from ceres.examens.models import PvSigne, SessionExamen
from ceres.examens.services._common import lock, refuse


@transaction.atomic
def pv_signed_upload(*, session: SessionExamen, by, upload) -> PvSigne:
    """``upload``: an uploaded file (name, size, read()). Its size is checked before it is read."""
    session = lock(session)
    if perms.actor_for(by, session) not in (rules.CENTRE, rules.UD):
        raise PermissionDenied("Le PV signé est déposé par le centre ou l'unité départementale de la session.")
    max_size = settings.CERES_PV_MAX_BYTES
    head = upload.read(len(rules.PDF_MAGIC)) if 0 < upload.size <= max_size else b""
    refuse(rules.pv_upload_refusals(status=session.status, head=head, size=upload.size, max_size=max_size))
    content = head + upload.read()
    pv = PvSigne(session=session, size=len(content), original_name=(upload.name or "")[:255], uploaded_by=by)
    # Named by its SHA-256, written once: the same scan deposited twice is one file.
    pv.file.name, pv.sha256 = store_once(content, folder=f"pv/{session.start_date:%Y}")
    pv.full_clean()
    pv.save()
    journal_record(
        action="create",
        obj=session,
        by=by,
        operation="pv_signe_depot",
        changes={"fichier": pv.original_name, "sha256": pv.sha256},
    )
    return pv

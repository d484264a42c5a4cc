"""Writes on sessions: atomic, rules first, full_clean, journal. Refusals are ValidationError with French sentences.

One module per sub-area; the reads they share (jury and convocation checks, results checklist, registration facts)
are in ``ceres.examens.selectors``. The names below are the services the views, commands and other apps call.
"""

from ceres.examens.services.convocations import convocations_request
from ceres.examens.services.creation import (
    SESSION_FIELDS,
    session_cancel,
    session_create,
    session_start,
    session_transition,
    session_update,
)
from ceres.examens.services.jury import jury_add, jury_remove
from ceres.examens.services.pv import pv_signed_upload
from ceres.examens.services.registration import inscription_create, inscription_delete
from ceres.examens.services.results import results_record, results_record_rows, results_submit
from ceres.examens.services.validation import results_correct, session_return, session_validate, sessions_validate

__all__ = [
    "SESSION_FIELDS",
    "convocations_request",
    "inscription_create",
    "inscription_delete",
    "jury_add",
    "jury_remove",
    "pv_signed_upload",
    "results_correct",
    "results_record",
    "results_record_rows",
    "results_submit",
    "session_cancel",
    "session_create",
    "session_return",
    "session_start",
    "session_transition",
    "session_update",
    "session_validate",
    "sessions_validate",
]

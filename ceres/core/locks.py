"""Serialising long operations that must never run twice at once (imports).

On PostgreSQL: a transaction-level advisory lock (pg_try_advisory_xact_lock), released by the commit or the rollback
of the caller's transaction, even if the process dies. Elsewhere (SQLite, development): a key in the shared cache,
released on exit, expiring after `timeout` seconds if the process died.
"""

import contextlib
import hashlib

from django.core.cache import cache
from django.db import connection, transaction

ALREADY_RUNNING = (
    "Un import est déjà en cours : réessayez quand il sera terminé (aucune ligne de ce fichier n'a été lue)."
)


class AlreadyRunning(Exception):
    def __init__(self, message: str = ALREADY_RUNNING):
        super().__init__(message)
        self.message = message


def _key(name: str) -> int:
    # A signed 64-bit integer derived from the name (advisory locks take a bigint).
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def exclusive(name: str, *, timeout: int = 3600):
    """Runs the block only if no other process runs a block with the same name; else raises AlreadyRunning."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_key(name)])
                (acquired,) = cursor.fetchone()
            if not acquired:
                raise AlreadyRunning
            yield
        return
    cache_key = f"lock:{name}"
    if not cache.add(cache_key, 1, timeout=timeout):
        raise AlreadyRunning
    try:
        yield
    finally:
        cache.delete(cache_key)

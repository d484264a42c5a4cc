"""Issued documents, written once through Django's storage API (filesystem or S3-compatible object storage).

Names are content-addressed: ``<folder>/<2 first hex>/<sha256>.pdf``. Writing the same bytes twice (a task resumed
after a crash, two workers racing) finds the file already there and writes nothing; a stored file is never replaced,
since another content has another name. The SHA-256 is returned to be recorded on the row that references the file,
in the same transaction. A file whose row was rolled back (crash between the write and the commit) is an orphan:
``manage.py check_documents`` lists and removes them (docs/exploitation.md §6).
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage


def document_name(content: bytes, *, folder: str, extension: str = "pdf") -> tuple[str, str]:
    sha256 = hashlib.sha256(content).hexdigest()
    return f"{folder.strip('/')}/{sha256[:2]}/{sha256}.{extension}", sha256


def store_once(
    content: bytes, *, folder: str, extension: str = "pdf", storage: Storage | None = None
) -> tuple[str, str]:
    """Name and SHA-256 of content, stored under that name unless it already is."""
    storage = storage or default_storage
    name, sha256 = document_name(content, folder=folder, extension=extension)
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(content))
        if saved != name:  # written by a concurrent run between exists() and save(): same bytes, keep one copy
            storage.delete(saved)
    return name, sha256


def sha256_of(name: str, *, storage: Storage | None = None) -> str:
    digest = hashlib.sha256()
    with (storage or default_storage).open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

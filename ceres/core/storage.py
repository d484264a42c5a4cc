"""Issued documents, written once through Django's storage API (filesystem or S3-compatible object storage).

Names are content-addressed: ``<folder>/<2 first hex>/<sha256>.pdf``. Writing the same bytes twice (a task resumed
after a crash, two workers racing) finds the file already there and writes nothing; a stored file is never replaced,
since another content has another name. The SHA-256 is returned to be recorded on the row that references the file,
in the same transaction. A file whose row was rolled back (crash between the write and the commit) is an orphan:
``manage.py check_documents`` lists and removes them (docs/exploitation.md §6).
"""

import hashlib
import os

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage


def document_name(content: bytes, *, folder: str, extension: str = "pdf") -> tuple[str, str]:
    sha256 = hashlib.sha256(content).hexdigest()
    return f"{folder.strip('/')}/{sha256[:2]}/{sha256}.{extension}", sha256


def store_once(
    content: bytes, *, folder: str, extension: str = "pdf", storage: Storage | None = None
) -> tuple[str, str]:
    """Name and SHA-256 of content, stored under that name unless it already is."""
    storage = storage or default_storage
    name, sha256 = document_name(content, folder=folder, extension=extension)
    if isinstance(storage, FileSystemStorage) and _written_on_disk(storage, name, content):
        return name, sha256
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(content))
        if saved != name:  # written by a concurrent run between exists() and save(): same bytes, keep one copy
            storage.delete(saved)
    return name, sha256


def _written_on_disk(storage: FileSystemStorage, name: str, content: bytes) -> bool:
    """What FileSystemStorage.save does for a new name (exclusive creation, the storage's permissions), without its
    search for a free name: a file already there has these bytes. A bulk print stores hundreds of files a second,
    where the Storage API's checks cost ≈ 0.1 ms each. False when a new folder needs the storage's own permissions
    (its save creates it)."""
    path = storage.path(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        try:
            fd = os.open(path, flags, 0o666)
        except FileNotFoundError:  # first file of its folder
            if storage.directory_permissions_mode is not None:
                return False  # the storage's save creates folders with their mode
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, flags, 0o666)
    except FileExistsError:
        return True
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
    except BaseException:
        os.unlink(path)  # never a partial file under a name that promises these bytes
        raise
    if storage.file_permissions_mode is not None:
        os.chmod(path, storage.file_permissions_mode)
    return True


def sha256_of(name: str, *, storage: Storage | None = None) -> str:
    digest = hashlib.sha256()
    with (storage or default_storage).open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

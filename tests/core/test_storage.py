"""Documents written once, content-addressed, checked against the database by check_documents."""

import hashlib
import io
import os
import time
from pathlib import Path

from django.core.management import call_command

from ceres.core.storage import store_once
from ceres.documents import services
from tests.documents.factories import PrintableCertificationFactory, ud_agent


def test_same_bytes_stored_once_other_bytes_elsewhere(settings):
    first = store_once(b"%PDF-1 a", folder="parchemins/2026")
    again = store_once(b"%PDF-1 a", folder="parchemins/2026")
    other = store_once(b"%PDF-1 b", folder="parchemins/2026")
    assert first == again and first[0] != other[0]
    assert first[0] == f"parchemins/2026/{first[1][:2]}/{first[1]}.pdf"
    assert len(list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))) == 2


def test_new_file_in_an_existing_folder_written_whole_with_the_storage_permissions(settings):
    settings.FILE_UPLOAD_PERMISSIONS = 0o640
    first, digest = store_once(b"%PDF-1 a", folder="parchemins/2026")
    # Other bytes whose name falls in the same folder: written directly, not through the storage's save.
    other = next(c for i in range(10_000) if hashlib.sha256(c := b"%%PDF-1 %d" % i).hexdigest()[:2] == digest[:2])
    name, _ = store_once(other, folder="parchemins/2026")
    path = Path(settings.MEDIA_ROOT) / name
    assert Path(name).parent == Path(first).parent and path.read_bytes() == other
    assert path.stat().st_mode & 0o777 == 0o640


def _check(*args) -> str:
    out = io.StringIO()
    call_command("check_documents", *args, stdout=out)
    return out.getvalue()


def test_orphans_listed_then_removed_missing_and_altered_reported(settings):
    cert = PrintableCertificationFactory()
    parchemin = services.parchemin_issue(certification=cert, by=ud_agent(cert.session))
    media = Path(settings.MEDIA_ROOT)
    orphan = media / "parchemins" / "2026" / "ab" / "orphelin.pdf"  # written, then the transaction rolled back
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1 crash")
    fresh = media / "parchemins" / "2026" / "cd" / "en-cours.pdf"  # a write in progress right now
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"%PDF-1 en cours")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))

    report = _check()
    assert "1 documents référencés, 1 présents, 0 manquants, 1 orphelins, 1 écritures récentes ignorées" in report
    assert "ORPHELIN parchemins/2026/ab/orphelin.pdf" in report and orphan.exists()  # dry run by default

    assert "1 orphelins supprimés" in _check("--wet-run")
    assert not orphan.exists() and fresh.exists() and (media / parchemin.file.name).exists()

    (media / parchemin.file.name).write_bytes(b"%PDF-1 retouche")
    assert f"ALTÉRÉ {parchemin.file.name}" in _check("--verify-hashes")
    (media / parchemin.file.name).unlink()
    assert f"MANQUANT {parchemin.file.name} (documents.Parchemin)" in _check()

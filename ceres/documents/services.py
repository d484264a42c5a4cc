"""Writes of the documents app: print (original / duplicata), bulk print request, annulment and its lifting."""

import datetime
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.rows import insert
from ceres.core.storage import store_once

# The module, not the task: tasks.py calls these services, so the task is read when a lot is queued.
from ceres.documents import perms, rules, tasks
from ceres.documents.models import (
    Annulation,
    DeclarationOriginal,
    ImpressionLot,
    MotifDuplicata,
    NatureImpression,
    Parchemin,
    StatutLot,
)
from ceres.documents.selectors import awaits_first_print, session_certifications, with_print_state
from ceres.editique import pdfparts, signature
from ceres.editique.numbering import number_allocate, numbers_allocate
from ceres.editique.pdf import render_parts, render_pdf
from ceres.editique.rules import french_date
from ceres.examens.enums import StatutSession, TypeCertification
from ceres.examens.models import Certification, SessionExamen
from ceres.jobs.services import resume_if_stale
from ceres.personnes.lieux import lieu_naissance_texte
from ceres.referentiels.models import Commune, UniteDepartementale

TEMPLATES: dict[str, str] = {TypeCertification.TITRE: "parchemin.typ", TypeCertification.CCP: "certificat_ccp.typ"}
CIVILITES = {"MME": "Mme", "M": "M."}
NO_BIRTH_PLACE = "lieu de naissance non renseigné"


def _raise(refusals: list[str]):
    if refusals:
        raise ValidationError(refusals)


# --- Facts printed on the parchemin ------------------------------------------------------------------------------


def _ud_of(session: SessionExamen, cache: dict | None = None) -> UniteDepartementale | None:
    """The UD of the session's département (read once per département when the caller passes a cache)."""
    key = ("ud", session.departement_id)
    if cache is not None and key in cache:
        return cache[key]
    ud = UniteDepartementale.objects.filter(departement_id=session.departement_id).select_related("commune").first()
    if cache is not None:
        cache[key] = ud
    return ud


def session_ud(session: SessionExamen) -> UniteDepartementale | None:
    return _ud_of(session)


def fait_a(session: SessionExamen, on: datetime.date, cache: dict | None = None) -> str:
    """« Fait à »: the commune of the UD of the session's département, as named on the signing date."""
    key = ("fait_a", session.departement_id, on)
    if cache is not None and key in cache:
        return cache[key]
    ud = _ud_of(session, cache)
    commune = ud.commune if ud is not None else None  # select_related: no query
    name = ""
    if commune is not None:
        row = (
            Commune.objects.filter(code_insee=commune.code_insee, kind=commune.kind)
            .valid_on(on)
            .order_by("-start_date")
            .first()
        )
        name = (row or commune).name
    if cache is not None:
        cache[key] = name
    return name


def signing_date(cert: Certification) -> datetime.date:
    session = cert.session
    return timezone.localdate(session.validated_at) if session.validated_at else cert.awarded_on


def certification_facts(cert: Certification, *, edition: int) -> dict:
    """The facts covered by the QR code's signature (what a verifier can read on the paper), edition included."""
    candidat = cert.candidat
    return {
        "titre": cert.titre.code_rncp or cert.titre.code_titre,
        "initiales": rules.initials(candidat.first_first_name, candidat.birth_name),
        "annee_naissance": candidat.birth_date.year,
        "date": cert.awarded_on.isoformat(),
        signature.EDITION_KEY: rules.edition_code(edition),
    }


def document_data(
    cert: Certification, *, token: str, edition: int, printed_on: datetime.date, cache: dict | None = None
) -> dict:
    """Data of parchemin.typ / certificat_ccp.typ (see ceres/editique/typst/diplomes.typ). ``cache``: a dict shared
    by the documents of one bulk print (UD and « Fait à » read once)."""
    candidat, titre, session = cert.candidat, cert.titre, cert.session
    ud = _ud_of(session, cache)
    signed_on = signing_date(cert)
    data = {
        "modele": "certificat_ccp" if cert.kind == TypeCertification.CCP else "parchemin",
        "numero": cert.number,
        "qr": signature.verification_url(cast(str, cert.number), token, rules.edition_code(edition)),  # numbered
        "titre": {
            "libelle": titre.intitule,
            "niveau": titre.niveau,
            "rncp": titre.code_rncp or "",
            "nsf": [n.code for n in titre.nsf_codes.all()],
        },
        "titulaire": _holder(candidat),
        "deliberation_date": cert.awarded_on,
        "fait_a": fait_a(session, signed_on, cache),
        "fait_le": signed_on,
        "signataire": _signatory(ud),
        "mention": rules.duplicata_mention(edition, printed_on) if edition else None,
        "verification_site": urlsplit(settings.CERES_PUBLIC_BASE_URL).netloc + "/documents/verifier/",
    }
    ccp = cert.ccp if cert.kind == TypeCertification.CCP else None
    if ccp is not None:
        data["ccp"] = {"libelle": ccp.intitule, "code": ccp.code_cp or f"CCP{ccp.order}"}
    return data


def _signatory(ud: UniteDepartementale | None) -> dict:
    """Who signs: the title and the name set by the UD (the name may be left blank: then only the title prints)."""
    return {"qualite": ud.signatory_quality if ud else "", "nom": ud.signatory_name if ud else ""}


# --- Numbering and printing --------------------------------------------------------------------------------------


def certification_number_ensure(cert: Certification, *, by) -> str:
    """Number of a certification, allocated now for sessions validated before numbering existed (R1): it keeps the
    year of the award. The caller holds the certification row lock (select_for_update), so two first prints never
    allocate twice.
    """
    if cert.number:
        return cert.number
    before = snapshot(cert, ["number"])
    try:
        cert.number = number_allocate(year=cert.awarded_on.year, departement_code=cert.session.departement.code)
    except ValueError as exc:  # a département code the number format cannot hold
        raise ValidationError(f"Numéro impossible à attribuer : {exc}") from exc
    cert.save(update_fields=["number", "updated_at"])
    journal_record(
        action="update", obj=cert, by=by, changes=diff(before, snapshot(cert, ["number"])), operation="number_allocate"
    )
    return cert.number


def _locked(certification: Certification) -> Certification:
    return (
        Certification.objects.select_for_update(of=("self",))
        .select_related("candidat", "titre", "ccp", "session", "session__departement", "declaration_original")
        .get(pk=certification.pk)
    )


def _refusals(cert: Certification, *, first: bool) -> list[str]:
    return rules.print_refusals(
        session_validated=cert.session.status == StatutSession.VALIDEE,
        withdrawn=cert.withdrawn_at is not None,
        annulled=cert.annulations.filter(lifted_at__isnull=True).exists(),
        kind=cert.kind,
        fait_a=fait_a(cert.session, signing_date(cert)),
        has_edition=first and cert.parchemins.exists(),
    )


def _declare(cert: Certification, *, paper_original: bool | None, by) -> DeclarationOriginal | None:
    """First print of a certification awarded before numbering existed: the UD's answer, recorded once."""
    declared = getattr(cert, "declaration_original", None)  # select_related by the callers
    if declared is not None:
        return declared
    _raise(rules.first_print_refusals(numbered=bool(cert.number), declared=paper_original is not None))
    if paper_original is None:  # numbered at validation: CERES printed nothing before, there is nothing to declare
        return None
    declared = DeclarationOriginal.objects.create(certification=cert, paper_original=paper_original, declared_by=by)
    journal_record(
        action="create",
        obj=cert,
        by=by,
        operation="declaration_original",
        changes={"original papier déjà délivré": paper_original},
    )
    return declared


def _print(
    cert: Certification, *, edition: int, by, reason: str = "", reason_detail: str = "", lot=None
) -> tuple[Parchemin, dict]:
    number = certification_number_ensure(cert, by=by)
    facts = certification_facts(cert, edition=edition)
    token = signature.sign(number, facts)
    data = document_data(cert, token=token, edition=edition, printed_on=timezone.localdate())
    content = render_pdf(TEMPLATES[cert.kind], data)
    parchemin = _record(
        cert,
        content,
        edition=edition,
        by=by,
        lot=lot,
        facts=facts,
        token=token,
        reason=reason,
        reason_detail=reason_detail,
    )
    return parchemin, data


def _record(
    cert: Certification,
    content: bytes,
    *,
    edition: int,
    facts: dict,
    token: str,
    by,
    reason="",
    reason_detail="",
    lot=None,
) -> Parchemin:
    """Store the file (named by its SHA-256) and the edition row, journaled; the caller holds the certification
    lock."""
    parchemin = Parchemin(
        certification=cert,
        number=cast(str, cert.number),  # numbered before any print
        nature=NatureImpression.DUPLICATA if edition else NatureImpression.ORIGINAL,
        edition=edition,
        reason=reason,
        reason_detail=reason_detail.strip(),
        template=TEMPLATES[cert.kind],
        printed_by=by if getattr(by, "pk", None) else None,
        lot=lot,
        signature=token,
        facts=facts,
    )
    # Written once, named by its SHA-256: another edition (other date, mention, signature) is another file.
    parchemin.file.name, parchemin.sha256 = store_once(content, folder=f"parchemins/{timezone.localdate():%Y}")
    # Foreign keys are rows held here, uniqueness and constraints the database's (under the certification lock): no
    # query per check, which a bulk print would pay per document.
    parchemin.full_clean(
        exclude=["certification", "printed_by", "lot"], validate_unique=False, validate_constraints=False
    )
    insert(parchemin)  # save() without building its INSERT anew for each document of a bulk print
    changes = {"numéro": cert.number, "édition": parchemin.edition_label, "sha256": parchemin.sha256}
    if reason:
        changes["motif"] = parchemin.get_reason_display() + (f" ({parchemin.reason_detail})" if reason_detail else "")
    journal_record(
        action="create",
        obj=parchemin,
        by=by,
        changes=changes,
        operation="parchemin_issue" if edition == 0 else "parchemin_reprint",
    )
    return parchemin


PRINT_REFUSAL = "Seuls les agents de l'unité départementale de la session impriment ses parchemins."


def _require_printer(user, session: SessionExamen, lot: ImpressionLot | None = None) -> None:
    """The views check it too; the service is the last door (task, commands, future API). A bulk print runs in a
    worker on behalf of the agent who asked for the lot: that agent must still be allowed to print the session."""
    if lot is not None:
        if lot.session_id != session.pk:
            raise PermissionDenied("Ce parchemin n'appartient pas à la session de cette impression groupée.")
        if user is None:
            user = lot.requested_by
        elif getattr(user, "pk", None) != lot.requested_by_id:
            raise PermissionDenied("Une impression groupée ne s'imprime qu'au nom de l'agent qui l'a demandée.")
    if not perms.can_print(user, session):
        raise PermissionDenied(PRINT_REFUSAL)


@transaction.atomic
def parchemin_issue(
    *, certification: Certification, by, lot: ImpressionLot | None = None, paper_original: bool | None = None
) -> Parchemin:
    """First print of an awarded certification: the original, or, for a certification awarded before numbering
    existed whose paper original was issued before (``paper_original``, asked once), duplicata n° 1."""
    cert = _locked(certification)
    _require_printer(by, cert.session, lot)
    if by is None and lot is not None:  # _require_printer refused a print with neither
        by = lot.requested_by
    _raise(_refusals(cert, first=True))
    if paper_original is None and lot is not None:
        paper_original = lot.paper_original
    declared = _declare(cert, paper_original=paper_original, by=by)
    paper = bool(declared and declared.paper_original)
    edition = rules.next_edition([], paper_original=paper)
    reason = MotifDuplicata.ORIGINAL_PAPIER if paper else ""
    return _print(cert, edition=edition, by=by, reason=reason, lot=lot)[0]


@transaction.atomic
def parchemin_reprint(*, certification: Certification, by, reason: str, reason_detail: str = "") -> Parchemin:
    """Duplicata: a new edition carrying the same number and the mention « DUPLICATA n° k », for a stated reason. The
    previous editions then verify as « remplacé »."""
    cert = _locked(certification)
    _require_printer(by, cert.session)
    editions = list(cert.parchemins.values_list("edition", flat=True))
    refusals = _refusals(cert, first=False)
    refusals += rules.duplicata_refusals(reason=reason, detail=reason_detail, has_edition=bool(editions))
    if reason and reason not in MotifDuplicata.values:
        refusals.append("Motif de duplicata inconnu.")
    _raise(refusals)
    edition = rules.next_edition(editions)
    return _print(cert, edition=edition, by=by, reason=reason, reason_detail=reason_detail)[0]


# --- Bulk print of a session -------------------------------------------------------------------------------------


# A lot is printed by chunks: ONE Typst compile per chunk, each document's own file cut from that compile
# (editique.pdfparts), the lot's file gathered from the chunks. Memory is bounded by the chunk (Typst's memoisation
# cache plateaus after about ten compiles); a lot holds at most LOT_MAX_DOCUMENTS documents, the page offering
# « les suivants » beyond.
LOT_MAX_DOCUMENTS = 500
LOT_CHUNK = 100


@dataclass
class ChunkPrint:
    """What one chunk of a lot printed: each edition with its pages in the chunk's PDF, and what was skipped."""

    printed: list[tuple[Parchemin, list[int]]] = field(default_factory=list)
    whole: pdfparts.ParsedPdf | None = None
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    """A document of a chunk, ready to compile: its edition and the signed facts its QR code carries."""

    cert: Certification
    edition: int
    facts: dict
    token: str
    data: dict


@transaction.atomic
def _lot_number(lot: ImpressionLot, ids: list[int]) -> None:
    """Numbers (and the UD's paper-original answer) of the chunk's certifications awarded before numbering existed,
    committed BEFORE the compile that prints them: a resumed lot finds them and never allocates twice. One step of
    the locked counter per (year, département)."""
    if not ids:
        return
    certs = (
        Certification.objects.select_for_update(of=("self",))
        .select_related("session__departement", "candidat", "titre", "ccp", "declaration_original")
        .filter(pk__in=ids, number__isnull=True)
        .order_by("pk")
    )
    scopes: dict[tuple[int, str], list[Certification]] = {}
    for cert in certs:
        _declare(cert, paper_original=lot.paper_original, by=lot.requested_by)
        scopes.setdefault((cert.awarded_on.year, cert.session.departement.code), []).append(cert)
    for (year, departement_code), group in scopes.items():
        try:
            numbers = numbers_allocate(year=year, departement_code=departement_code, count=len(group))
        except ValueError as exc:  # a département code the number format cannot hold
            raise ValidationError(f"Numéro impossible à attribuer : {exc}") from exc
        for cert, number in zip(group, numbers, strict=True):
            cert.number = number
            cert.save(update_fields=["number", "updated_at"])
            journal_record(
                action="update", obj=cert, by=lot.requested_by, changes={"number": [None, number]},
                operation="number_allocate",
            )  # fmt: skip


def _label(cert: Certification) -> str:
    what = f"certificat {cert.ccp}" if cert.kind == TypeCertification.CCP else "parchemin"
    return f"{cert.candidat.display_name} ({what})"


def _printable_now(cert_id: int) -> bool:
    """Lock the certification and say whether the lot can still print it: no edition, not annulled, not withdrawn.

    One SQL statement, written out: it runs once per document of a bulk print, where building it with the ORM (two
    Exists subqueries) cost more than running it (≈ 1 ms a document, a sixth of the page's budget).
    """
    quote = connection.ops.quote_name
    cert, edition, annulment = (quote(m._meta.db_table) for m in (Certification, Parchemin, Annulation))
    lock = ""
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite serialises writers by itself
        lock = " FOR UPDATE OF c" if connection.features.has_select_for_update_of else " FOR UPDATE"
    sql = (
        f"SELECT c.id FROM {cert} c WHERE c.id = %s AND c.withdrawn_at IS NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {edition} p WHERE p.certification_id = c.id)"
        f" AND NOT EXISTS (SELECT 1 FROM {annulment} a WHERE a.certification_id = c.id AND a.lifted_at IS NULL)"
        f"{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cert_id])
        return cursor.fetchone() is not None


def _count_printed(lot_id: int) -> None:
    """One more document on the lot's counter (row lock until the document's transaction commits). Written out for
    the same reason as _printable_now: the ORM's ``update(done=F("done") + 1)`` cost ≈ 0.35 ms a document to build."""
    table = connection.ops.quote_name(ImpressionLot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET done = done + 1, updated_at = %s WHERE id = %s", [timezone.now(), lot_id])


def lot_print_chunk(lot: ImpressionLot, certifications: list[Certification]) -> ChunkPrint:
    """Print a chunk of a lot: numbers first (committed), then ONE compile, then each document stored and recorded
    in its own transaction with the lot's counter. A document printed or annulled meanwhile by someone else is
    skipped and reported, never printed twice nor blocking the lot. Queries: a constant per chunk plus a few per
    document (tests/documents/test_lot_print.py counts them)."""
    by = lot.requested_by
    _require_printer(by, lot.session, lot)
    _lot_number(lot, [c.pk for c in certifications if not c.number])
    order = {c.pk: i for i, c in enumerate(certifications)}
    certs = sorted(
        with_print_state(Certification.objects.filter(pk__in=order))
        .select_related(
            "candidat__birth_commune", "candidat__birth_country", "titre", "ccp", "session", "declaration_original"
        )
        .prefetch_related("titre__nsf_codes"),
        key=lambda c: order[c.pk],
    )
    result = ChunkPrint()
    plans: list[_Plan] = []
    cache: dict = {}
    today = timezone.localdate()
    for cert in certs:
        if cert.withdrawn_at or not awaits_first_print(cert):
            result.skipped.append(f"{_label(cert)} : imprimé, annulé ou retiré entre-temps, non imprimé par ce lot")
            continue
        declared = getattr(cert, "declaration_original", None)
        edition = rules.next_edition([], paper_original=bool(declared and declared.paper_original))
        facts = certification_facts(cert, edition=edition)
        token = signature.sign(cast(str, cert.number), facts)  # numbered above
        data = document_data(cert, token=token, edition=edition, printed_on=today, cache=cache)
        plans.append(_Plan(cert, edition, facts, token, data))
    if not plans:
        return result
    result.whole, pages, parts = render_parts("lot_parchemins.typ", [plan.data for plan in plans])
    for plan, content, doc_pages in zip(plans, parts, pages, strict=True):
        cert, edition = plan.cert, plan.edition
        with transaction.atomic():
            if not _printable_now(cert.pk):
                # Printed by a run of this same lot presumed dead but only frozen: not an error, not twice.
                if not Parchemin.objects.filter(certification=cert.pk, lot=lot).exists():
                    result.skipped.append(f"{_label(cert)} : imprimé ou annulé entre-temps, non imprimé par ce lot")
                continue
            reason = MotifDuplicata.ORIGINAL_PAPIER if edition else ""
            parchemin = _record(
                cert, content, edition=edition, facts=facts, token=token, by=by, reason=reason, lot=lot
            )
            _count_printed(lot.pk)
        result.printed.append((parchemin, doc_pages))
    return result


def lot_pending_certifications(
    session: SessionExamen, certs: list[Certification] | None = None
) -> list[Certification]:
    """Certifications of the session never printed (no edition) and not annulled; `certs`: its
    ``session_certifications`` when the caller has already read them."""
    return [c for c in (session_certifications(session) if certs is None else certs) if awaits_first_print(c)]


def lot_batch(session: SessionExamen) -> list[Certification]:
    """What the next bulk print takes: the first LOT_MAX_DOCUMENTS documents not printed yet."""
    return lot_pending_certifications(session)[:LOT_MAX_DOCUMENTS]


def needs_paper_original_answer(certifications) -> bool:
    """Some were awarded before numbering existed and the UD has not said yet whether paper originals exist."""
    return any(not c.number and not hasattr(c, "declaration_original") for c in certifications)


@transaction.atomic
def lot_request(*, session: SessionExamen, by, paper_original: bool | None = None) -> ImpressionLot:
    """Queue the bulk print of every parchemin of the session not printed yet."""
    session = SessionExamen.objects.select_for_update().get(pk=session.pk)
    _require_printer(by, session)
    refusals = []
    if session.status != StatutSession.VALIDEE:
        refusals.append("La session n'est pas validée : ses parchemins ne peuvent pas encore être imprimés.")
    running = ImpressionLot.objects.filter(session=session, status__in=[StatutLot.EN_ATTENTE, StatutLot.EN_COURS])
    for lot in running:
        # Its worker died (no heartbeat): the same lot resumes where it stopped, instead of a refusal forever.
        if resume_if_stale(tasks.print_session_lot, lot.pk):
            journal_record(action="other", obj=lot, by=by, operation="lot_resume")
            return lot
    if running.exists():
        refusals.append("Une impression de cette session est déjà en cours : attendez qu'elle se termine.")
    pending = lot_batch(session) if not refusals else []
    if not refusals and not pending:
        refusals.append("Tous les parchemins de cette session ont déjà été imprimés : utilisez la réimpression.")
    if pending and paper_original is None and needs_paper_original_answer(pending):
        refusals += rules.first_print_refusals(numbered=False, declared=False)
    _raise(refusals)
    lot = ImpressionLot(session=session, requested_by=by, total=len(pending), paper_original=paper_original)
    lot.full_clean()
    lot.save()
    changes = {"documents": len(pending)}
    if paper_original is not None:
        changes["originaux papier déjà délivrés"] = paper_original
    journal_record(action="create", obj=lot, by=by, operation="lot_request", changes=changes)
    transaction.on_commit(lambda: _enqueue(lot))
    return lot


def _enqueue(lot: ImpressionLot):
    result = tasks.print_session_lot.enqueue(lot.pk)
    ImpressionLot.objects.filter(pk=lot.pk, task_id="").update(task_id=str(result.id)[:64])


# --- Annulment ---------------------------------------------------------------------------------------------------


@transaction.atomic
def certification_annul(*, certification: Certification, by, reason: str) -> Annulation:
    """UD annulment (e.g. fraud): the public verification page then says « annulé »."""
    cert = _locked(certification)
    # The views check it too; the service is the last door (commands, future API).
    if not perms.can_annul(by, cert.session):
        _raise(["Seuls les agents de l'unité départementale de la session annulent un parchemin."])
    _raise(
        rules.annul_refusals(
            reason=reason,
            already_annulled=cert.annulations.filter(lifted_at__isnull=True).exists(),
            withdrawn=cert.withdrawn_at is not None,
        )
    )
    annulation = Annulation(certification=cert, reason=reason.strip(), annulled_by=by)
    annulation.full_clean()
    annulation.save()
    journal_record(action="update", obj=cert, by=by, operation="parchemin_annul", reason=annulation.reason)
    return annulation


@transaction.atomic
def annulation_lift(*, certification: Certification, by, reason: str) -> Annulation:
    """Only the national administrator restores an annulled parchemin (checked here and by the view)."""
    cert = _locked(certification)
    annulation = cert.annulations.select_for_update().filter(lifted_at__isnull=True).first()
    refusals = []
    if not perms.can_lift_annulment(by):
        refusals.append("Seul l'administrateur national lève l'annulation d'un parchemin.")
    if annulation is None:
        refusals.append("Ce parchemin n'est pas annulé.")
    if len((reason or "").strip()) < 10:
        refusals.append("Indiquez le motif de la levée de l'annulation (au moins 10 caractères).")
    _raise(refusals)
    assert annulation is not None  # refused above
    before = snapshot(annulation, ["lifted_at", "lifted_by", "lift_reason"])
    annulation.lifted_at = timezone.now()
    annulation.lifted_by = by
    annulation.lift_reason = reason.strip()
    annulation.full_clean()
    annulation.save()
    journal_record(
        action="update",
        obj=cert,
        by=by,
        operation="parchemin_annul_lift",
        reason=annulation.lift_reason,
        changes=diff(before, snapshot(annulation, ["lifted_at", "lifted_by", "lift_reason"])),
    )
    return annulation


# --- PV de session and livret de certification (informational documents, not numbered) ---------------------------


def pv_data(session: SessionExamen) -> dict:
    """Data of pv_session.typ: jury, results per candidate, UD signature block."""
    ud = _ud_of(session)
    signed_on = timezone.localdate(session.validated_at) if session.validated_at else session.end_date
    resultats = []
    for ins in (
        session.inscriptions.select_related("candidat")
        .prefetch_related("resultats__ccp")
        .order_by("candidat__name_key", "candidat__first_names")
    ):
        obtained = [f"CCP{r.ccp.order}" for r in ins.resultats.all() if r.value == "obtenu"]
        resultats.append(
            {
                "candidat": ins.candidat.display_name,
                "ccps": ", ".join(obtained) or "—",
                "decision": ins.get_decision_display() or "—",
            }
        )
    return {
        "reference": f"SES-{session.start_date:%Y}-{session.pk:05d}",
        "pv_number": session.pv_number,
        "titre": {"libelle": session.titre.intitule, "niveau": session.titre.niveau, "rncp": session.titre.code_rncp},
        "session": {"start_date": session.start_date, "end_date": session.end_date, "start_time": session.start_time},
        "centre": {"nom": session.centre.name},
        "lieu": {"nom": session.site.name, "commune": session.site.commune.name if session.site.commune_id else ""},
        "deliberation_date": session.end_date,
        "jury": [
            {"nom": str(m.membre), "qualite": "Membre du jury"}
            for m in session.jury.select_related("membre").order_by("membre__name_key")
        ],
        "resultats": resultats,
        "fait_a": fait_a(session, signed_on),
        "fait_le": signed_on,
        "signataire": _signatory(ud),
    }


def livret_data(cert: Certification) -> dict:
    """Data of livret_certification.typ: every CCP of the title version, with when and in which session it was won."""
    candidat, titre = cert.candidat, cert.titre
    won = {
        c.ccp_id: c
        for c in Certification.objects.current()
        .filter(candidat=candidat, titre=titre, kind=TypeCertification.CCP)
        .select_related("session")
    }
    has_title = Certification.objects.current().filter(candidat=candidat, titre=titre, kind="titre").first()
    ccps = []
    for ccp in titre.ccps.order_by("order"):
        got = won.get(ccp.pk)
        ccps.append(
            {
                "code": ccp.code_cp or f"CCP{ccp.order}",
                "libelle": ccp.intitule,
                "obtenu_le": got.awarded_on if got else None,
                "session": (got.session.pv_number or f"{got.session.start_date:%d/%m/%Y}") if got else None,
            }
        )
    signed_on = timezone.localdate()
    return {
        "titre": {"libelle": titre.intitule, "niveau": titre.niveau, "rncp": titre.code_rncp},
        "titulaire": _holder(candidat),
        "ccps": ccps,
        "statut": f"Titre obtenu le {french_date(has_title.awarded_on)}"
        if has_title
        else "Parcours en cours : titre non encore obtenu",
        "fait_a": fait_a(cert.session, signed_on),
        "fait_le": signed_on,
    }


def _holder(candidat) -> dict:
    return {
        "civilite": CIVILITES.get(candidat.civility, ""),
        "prenoms": candidat.first_names_display,
        "nom_naissance": candidat.birth_name,
        "nom_usage": candidat.usage_name or None,
        "date_naissance": candidat.birth_date,
        "lieu_naissance": lieu_naissance_texte(candidat, NO_BIRTH_PLACE),
    }

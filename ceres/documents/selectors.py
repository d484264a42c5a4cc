"""Reads of the documents app, scoped by user."""

from django.db.models import Exists, OuterRef, QuerySet

from ceres.documents import rules
from ceres.documents.models import Annulation, ImpressionLot, Parchemin
from ceres.editique import signature
from ceres.editique.rules import check_number, normalize_number
from ceres.examens.enums import TypeCertification
from ceres.examens.models import Certification, SessionExamen
from ceres.examens.selectors import sessions_visible_for


def certifications_visible_for(user) -> QuerySet[Certification]:
    return Certification.objects.filter(session__in=sessions_visible_for(user).values("pk")).select_related(
        "candidat", "titre", "ccp", "ccs", "session", "session__departement"
    )


def parchemins_visible_for(user) -> QuerySet[Parchemin]:
    return Parchemin.objects.filter(certification__in=certifications_visible_for(user).values("pk")).select_related(
        "certification", "printed_by"
    )


def print_log_for(user, *, nature: str = "", start=None, end=None) -> QuerySet[Parchemin]:
    """Print log (every printed copy) of the sessions the user sees, newest first, with what a line shows."""
    qs = parchemins_visible_for(user).select_related(
        "certification__candidat", "certification__titre", "certification__ccp", "certification__ccs",
        "certification__session__centre", "lot",
    )  # fmt: skip
    if nature:
        qs = qs.filter(nature=nature)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    return qs.order_by("-created_at", "-id")


def lots_visible_for(user) -> QuerySet[ImpressionLot]:
    return ImpressionLot.objects.filter(session__in=sessions_visible_for(user).values("pk"))


def with_print_state(certs: QuerySet[Certification]) -> QuerySet[Certification]:
    """Each certification says whether it has an edition (``has_edition``) and an annulment not lifted
    (``annulled_now``), computed in the same query: no per-certification reads, no related rows built."""
    return certs.annotate(
        has_edition=Exists(Parchemin.objects.filter(certification=OuterRef("pk"))),
        annulled_now=Exists(Annulation.objects.filter(certification=OuterRef("pk"), lifted_at__isnull=True)),
    )


def session_certifications(session: SessionExamen) -> list[Certification]:
    """Printable awards of a session: titles, and CCP certificates of candidates who did not get the title, with
    their print state (``with_print_state``): the session page and the bulk print need no per-certification reads
    (issue #14)."""
    current = Certification.objects.current().filter(session=session)
    titled = current.filter(kind=TypeCertification.TITRE).values("inscription_id")
    return list(
        with_print_state(
            current.filter(kind__in=[TypeCertification.TITRE, TypeCertification.CCP])
            # The CCP certificates of a candidate who got the title are not printed: left out in SQL (a session has
            # three times more rows than documents, each read as 3 objects).
            .exclude(kind=TypeCertification.CCP, inscription_id__in=titled)
            .select_related("candidat", "ccp", "declaration_original")
        ).order_by("candidat__name_key", "candidat__first_names", "kind", "ccp__order")
    )


def awaits_first_print(cert: Certification) -> bool:
    """A certification of ``session_certifications`` never printed and not annulled (its annotations)."""
    return not cert.has_edition and not cert.annulled_now


def printable_certifications(session: SessionExamen) -> list[Certification]:
    """session_certifications, each marked ``printed`` (it has an edition), ``annulled`` and ``needs_declaration``
    (awarded before numbering: the first print asks whether a paper original exists) for the session page."""
    certs = session_certifications(session)
    for cert in certs:
        cert.printed = cert.has_edition
        cert.annulled = cert.annulled_now
        cert.needs_declaration = not cert.printed and not cert.number and not hasattr(cert, "declaration_original")
    return certs


def editions_and_annulments(certs) -> tuple[dict[int, list[Parchemin]], dict[int, Annulation]]:
    """Per certification id: its printed editions (oldest first) and its annulment not lifted, two queries."""
    prints: dict[int, list[Parchemin]] = {}
    for parchemin in Parchemin.objects.filter(certification__in=certs).order_by("certification_id", "edition"):
        prints.setdefault(parchemin.certification_id, []).append(parchemin)
    annulments = {
        a.certification_id: a for a in Annulation.objects.filter(certification__in=certs, lifted_at__isnull=True)
    }
    return prints, annulments


def find_by_number(number: str) -> Certification | None:
    return (
        Certification.objects.filter(number=number)
        .select_related("candidat", "titre", "ccp", "session")
        .prefetch_related("parchemins", "annulations")
        .first()
    )


def verification(number: str, token: str, edition_code: str = "") -> dict:
    """What the public page says about a number, the signature of its QR code and the edition that code names.

    ``state``: numero_invalide, inconnu, signature_invalide, annule, numero_attribue (no QR signature: the number
    exists, nothing more), authentique (the current edition), remplace (an older edition, authentic but replaced by
    ``current``). ``edition``: the edition the QR code belongs to.
    """
    number = normalize_number(number)
    result = {
        "number": number,
        "state": "inconnu",
        "certification": None,
        "annulled": False,
        "signed": bool(token),
        "edition": None,
        "current": None,
    }
    if not check_number(number):
        result["state"] = "numero_invalide"
        return result
    cert = find_by_number(number)
    if cert is None:
        return result
    editions = sorted(cert.parchemins.all(), key=lambda p: p.edition)
    current = editions[-1] if editions else None
    annulled = cert.withdrawn_at is not None or any(a.lifted_at is None for a in cert.annulations.all())
    signature_ok = None
    if token:
        edition = _signed_edition(number, token, edition_code, editions)
        signature_ok = edition is not None
        result["edition"] = edition
    result.update(
        certification=cert,
        annulled=annulled,
        current=current,
        state=rules.verification_state(
            signature_ok=signature_ok,
            annulled=annulled,
            # Copies signed before editions existed share one signature: any of them current means current.
            current=bool(token and signature_ok and _is_current(number, token, result["edition"], current)),
        ),
    )
    return result


def _signed_edition(number: str, token: str, edition_code: str, editions: list[Parchemin]) -> Parchemin | None:
    """The edition whose signature is token: the one the QR code names (``e``), or, for QR codes printed before
    editions existed, the one carrying that token. None when the signature, or the edition it names, is forged."""
    if edition_code:
        wanted = rules.edition_from_code(edition_code)
        candidates = [p for p in editions if p.edition == wanted]
    else:
        candidates = [p for p in editions if p.signature == token and signature.EDITION_KEY not in p.facts]
    for parchemin in candidates:
        if signature.verify(number, token, parchemin.facts):
            return parchemin
    return None


def _is_current(number: str, token: str, edition: Parchemin | None, current: Parchemin | None) -> bool:
    if edition is None or current is None:
        return False
    if edition.pk == current.pk:
        return True
    return signature.EDITION_KEY not in current.facts and current.signature == token

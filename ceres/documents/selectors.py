"""Reads of the documents app, scoped by user."""

from django.db.models import QuerySet

from ceres.documents.models import ImpressionLot, NatureImpression, Parchemin
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


def session_certifications(session: SessionExamen) -> list[Certification]:
    """Printable awards of a session: titles, and CCP certificates of candidates who did not get the title."""
    certs = list(
        Certification.objects.current()
        .filter(session=session, kind__in=[TypeCertification.TITRE, TypeCertification.CCP])
        .select_related("candidat", "titre", "ccp", "inscription")
        .prefetch_related("parchemins", "annulations")
        .order_by("candidat__name_key", "candidat__first_names", "kind", "ccp__order")
    )
    with_title = {c.inscription_id for c in certs if c.kind == TypeCertification.TITRE}
    return [c for c in certs if c.kind == TypeCertification.TITRE or c.inscription_id not in with_title]


def printable_certifications(session: SessionExamen) -> list[Certification]:
    """session_certifications, each marked ``has_original`` and ``annulled`` (print links of the session page)."""
    certs = session_certifications(session)
    for cert in certs:
        cert.has_original = any(p.nature == NatureImpression.ORIGINAL for p in cert.parchemins.all())
        cert.annulled = any(a.lifted_at is None for a in cert.annulations.all())
    return certs


def find_by_number(number: str) -> Certification | None:
    return (
        Certification.objects.filter(number=number)
        .select_related("candidat", "titre", "ccp", "session")
        .prefetch_related("parchemins", "annulations")
        .first()
    )


def verification(number: str, token: str) -> dict:
    """What the public page says about a number and the signature of its QR code."""
    number = normalize_number(number)
    result = {"number": number, "state": "inconnu", "certification": None, "annulled": False, "signed": bool(token)}
    if not check_number(number):
        result["state"] = "numero_invalide"
        return result
    cert = find_by_number(number)
    if cert is None:
        return result
    result["certification"] = cert
    result["annulled"] = cert.withdrawn_at is not None or any(a.lifted_at is None for a in cert.annulations.all())
    if token:
        facts = [p.facts for p in cert.parchemins.all() if p.signature == token] or [
            p.facts for p in cert.parchemins.all()
        ]
        authentic = any(signature.verify(number, token, f) for f in facts)
        result["state"] = "authentique" if authentic else "signature_invalide"
    else:
        result["state"] = "numero_attribue"
    return result

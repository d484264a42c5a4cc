"""Reads of the documents app, scoped by user."""

from django.db.models import QuerySet

from ceres.documents.models import Annulation, ImpressionLot, Parchemin
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


def lots_visible_for(user) -> QuerySet[ImpressionLot]:
    return ImpressionLot.objects.filter(session__in=sessions_visible_for(user).values("pk"))


def active_annulment(certification) -> Annulation | None:
    return certification.annulations.filter(lifted_at__isnull=True).first()


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


def find_by_number(number: str) -> Certification | None:
    return (
        Certification.objects.filter(number=number)
        .select_related("candidat", "titre", "ccp", "session")
        .prefetch_related("parchemins", "annulations")
        .first()
    )

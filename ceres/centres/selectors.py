"""Reads scoped by user. Every list and detail page goes through these (objects outside scope → 404)."""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ceres.centres import rules
from ceres.centres.enums import DecisionAgrement, StatutAgrement, StatutInvitation
from ceres.centres.models import Agrement, Centre, DepotValce, InvitationCentre
from ceres.core.dates import add_months
from ceres.referentiels import parametres


def _centre_filter(user) -> Q | None:
    """Q on centres visible to the user (None = everything, Q(pk__in=[]) = nothing)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_admin_national or user.is_superuser:
        return None
    if user.is_agent_dreets and user.region_id:
        return Q(departement__region_id=user.region_id)
    if user.is_agent_ud and user.ud_id:
        return Q(departement_id=user.ud.departement_id)
    if user.is_gestionnaire_centre:
        return Q(memberships__user=user)
    return Q(pk__in=[])


def centres_visible_for(user) -> QuerySet[Centre]:
    q = _centre_filter(user)
    qs = Centre.objects.select_related("departement__region", "commune")
    return qs if q is None else qs.filter(q).distinct()


def agrements_visible_for(user) -> QuerySet[Agrement]:
    return Agrement.objects.filter(centre__in=centres_visible_for(user).values("pk")).select_related(
        "centre__departement", "site__commune", "titre", "ccs", "decision_by"
    )


def filter_by_status(qs: QuerySet[Agrement], status: str, today: datetime.date) -> QuerySet[Agrement]:
    """SQL twin of rules.agrement_status, so lists can filter on the derived status."""
    if status == StatutAgrement.EN_COURS_INSTRUCTION:
        return qs.filter(decision=DecisionAgrement.EN_INSTRUCTION)
    if status in (StatutAgrement.REFUSEE, StatutAgrement.RETIREE, StatutAgrement.CLASSEE_SANS_SUITE):
        return qs.filter(decision=status)
    accepted = qs.filter(decision=DecisionAgrement.ACCEPTEE)
    if status == StatutAgrement.VALIDE:
        return accepted.filter(start_date__lte=today, end_date__gte=today)
    if status == StatutAgrement.A_VENIR:
        return accepted.filter(start_date__gt=today)
    if status == StatutAgrement.EXPIREE:
        return accepted.filter(end_date__lt=today)
    return qs


def agrements_ending_soon(user, today: datetime.date) -> QuerySet[Agrement]:
    """Accepted agréments ending within ALERTE_FIN_AGREMENT_MOIS months (default 3), soonest first."""
    months = parametres.get("ALERTE_FIN_AGREMENT_MOIS")
    return (
        agrements_visible_for(user)
        .filter(decision=DecisionAgrement.ACCEPTEE, end_date__gte=today, end_date__lte=add_months(today, months))
        .order_by("end_date", "id")
    )


def agrement_for_session(
    *, centre, site, titre, days: Iterable[datetime.date], ccs=None, extended_end_date=None
) -> tuple[Agrement | None, list[str]]:
    """The agrément covering (centre, site, title[, CCS]) on every day, or (None, French reasons).

    Among several candidates (renewals, historical rows), the first one without reasons wins; otherwise the
    reasons of the most relevant one (accepted first, latest end date) are returned.
    """
    days = list(days)
    candidates = list(
        Agrement.objects.filter(centre=centre, site=site, titre=titre, ccs=ccs).order_by("-end_date", "-id")
    )
    if not candidates:
        label = "ce CCS" if ccs is not None else "ce titre"
        return None, [f"Aucun agrément n'existe pour {label} sur ce site."]
    best_reasons = None
    for agrement in sorted(candidates, key=lambda a: a.decision != DecisionAgrement.ACCEPTEE):
        reasons = rules.agrement_covers(
            agrement.facts,
            days=days,
            centre_id=centre.pk,
            site_id=site.pk,
            titre_id=titre.pk,
            ccs_id=ccs.pk if ccs is not None else None,
            extended_end_date=extended_end_date,
            titre_end_date=titre.end_date,
        )
        if not reasons:
            return agrement, []
        if best_reasons is None:
            best_reasons = reasons
    return None, best_reasons or [rules.NO_AGREMENT]


def invitations_for(user) -> QuerySet[InvitationCentre]:
    """Pending invitations addressed to the user's own (canonical) address, for active centre managers only."""
    if not (user.is_authenticated and user.is_active and user.is_gestionnaire_centre):
        return InvitationCentre.objects.none()
    return InvitationCentre.objects.filter(email=user.email, status=StatutInvitation.EN_ATTENTE).select_related(
        "centre", "invited_by"
    )


def depots_valce_visible_for(user):
    """VALCE exports deposited from the browser: the national administrator sees all, a DREETS agent their own."""
    qs = DepotValce.objects.select_related("region", "applied_by")
    if getattr(user, "is_admin_national", False):
        return qs
    return qs.filter(created_by=user) if getattr(user, "is_authenticated", False) else qs.none()

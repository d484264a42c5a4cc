"""Reads scoped by user. Every list and detail page goes through these."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ceres.examens import rules
from ceres.examens.enums import TypeCertification
from ceres.examens.models import Certification, Inscription, SessionExamen
from ceres.referentiels import parametres


def _session_filter(user) -> Q | None:
    """None = everything; Q() never matches when built from an empty set."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_admin_national:
        return None
    if user.is_agent_dreets:
        return Q(departement__region_id=user.region_id)
    if user.is_agent_ud:
        return Q(departement_id=user.ud.departement_id) if user.ud_id else Q(pk__in=[])
    if user.is_gestionnaire_centre:
        return Q(centre__memberships__user=user)
    if user.is_membre_jury:
        return Q(jury__membre__user=user)
    return Q(pk__in=[])


def sessions_visible_for(user) -> QuerySet[SessionExamen]:
    qs = SessionExamen.objects.select_related("centre", "site", "titre", "departement", "ccs")
    condition = _session_filter(user)
    if condition is not None:
        # A direct condition (no `id IN (subquery)`): the planner walks the (scope, start_date, id) indexes. The
        # joins cannot duplicate a session (one membership per user and centre, one convocation per juror).
        qs = qs.filter(condition)
    return qs


def sessions_filtered(qs, *, status="", titre="", centre="", start_after=None, start_before=None):
    if status:
        qs = qs.filter(status=status)
    if titre:
        qs = qs.filter(Q(titre__intitule__icontains=titre) | Q(titre__sigle__iexact=titre))
    if centre:
        qs = qs.filter(centre__name__icontains=centre)
    if start_after:
        qs = qs.filter(start_date__gte=start_after)
    if start_before:
        qs = qs.filter(start_date__lte=start_before)
    return qs


def inscriptions_visible_for(user) -> QuerySet[Inscription]:
    return Inscription.objects.filter(session__in=sessions_visible_for(user)).select_related("session", "candidat")


def candidats_for_registration(user, *, q: str, first_name: str = "", birth_date=None):
    """Candidate search before registering: the user's candidates; with name AND birth date, the national file
    (one file per person for life, R7: a centre must find a candidate another centre created)."""
    from ceres.candidats.models import Candidat
    from ceres.candidats.selectors import candidats_search

    if not (q and birth_date):
        return candidats_search(user, q=q, first_name=first_name, birth_date=birth_date)
    from ceres.core.identite import normalize_name

    key = normalize_name(q)[:100]
    qs = Candidat.objects.active().filter(birth_date=birth_date)
    qs = qs.filter(Q(name_key__startswith=key) | Q(usage_name_key__startswith=key) | Q(numero=q.strip()))
    if first_name:
        qs = qs.filter(first_names__icontains=first_name.strip())
    return qs.select_related("birth_commune", "birth_country")


def registrable_candidat(public_id):
    """The active file chosen in the registration search (which reaches the national file only on an exact name +
    birth date): any active, unmerged file can be registered by its unguessable public id."""
    from ceres.candidats.models import Candidat

    return Candidat.objects.active().filter(public_id=public_id).first()


def obtained_ccp_map(candidat_ids, titre, *, exclude_session=None) -> dict[int, set[int]]:
    """CCPs of `titre` each candidate holds: obtained on this version, or on a previous version through the
    correspondence table of the revision arrêté (Ccp.correspond_to). CCPs are acquired for good (R.338-5)."""
    from ceres.referentiels.models import Ccp

    qs = Certification.objects.current().filter(candidat_id__in=list(candidat_ids), kind=TypeCertification.CCP)
    if exclude_session is not None:
        qs = qs.exclude(session=exclude_session)
    held: dict[int, set[int]] = {}
    for candidat_id, ccp_id in qs.values_list("candidat_id", "ccp_id"):
        held.setdefault(candidat_id, set()).add(ccp_id)
    own = set(titre.ccps.values_list("pk", flat=True))
    mapping: dict[int, set[int]] = {}  # previous-version CCP -> CCPs of this version it gives
    for new_id, old_id in Ccp.correspond_to.through.objects.filter(from_ccp__titre=titre).values_list(
        "from_ccp_id", "to_ccp_id"
    ):
        mapping.setdefault(old_id, set()).add(new_id)
    result = {}
    for candidat_id, ids in held.items():
        result[candidat_id] = (ids & own) | {new for old in ids for new in mapping.get(old, ())}
    return result


def obtained_ccp_ids(candidat, titre, *, exclude_session=None) -> set[int]:
    return obtained_ccp_map([candidat.pk], titre, exclude_session=exclude_session).get(candidat.pk, set())


def has_title(candidat, titre) -> bool:
    return (
        Certification.objects.current().filter(candidat=candidat, kind=TypeCertification.TITRE, titre=titre).exists()
    )


def last_failed_or_partial(candidat, titre, *, before: datetime.date) -> datetime.date | None:
    """End date of the latest validated session on this title where the candidate failed or partially succeeded."""
    from ceres.examens.enums import Decision, StatutSession

    return (
        Inscription.objects.filter(
            candidat=candidat,
            session__titre=titre,
            session__status=StatutSession.VALIDEE,
            session__end_date__lt=before,
            decision__in=[Decision.ECHEC, Decision.REUSSITE_PARTIELLE],
        )
        .order_by("-session__end_date")
        .values_list("session__end_date", flat=True)
        .first()
    )


@dataclass
class TitrePath:
    titre: object
    ccps_obtained: list = field(default_factory=list)  # Certification rows
    ccps_missing: list = field(default_factory=list)  # Ccp rows
    title: object = None  # Certification row
    deadlines: list[str] = field(default_factory=list)


def parcours(candidat, *, today: datetime.date) -> dict:
    """Everything a candidate went through: registrations, CCPs with date and session, titles, what is missing."""
    inscriptions = list(
        Inscription.objects.filter(candidat=candidat)
        .select_related("session__titre", "session__centre", "session__ccs")
        .prefetch_related("ccps", "resultats__ccp")
        .order_by("-session__start_date")
    )
    certifications = list(
        Certification.objects.current()
        .filter(candidat=candidat)
        .select_related("titre", "ccp", "ccs", "session")
        .order_by("awarded_on", "id")
    )
    titres = {}
    for ins in reversed(inscriptions):
        titres.setdefault(ins.session.titre_id, ins.session.titre)
    for cert in certifications:
        titres.setdefault(cert.titre_id, cert.titre)
    resit_months = parametres.get("DELAI_REPASSAGE_MOIS")
    prolongation_months = parametres.get("DELAI_PROLONGATION_MOIS")
    paths = []
    for titre in titres.values():
        path = TitrePath(titre=titre)
        path.ccps_obtained = [c for c in certifications if c.kind == TypeCertification.CCP and c.titre_id == titre.pk]
        path.title = next(
            (c for c in certifications if c.kind == TypeCertification.TITRE and c.titre_id == titre.pk), None
        )
        obtained = obtained_ccp_ids(candidat, titre)
        path.ccps_missing = [] if path.title else [c for c in titre.ccps.all() if c.pk not in obtained]
        if not path.title:
            last = last_failed_or_partial(candidat, titre, before=today + datetime.timedelta(days=1))
            if last:
                deadline = rules.fr_date(rules.add_months(last, resit_months))
                path.deadlines.append(f"Repassage (voie formation) possible jusqu'au {deadline}.")
            if titre.end_date and path.ccps_obtained:
                limit = rules.add_months(titre.end_date, prolongation_months) - datetime.timedelta(days=1)
                path.deadlines.append(
                    f"Fin de vie du titre le {rules.fr_date(titre.end_date)} : parcours à compléter au plus tard "
                    f"le {rules.fr_date(limit)} (délai de prolongation)."
                )
        paths.append(path)
    return {"inscriptions": inscriptions, "certifications": certifications, "paths": paths}

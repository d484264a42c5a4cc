"""Reads on candidate files, always scoped by user; duplicate lookups through the indexed blocking keys.

Scoping (decision, documented in the glossary):
- admin national: every file (read only);
- agent UD: files whose residence commune is in their département, created by a centre of their
  département, or registered in a session of a centre of their département (hook below, plugged in by examens);
- agent DREETS: same rule at the scale of their region;
- gestionnaire de centre: files created by one of their centres or registered in one of their centres' sessions;
- membre de jury: none here (juries see candidates through their convocations).
A file absorbed by a merge stays visible to whoever sees it (its page points to the surviving file).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from ceres.candidats import rules
from ceres.candidats.models import Candidat, CandidatCle, DoublonPotentiel
from ceres.core.hooks import Hook
from ceres.core.text import fold
from ceres.personnes.geographie import Geographie
from ceres.personnes.identite import CERTAIN, IdentityFacts, Match, blocking_keys, compare, normalize_name
from ceres.referentiels.models import Departement

# Registrations live in examens, above candidats: examens plugs in a function returning the candidat ids registered
# in a session of the centres matching a lookup (ExamensConfig.ready).
registrations_in_centres = Hook("candidats.registrations_in_centres")


def _registered_in_centres(**centre_lookup) -> Q:
    return Q(pk__in=registrations_in_centres(**centre_lookup))


def candidats_visible_for(user):
    qs = Candidat.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_admin_national:
        return qs
    if user.is_agent_ud:
        code = user.ud.departement.code
        return qs.filter(
            Q(commune__departement_code=code)
            | Q(created_by_centre__departement__code=code)
            | _registered_in_centres(departement__code=code)
        )
    if user.is_agent_dreets:
        region_id = user.region_id
        codes = list(Departement.objects.filter(region_id=region_id).values_list("code", flat=True))
        return qs.filter(
            Q(commune__departement_code__in=codes)
            | Q(created_by_centre__departement__region_id=region_id)
            | _registered_in_centres(departement__region_id=region_id)
        )
    if user.is_gestionnaire_centre:
        centre_ids = list(user.centre_memberships.values_list("centre_id", flat=True))
        return qs.filter(Q(created_by_centre_id__in=centre_ids) | _registered_in_centres(id__in=centre_ids))
    return qs.none()


def candidats_search(user, *, q: str = "", birth_date=None, first_name: str = "", include_merged: bool = False):
    """Search by number, name (birth or usage, prefix, same normalisation as the duplicate check), first
    name and birth date."""
    qs = candidats_visible_for(user)
    if not include_merged:
        qs = qs.active()
    q = (q or "").strip()
    if q:
        digits = q.replace(" ", "")
        if digits.isdigit():
            qs = qs.filter(numero__startswith=digits)
        else:
            key = normalize_name(q)[:100]
            qs = qs.filter(Q(name_key__startswith=key) | Q(usage_name_key__startswith=key))
    if birth_date:
        qs = qs.filter(birth_date=birth_date)
    key = rules.first_names_key(first_name or "")
    if key:
        # Accents, case and hyphens ignored ("Lea" finds "Léa", "jean-pierre" finds "Jean Pierre" glued or not).
        qs = qs.filter(first_names_key__contains=key)
    return qs.select_related("birth_commune", "birth_country", "commune")


def _survivor(candidat: Candidat) -> Candidat:
    seen = set()
    while candidat.merged_into_id and candidat.pk not in seen:
        seen.add(candidat.pk)
        candidat = candidat.merged_into
    return candidat


@dataclass(frozen=True)
class Verification:
    """Verdict of the duplicate check of one identity: the best level found and every matching file with its
    reasons (what the page, the import, the API and the batch detection all show)."""

    level: str | None  # "certain", "probable" or None
    matches: list[tuple[Candidat, Match]]

    @property
    def reasons(self) -> list[str]:
        return self.matches[0][1].reasons if self.matches else []


def identite_verifier(facts: IdentityFacts, *, exclude_ids=()) -> Verification:
    """THE duplicate check of an identity against the candidate files (one entry point for every caller)."""
    matches = doublons_find(facts, exclude_ids=exclude_ids)
    return Verification(matches[0][1].level if matches else None, matches)


def doublons_find(facts: IdentityFacts, *, exclude_ids=(), places: Geographie | None = None) -> list:
    """Files matching an identity, best first: an index lookup on the blocking keys, then ``compare`` with the
    geography of birth places. Absorbed files resolve to their survivor (the absorbed identity stays searchable).
    Returns [(candidat, Match)]."""
    keys = blocking_keys(facts)
    if not keys:
        return []
    places = places or Geographie()
    # One round trip: the keys index gives the few files sharing a key (usually 0 to 5 among millions).
    sharing = CandidatCle.objects.filter(key__in=sorted(keys)).values("candidat_id")
    results: dict[int, tuple[Candidat, Match]] = {}
    for other in Candidat.objects.filter(pk__in=sharing):
        if other.pk in exclude_ids:
            continue
        match = compare(facts, other.identity_facts(), places)
        if not match:
            continue
        target = _survivor(other)
        if target.pk in exclude_ids:
            continue
        if target.pk != other.pk:
            match = Match(match.level, match.reasons + [f"identité d'un dossier fusionné ({other.numero})"])
        previous = results.get(target.pk)
        if previous is None or (match.level == CERTAIN and previous[1].level != CERTAIN):
            results[target.pk] = (target, match)
    return sorted(results.values(), key=lambda item: (item[1].level != CERTAIN, item[0].name_key, item[0].pk))


def doublons_detect(*, batch_size: int = 2000):
    """Batch detection over the whole base: group the blocking keys shared by several active files, then
    compare inside each group. Yields (candidat_a, candidat_b, match) once per pair."""
    shared = (
        CandidatCle.objects.filter(candidat__merged_into__isnull=True)
        .values("key")
        .annotate(n=Count("candidat"))
        .filter(n__gte=2)
        .values_list("key", flat=True)
    )
    keys = list(shared)
    seen = set()
    places = Geographie()
    for start in range(0, len(keys), batch_size):
        chunk = keys[start : start + batch_size]
        groups = defaultdict(set)
        for key, candidat_id in CandidatCle.objects.filter(key__in=chunk).values_list("key", "candidat_id"):
            groups[key].add(candidat_id)
        ids = set().union(*groups.values()) if groups else set()
        files = {c.pk: c for c in Candidat.objects.active().filter(pk__in=ids)}
        for members in groups.values():
            members = sorted(m for m in members if m in files)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if (a, b) in seen:
                        continue
                    seen.add((a, b))
                    match = compare(files[a].identity_facts(), files[b].identity_facts(), places)
                    if match:
                        yield files[a], files[b], match


def doublons_visible_for(user, *, to_review: bool = True):
    """Stored pairs where the user sees both files. Pairs to review (detected, or declared "another person" /
    homonymy at entry) leave out files already absorbed by another merge (the surviving file carries their
    identity and is compared again by the next detection)."""
    visible = candidats_visible_for(user)
    qs = DoublonPotentiel.objects.filter(candidat_a__in=visible, candidat_b__in=visible)
    if to_review:
        qs = qs.filter(
            status__in=DoublonPotentiel.TO_REVIEW,
            candidat_a__merged_into__isnull=True,
            candidat_b__merged_into__isnull=True,
        )
    return qs.select_related(
        "candidat_a__birth_commune", "candidat_a__birth_country", "candidat_b__birth_commune",
        "candidat_b__birth_country", "declared_by",
    )  # fmt: skip


def numero_looks_valid(value: str) -> bool:
    return rules.numero_is_valid(fold(value).replace(" ", ""))


def corrections_for(user, *, pending: bool = True):
    """Identity correction requests a UD agent decides: those of its département (services.correction_departements)."""
    from ceres.candidats.models import CorrectionIdentite

    if not (user.is_authenticated and user.is_agent_ud):
        return CorrectionIdentite.objects.none()
    qs = CorrectionIdentite.objects.filter(departements__contains=f",{user.ud.departement_id},")
    if pending:
        qs = qs.filter(status=CorrectionIdentite.Statut.EN_ATTENTE)
    return qs

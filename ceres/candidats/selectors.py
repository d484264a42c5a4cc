"""Reads on candidate files, always scoped by user; duplicate lookups through the indexed blocking keys.

Scoping (decision, documented in the glossary):
- admin national: every file (read only);
- agent UD: files whose residence commune is in their département, created by a centre of their
  département, or registered in a session of a centre of their département (precomputed: ceres.candidats.acces);
- agent DREETS: same rule at the scale of their region;
- gestionnaire de centre: files created by one of their centres or registered in one of their centres' sessions;
- membre de jury: none here (juries see candidates through their convocations).
A file absorbed by a merge stays visible to whoever sees it (its page points to the surviving file).
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from django.db.models import Count, OuterRef, Q, Subquery

from ceres.candidats import acces, rules
from ceres.candidats.models import (
    Candidat,
    CandidatAcces,
    CandidatCle,
    CorrectionIdentite,
    DoublonPotentiel,
    ImportCandidats,
)
from ceres.personnes.geographie import Geographie
from ceres.personnes.identite import CERTAIN, IdentityFacts, Match, blocking_keys, compare, normalize_name


def prefix_range(field: str, key: str) -> Q:
    """``key <= field < next key``: the index range of the names starting with ``key``. Exact under a bytewise
    collation (C, SQLite); under a linguistic one it may hold a few more names, which ``NameSearch`` leaves out. No
    ``LIKE`` next to it: PostgreSQL multiplied the two estimates of the same range (19 rows for 5,000) and sorted
    every match instead of reading the page in index order (issue #14)."""
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    return Q(**{f"{field}__gte": key, f"{field}__lt": upper})


def _scoped(qs, scopes: list[str] | None):
    if scopes is None:
        return qs
    if not scopes:
        return qs.none()
    return qs.filter(pk__in=CandidatAcces.objects.filter(scope__in=scopes).values("candidat_id"))


def candidats_visible_for(user):
    """Files the user sees, through the precomputed access rows (ceres.candidats.acces): one indexed lookup."""
    return _scoped(Candidat.objects.all(), acces.user_scopes(user))


class NameSearch:
    """Files whose birth name or usage name starts with a key, in the order of the matched name then id.

    Read as two ordered index ranges (birth name, usage name), each stopped after the rows a page needs, merged in
    Python: an SQL ``OR`` of the two would read and sort every match first (the whole "mar…" of a region). Works
    with Paginator / BoundedPaginator (``count``, slicing) and like a list of Candidat."""

    def __init__(self, streams, related: tuple[str, ...], prefix: str):
        self.streams = streams  # (queryset filtered by prefix_range, key field, id field): ordered by (key, id)
        self.related = related
        self.prefix = prefix

    def _stream(self, qs, key: str, pk: str, stop: int | None) -> list[tuple[str, int]]:
        """The first `stop` (key, id) of a range that really start with the prefix, read in pages of the range."""
        rows = qs.order_by(key, pk).values_list(key, pk)
        if stop is None:
            return [row for row in rows if row[0].startswith(self.prefix)]
        found: list[tuple[str, int]] = []
        batch = list(rows[:stop])
        while True:
            found += [row for row in batch if row[0].startswith(self.prefix)]
            if len(found) >= stop or len(batch) < stop:
                return found[:stop]
            # Only under a linguistic collation: names in the range without the prefix were left out, read on.
            last_key, last_id = batch[-1]
            after = Q(**{f"{key}__gt": last_key}) | Q(**{key: last_key, f"{pk}__gt": last_id})
            batch = list(rows.filter(after)[:stop])

    def _ids(self, stop: int | None) -> list[int]:
        seen, ids = set(), []
        ranges = [self._stream(qs, key, pk, stop) for qs, key, pk in self.streams]
        for _, pk in heapq.merge(*ranges):
            if pk not in seen:
                seen.add(pk)
                ids.append(pk)
        return ids

    def bounded_count(self, limit: int) -> int:
        return len(self._ids(limit + 1))

    def count(self) -> int:
        return len(self._ids(None))

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        ids = self._ids(stop)[start:stop]
        by_id = Candidat.objects.select_related(*self.related).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def __iter__(self):
        return iter(self[0:None])


RELATED = ("birth_commune", "birth_country", "commune")


def candidats_search(user, *, q: str = "", birth_date=None, first_name: str = "", include_merged: bool = False):
    """Search by number, name (birth or usage, prefix, same normalisation as the duplicate check), first
    name and birth date. With one scope (UD, DREETS, one centre) the rows are read in the order of the scope's
    (scope, name) indexes, so a page costs the same at 2 million files as at 2,000 (issue #14)."""
    scopes = acces.user_scopes(user)
    q = (q or "").strip()
    digits = q.replace(" ", "")
    key = normalize_name(q)[:100] if q and not digits.isdigit() else ""
    one_scope = scopes is not None and len(scopes) == 1

    def refine(qs):
        if not include_merged:
            qs = qs.active()
        if q and digits.isdigit():
            qs = qs.filter(numero__startswith=digits)
        if birth_date:
            qs = qs.filter(birth_date=birth_date)
        first_key = rules.first_names_key(first_name or "")
        if first_key:
            # Accents, case and hyphens ignored ("Lea" finds "Léa", "jean-pierre" finds "Jean Pierre" glued or not).
            qs = qs.filter(first_names_key__contains=first_key)
        return qs

    if key:
        if one_scope and not (birth_date or first_name or include_merged):
            # The access rows alone (index-only ranges of the scope's active files), not one read of the candidate
            # table per row for "not absorbed": 1,001 rows for "more than 1,000" (issue #14).
            rows = CandidatAcces.objects.filter(scope=scopes[0], active=True)
            streams = [
                (rows.filter(prefix_range("name_key", key)), "name_key", "candidat_id"),
                (rows.filter(prefix_range("usage_name_key", key)), "usage_name_key", "candidat_id"),
            ]
        elif one_scope:
            scope = Q(acces__scope=scopes[0]) if include_merged else Q(acces__scope=scopes[0], acces__active=True)
            streams = [
                (
                    refine(Candidat.objects.filter(scope, prefix_range("acces__name_key", key))),
                    "acces__name_key",
                    "id",
                ),
                (
                    refine(Candidat.objects.filter(scope, prefix_range("acces__usage_name_key", key))),
                    "acces__usage_name_key",
                    "id",
                ),
            ]
        else:
            base = refine(_scoped(Candidat.objects.all(), scopes))
            streams = [
                (base.filter(prefix_range("name_key", key)), "name_key", "id"),
                (base.filter(prefix_range("usage_name_key", key)), "usage_name_key", "id"),
            ]
        return NameSearch(streams, RELATED, key)
    if one_scope:
        # acces.active in the same filter (one join): the partial (scope, name) index of the active files serves
        # the order.
        scope = Q(acces__scope=scopes[0]) if include_merged else Q(acces__scope=scopes[0], acces__active=True)
        qs = Candidat.objects.filter(scope).order_by("acces__name_key", "acces__candidat_id")
    else:
        qs = _scoped(Candidat.objects.all(), scopes)
    return refine(qs).select_related(*RELATED)


def _survivor(candidat: Candidat) -> Candidat:
    seen = set()
    while candidat.merged_into_id and candidat.pk not in seen:
        seen.add(candidat.pk)
        candidat = candidat.merged_into
    return candidat


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


def doublons_visible_for(user, *, to_review: bool = True, details: bool = True):
    """Stored pairs where the user sees both files (one lookup each in the access rows' unique index). Pairs to
    review (detected, or declared "another person" / homonymy at entry) leave out files already absorbed by another
    merge (the surviving file carries their identity and is compared again by the next detection).

    Read from the queue of pairs, a few thousand nationally (issue #14): the scope is checked by scalar subqueries,
    one index probe per pair (PostgreSQL turns an EXISTS into a join that read every access row of the scope, a
    whole département, 4 times the pages), and absorbed files are the short list of merged files held in a hash
    (instead of reading both files of every pair)."""
    qs = DoublonPotentiel.objects.all()
    scopes = acces.user_scopes(user)
    if scopes is not None:
        if not scopes:
            return qs.none()
        seen = CandidatAcces.objects.filter(scope__in=scopes)
        qs = qs.alias(
            seen_a=Subquery(seen.filter(candidat=OuterRef("candidat_a")).values("candidat_id")[:1]),
            seen_b=Subquery(seen.filter(candidat=OuterRef("candidat_b")).values("candidat_id")[:1]),
        ).filter(seen_a__isnull=False, seen_b__isnull=False)
    if to_review:
        absorbed = Candidat.objects.filter(merged_into__isnull=False).values("pk")
        qs = (
            qs.filter(status__in=DoublonPotentiel.TO_REVIEW)
            .exclude(candidat_a__in=absorbed)
            .exclude(candidat_b__in=absorbed)
        )
    return qs.select_related(*DOUBLON_DETAILS) if details else qs


DOUBLON_DETAILS = (
    "candidat_a__birth_commune", "candidat_a__birth_country", "candidat_b__birth_commune",
    "candidat_b__birth_country", "declared_by",
)  # fmt: skip


def corrections_for(user, *, pending: bool = True):
    """Identity correction requests a UD agent decides: those of its département (services.correction_departements)."""
    if not (user.is_authenticated and user.is_agent_ud):
        return CorrectionIdentite.objects.none()
    qs = CorrectionIdentite.objects.filter(departements__contains=f",{user.ud.departement_id},")
    if pending:
        qs = qs.filter(status=CorrectionIdentite.Statut.EN_ATTENTE)
    return qs


def imports_visible_for(user):
    """Browser imports of the centres the user is a member of."""
    if not getattr(user, "is_authenticated", False) or not user.is_gestionnaire_centre:
        return ImportCandidats.objects.none()
    return ImportCandidats.objects.filter(centre__memberships__user=user).select_related("centre", "applied_by")

"""Reads scoped by user, and the list of jurors to convene for a session (used by the sessions app)."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ceres.core.dates import ONE_DAY, add_months
from ceres.core.hooks import Hook
from ceres.core.text import fold
from ceres.jurys import rules
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation, HomonymieJure, ImportReprise, MembreJury
from ceres.referentiels import parametres
from ceres.referentiels.models import Commune, Departement, TitreProfessionnel

# Convocations live in examens, above jurys: examens plugs in {membre_id: sessions convened between since and until}.
convened_session_counts = Hook("jurys.convened_session_counts")

RECENT_MONTHS = 12


def _membre_filter(user) -> Q | None:
    """Q on juror files visible to the user (None = all). Juror files are managed by their UD."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_admin_national or user.is_superuser:
        return None
    if user.is_agent_ud and user.ud_id:
        return Q(ud_id=user.ud_id)
    if user.is_membre_jury:
        return Q(user=user)
    return Q(pk__in=[])


def membres_visible_for(user) -> QuerySet[MembreJury]:
    q = _membre_filter(user)
    qs = MembreJury.objects.select_related("ud__departement", "birth_commune", "birth_country", "commune")
    return qs if q is None else qs.filter(q)


def membres_manageable_by(user) -> QuerySet[MembreJury]:
    """Files the user may edit (and habilitate): the agent UD's own files."""
    if user is not None and user.is_authenticated and user.is_agent_ud and user.ud_id:
        return MembreJury.objects.filter(ud_id=user.ud_id)
    return MembreJury.objects.none()


def habilitations_visible_for(user) -> QuerySet[Habilitation]:
    return Habilitation.objects.filter(membre__in=membres_visible_for(user).values("pk")).select_related(
        "membre", "titre", "ud"
    )


def titre_lineage_ids(titre: TitreProfessionnel) -> set[int]:
    """Versions of the same title: same ``code_titre``, plus the predecessor/successor chain.

    A habilitation granted on one version is valid for sessions on every version of the lineage (DOMAIN §4.2);
    the référentiel does not record revisions that restrict habilitations, so none are excluded. One query: the
    graph of the ~750 titles is small, walking it in SQL took 2 to 3 queries per step."""
    graph = list(TitreProfessionnel.objects.values_list("pk", "code_titre", "predecessor_id"))
    by_code: dict[str, set[int]] = {}
    neighbours: dict[int, set[int]] = {}
    for pk, code, predecessor in graph:
        if code:
            by_code.setdefault(code, set()).add(pk)
        if predecessor:
            neighbours.setdefault(pk, set()).add(predecessor)
            neighbours.setdefault(predecessor, set()).add(pk)
    code_of = {pk: code for pk, code, _ in graph}
    seen: set[int] = set()
    frontier = {titre.pk}
    while frontier:
        seen |= frontier
        found: set[int] = set()
        for pk in frontier:
            found |= neighbours.get(pk, set())
            if code_of.get(pk):
                found |= by_code[code_of[pk]]
        frontier = found - seen
    return seen


def jurors_habilitated_on(titre: TitreProfessionnel) -> QuerySet[MembreJury]:
    """Jurors holding a habilitation (any status) on a version of the title: the only ones who could sit on its
    juries, hence the ones a registration names as trainer (impartiality, docs/decisions/0007)."""
    return MembreJury.objects.filter(
        pk__in=Habilitation.objects.filter(titre_id__in=titre_lineage_ids(titre)).values("membre_id")
    ).order_by("name_key", "first_names_key")


def juror_identity(membre: MembreJury) -> rules.JurorIdentity:
    return rules.JurorIdentity(
        employer_siret=membre.employer_siret,
        employer_name_key=membre.employer_name_key,
        name_keys=frozenset(k for k in (fold(membre.birth_name), fold(membre.usage_name)) if k),
        first_name_key=(fold(membre.first_names).split() or [""])[0],
    )


def effective_end_of(habilitation: Habilitation, *, extension_months: int | None = None) -> rules.EffectiveEnd:
    if extension_months is None:
        extension_months = parametres.get("EXTENSION_HABILITATION_MOIS")
    return rules.habilitation_effective_end(
        end_date=habilitation.end_date,
        until_end_of_life=habilitation.until_end_of_life,
        titre_end_of_life=habilitation.titre.end_date,
        extension_months=extension_months,
    )


def with_effective_ends(habilitations: Iterable[Habilitation]) -> list[Habilitation]:
    """Attach ``effective`` (EffectiveEnd) to each habilitation, for templates."""
    months = parametres.get("EXTENSION_HABILITATION_MOIS")
    result = []
    for habilitation in habilitations:
        habilitation.effective = effective_end_of(habilitation, extension_months=months)
        result.append(habilitation)
    return result


def juror_departement_code(membre: MembreJury) -> str:
    """Where the juror lives (residence commune), else the département of the UD managing the file."""
    if membre.commune_id:
        return membre.commune.departement_code
    return membre.ud.departement.code


@dataclass(frozen=True)
class JurorCandidate:
    membre: MembreJury
    habilitation: Habilitation
    effective_end: datetime.date | None
    extended: bool
    explanation: str
    distance_rank: int
    recent_sessions: int

    @property
    def distance_label(self) -> str:
        return rules.DISTANCE_LABELS[self.distance_rank]


def recent_session_counts(membre_ids: Iterable[int], *, today: datetime.date) -> dict[int, int]:
    """Sessions each juror was convened to in the last 12 months (convocations belong to examens, which plugs the
    count in: ExamensConfig.ready)."""
    since = add_months(today, -RECENT_MONTHS)
    return convened_session_counts(list(membre_ids), since=since, until=today)


def jurors_to_convene(
    *,
    titre: TitreProfessionnel,
    days: Iterable[datetime.date],
    departement: Departement | None = None,
    trainer_membre_ids: Iterable[int] = (),
    today: datetime.date | None = None,
    limit: int | None = None,
) -> list[JurorCandidate]:
    """Jurors habilitated for the title (any version of its lineage) whose effective habilitation covers every
    session day, not suspended or withdrawn, without conflict with the candidates; nearest first.

    With ``limit`` (the page; the CSV export takes everything), the jurors of the département, its neighbours and
    its region are read first: they rank before the rest of France, so when they are enough the national list of
    the title (thousands of jurors at national volume) is not read at all."""
    days = sorted(set(days))
    if not days:
        return []
    today = today or timezone.localdate()
    months = parametres.get("EXTENSION_HABILITATION_MOIS")
    lineage = titre_lineage_ids(titre)
    neighbours: set[str] = set()
    same_region: set[str] = set()
    if departement is not None:
        neighbours = set(departement.neighbours.values_list("code", flat=True))
        same_region = set(Departement.objects.filter(region_id=departement.region_id).values_list("code", flat=True))
    common = dict(
        days=days,
        today=today,
        months=months,
        lineage=lineage,
        departement=departement,
        # Neighbours not loaded: the region plays their part (rank 1 instead of 2).
        neighbours=neighbours or same_region,
        same_region=same_region if neighbours else set(),
        trainers=set(trainer_membre_ids),
    )
    if limit is not None and departement is not None:
        codes = {departement.code} | neighbours | same_region
        # Residence communes of these départements as one hashed list: a condition through the joined commune was
        # checked by one index lookup per habilitation of the title (issue #14).
        communes = Commune.objects.filter(departement_code__in=codes).values("id")
        near = Q(membre__commune_id__in=communes) | Q(
            membre__commune__isnull=True, membre__ud__departement__code__in=codes
        )
        rows = _jurors_to_convene(where=near, limit=limit, **common)
        if len(rows) >= limit:
            return rows
    return _jurors_to_convene(where=Q(), limit=limit, **common)


def _jurors_to_convene(
    *,
    where: Q,
    days,
    today,
    months,
    lineage,
    departement,
    neighbours,
    same_region,
    trainers,
    limit: int | None = None,
) -> list[JurorCandidate]:
    """Ranked in plain values (a title has thousands of habilitated jurors at national volume: building a model per
    row took ~1 s), then only the `limit` rows shown are read as objects."""
    first, last = days[0], days[-1]
    habilitations = (
        Habilitation.objects.filter(
            where, titre_id__in=lineage, status=StatutHabilitation.ACTIVE, start_date__lte=first
        )
        # SQL filter wider than the rule, which computes the exact effective end (with the extension). An end before
        # the last day only helps when it runs to the title's end of life (from its last valid day on), extended by
        # `months` after it at most: one month more keeps every case. Without the title's end here, every
        # habilitation "until the end of life" of an ended title in France was read and ranked for nothing (#14).
        .filter(
            Q(end_date__isnull=True, until_end_of_life=False)
            | Q(end_date__gte=last)
            | (
                (Q(until_end_of_life=True) | Q(end_date__gte=F("titre__end_date") - ONE_DAY))
                & (Q(titre__end_date__isnull=True) | Q(titre__end_date__gte=add_months(last, -months - 1)))
            )
        )
        .order_by("membre_id", "-start_date")
        .values_list(
            "pk",
            "membre_id",
            "status",
            "start_date",
            "end_date",
            "until_end_of_life",
            "titre__end_date",
            "membre__commune__departement_code",
            "membre__ud__departement__code",
            "membre__name_key",
            "membre__first_names_key",
        )
    )
    best: dict[int, tuple] = {}
    for pk, membre_id, status, start, end, until_eol, title_end, home, ud_code, name, firsts in habilitations:
        effective = rules.habilitation_effective_end(
            end_date=end, until_end_of_life=until_eol, titre_end_of_life=title_end, extension_months=months
        )
        if rules.habilitation_covers(status=status, start_date=start, effective_end=effective.date, days=days):
            continue
        if rules.juror_conflicts(membre_id=membre_id, trainer_membre_ids=trainers):
            continue
        current = best.get(membre_id)
        if current is None or (
            current[1].date is not None and (effective.date is None or effective.date > current[1].date)
        ):
            best[membre_id] = (pk, effective, home or ud_code, name, firsts)
    counts = recent_session_counts(best.keys(), today=today)
    ranked = []
    for membre_id, (pk, effective, home, name, firsts) in best.items():
        rank = rules.distance_rank(
            juror_departement=home,
            centre_departement=departement.code if departement else None,
            neighbours=neighbours,
            same_region=same_region,
        )
        ranked.append((rank, counts.get(membre_id, 0), name, firsts, membre_id, pk, effective))
    ranked.sort(key=lambda r: r[:5])
    if limit is not None:
        ranked = ranked[:limit]
    objects = Habilitation.objects.select_related("membre__ud__departement", "membre__commune", "titre").in_bulk(
        [r[5] for r in ranked]
    )
    return [
        JurorCandidate(
            membre=objects[pk].membre,
            habilitation=objects[pk],
            effective_end=effective.date,
            extended=effective.extended,
            explanation=effective.explanation,
            distance_rank=rank,
            recent_sessions=recent,
        )
        for rank, recent, _, _, _, pk, effective in ranked
    ]


def membre_convocation_errors(
    *,
    membre: MembreJury,
    titre: TitreProfessionnel,
    days: Iterable[datetime.date],
    trainer_membre_ids: Iterable[int] = (),
    trainees: Mapping[int, list[str]] | None = None,
) -> list[str]:
    """Why this juror cannot sit on this session (French sentences; empty list: they can). Same rules as
    ``jurors_to_convene``, for a precise message when a juror is added or re-checked."""
    return membres_convocation_errors(
        membres=[membre], titre=titre, days=days, trainer_membre_ids=trainer_membre_ids, trainees=trainees
    )[membre.pk]


def membres_convocation_errors(
    *,
    membres: Iterable[MembreJury],
    titre: TitreProfessionnel,
    days: Iterable[datetime.date],
    trainer_membre_ids: Iterable[int] = (),
    trainees: Mapping[int, list[str]] | None = None,
) -> dict[int, list[str]]:
    """membre id -> why they cannot sit (see membre_convocation_errors), for a whole jury in a fixed number of
    queries (the session page re-checks the jury at every display)."""
    membres = list(membres)
    days = sorted(set(days))
    trainer_membre_ids = list(trainer_membre_ids)
    months = parametres.get("EXTENSION_HABILITATION_MOIS")
    held: dict[int, list[Habilitation]] = {m.pk: [] for m in membres}
    if membres:
        for habilitation in Habilitation.objects.filter(
            membre_id__in=list(held), titre_id__in=titre_lineage_ids(titre)
        ).select_related("titre"):
            held[habilitation.membre_id].append(habilitation)
    result = {}
    for membre in membres:
        if not held[membre.pk]:
            result[membre.pk] = [f"{membre} n'est pas habilité(e) pour ce titre."]
            continue
        best_errors = None
        for habilitation in held[membre.pk]:
            effective = effective_end_of(habilitation, extension_months=months)
            errors = rules.habilitation_covers(
                status=habilitation.status,
                start_date=habilitation.start_date,
                effective_end=effective.date,
                days=days,
            )
            if not errors:
                best_errors = []
                break
            if best_errors is None or len(errors) < len(best_errors):
                best_errors = errors
        conflicts = rules.juror_conflicts(
            membre_id=membre.pk, trainer_membre_ids=trainer_membre_ids, trainees=trainees
        )
        result[membre.pk] = [f"{membre} : {e[0].lower()}{e[1:]}" for e in (best_errors or []) + conflicts]
    return result


def homonymies_to_review(user) -> QuerySet[HomonymieJure]:
    """Pairs confirmed as different people at entry, not yet checked, among the files the user manages."""
    manageable = membres_manageable_by(user).values("pk")
    return (
        HomonymieJure.objects.filter(reviewed_at__isnull=True)
        .filter(Q(membre__in=manageable) | Q(autre__in=manageable))
        .select_related("membre__birth_commune", "autre__birth_commune", "confirmed_by")
        .order_by("created_at", "id")
    )


def imports_reprise_visible_for(user) -> QuerySet[ImportReprise]:
    """Reprise files deposited from the browser: the national administrator sees all, a UD agent those of their UD."""
    qs = ImportReprise.objects.select_related("ud__departement", "applied_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_admin_national or user.is_superuser:
        return qs
    if user.is_agent_ud and user.ud_id:
        return qs.filter(ud_id=user.ud_id)
    return qs.none()


# Values of examens.StatutSession (the sessions app sits above this one): sessions that no longer need their jury.
SESSION_DONE = ("validee", "annulee")


def convocations_relying_on(habilitation: Habilitation, today: datetime.date):
    """Sessions to come (or not yet validated) of the habilitation's title to which its juror is convened: they need
    the juror habilitated on each day (DOMAIN §7 R4), so suspending or withdrawing the habilitation blocks them."""
    return (
        habilitation.membre.convocations.filter(session__titre_id=habilitation.titre_id, session__end_date__gte=today)
        .exclude(session__status__in=SESSION_DONE)
        .select_related("session__centre", "session__site")
        .order_by("session__start_date", "session__pk")
    )

"""Reads of the statistics pages: the summary tables only, scoped (UD: département; DREETS: region; DGEFP: nation)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum

from ceres.centres.enums import DecisionAgrement
from ceres.centres.models import Agrement, Centre
from ceres.comptes.models import User
from ceres.core.dates import add_months, last_day_after_end_of_life
from ceres.examens.enums import VoieAcces
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation, MembreJury
from ceres.referentiels import parametres
from ceres.referentiels.models import TitreProfessionnel
from ceres.statistiques import cumuls, rules
from ceres.statistiques.models import (
    RESULT_FIELDS,
    SESSION_FIELDS,
    CalculStatistiques,
    StatCentreDepuis,
    StatJuresDepuis,
    StatJury,
    StatResultats,
    StatSessions,
    StatSessionsPerimetre,
    StatTitres,
    StatVoies,
)


@dataclass(frozen=True)
class Filtres:
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day of the last month (included)
    titre_id: int | None = None
    nsf: str = ""
    centre_type: str = ""


def scope_q(user) -> Q | None:
    """Cells the user may read (None: no statistics for this user)."""
    if not user.is_authenticated:
        return None
    if user.is_admin_national:
        return Q()
    if user.is_agent_dreets and user.region_id:
        return Q(region_id=user.region_id)
    if user.is_agent_ud and user.ud_id:
        return Q(departement_id=user.ud.departement_id)
    return None


def scope_key(user) -> str:
    """One key per set of readable cells: users with the same key see the same figures (page cache)."""
    if user.is_admin_national:
        return rules.NATION
    if user.is_agent_dreets:
        return rules.region_key(user.region_id)
    return rules.departement_key(user.ud.departement_id)


def cache_prefix(user, run: CalculStatistiques | None) -> str:
    """Cached figures belong to one computation and one scope: a new run of the job makes new keys."""
    return f"statistiques:{run.pk if run else 0}:{scope_key(user)}"


def one_user_per_scope():
    """An active agent of each scope that has one (the statistics job prepares their default page)."""
    seen = {}
    agents = User.objects.filter(is_active=True).select_related("ud", "region").order_by("pk")
    for user in agents.iterator():
        if scope_q(user) is not None:
            seen.setdefault(scope_key(user), user)
    return list(seen.values())


def scope_label(user) -> str:
    if user.is_admin_national:
        return "France entière"
    if user.is_agent_dreets:
        return f"Région {user.region.name}"
    return f"Département {user.ud.departement.name} ({user.ud.departement.code})"


def cells(model, user, filtres: Filtres):
    """Rows of the monthly cube in the user's scope that the filters keep."""
    qs = model.objects.filter(scope_q(user), month__gte=filtres.start, month__lte=filtres.end)
    if filtres.titre_id:
        qs = qs.filter(titre_id=filtres.titre_id)
    if filtres.nsf:
        code = filtres.nsf.strip().lower()
        titres = TitreProfessionnel.objects.filter(nsf_codes__code__startswith=code).values("pk")
        qs = qs.filter(titre_id__in=titres)
    if filtres.centre_type:
        qs = qs.filter(centre_type=filtres.centre_type)
    return qs


def of_the_day(user, run: CalculStatistiques | None, today: datetime.date) -> dict:
    """What a scope's page shows whatever its filters — the titles of the title filter (those with sessions in the
    scope) and the agréments and habilitations ending soon (`endings`) — kept in the shared cache for the day until
    the next run, one entry per scope (the job prepares it with the default page; like the default page, a change of
    an agrément or habilitation shows after the next run)."""
    key = f"{cache_prefix(user, run)}:{today}"
    value = cache.get(key)
    if value is None:
        value = {
            "titres": list(StatSessions.objects.filter(scope_q(user)).values_list("titre_id", flat=True).distinct()),
            "echeances": endings(user, today),
        }
        cache.set(key, value, 24 * 3600)
    return value


def titres_in_scope(user, run: CalculStatistiques | None, today: datetime.date):
    ids = of_the_day(user, run, today)["titres"]
    return TitreProfessionnel.objects.filter(pk__in=ids).order_by("intitule", "code_rncp")


def last_run() -> CalculStatistiques | None:
    return CalculStatistiques.objects.first()


@dataclass(frozen=True)
class Lecture:
    """The reads of one page: whose scope, which filters, after which run of the job. The rollups answer when there
    is no title or NSF filter (they have no title dimension); the rollups "since" when, moreover, the period runs to
    the month they were computed to. `monthly=True` reads the monthly cube only: the reference of the tests."""

    user: Any
    filtres: Filtres
    run: CalculStatistiques | None
    monthly: bool = False

    @property
    def scope(self) -> str:
        return scope_key(self.user)

    @property
    def by_scope(self) -> bool:
        f = self.filtres
        return not self.monthly and not f.titre_id and not f.nsf and self.run is not None and bool(self.run.until)

    @property
    def depuis(self) -> datetime.date | None:
        """First month to read in the rollups "since", when they answer the period."""
        if not self.by_scope or self.filtres.end != self.run.until:  # type: ignore[union-attr]
            return None
        return max(self.filtres.start, self.run.first_month or self.filtres.start)  # type: ignore[union-attr]

    def rollup(self, model):
        """Rows of a scope rollup the filters keep (the period aside)."""
        qs = model.objects.filter(perimetre=self.scope)
        return qs.filter(centre_type=self.filtres.centre_type) if self.filtres.centre_type else qs

    def centres_since(self):
        qs = StatCentreDepuis.objects.filter(scope_q(self.user), depuis=self.depuis)
        return qs.filter(centre_type=self.filtres.centre_type) if self.filtres.centre_type else qs


def pieces_q(start: datetime.date, end: datetime.date) -> Q:
    """Rows of a period-piece rollup (models.Tranche) that make up the months from `start` to `end`."""
    by_length: dict[int, list[datetime.date]] = {}
    for month, months in cumuls.tranches(start, end):
        by_length.setdefault(months, []).append(month)
    q = Q(pk__in=[])
    for months, firsts in by_length.items():
        q |= Q(months=months, month__in=firsts)
    return q


SESSION_SUMS = {f: Sum(f) for f in SESSION_FIELDS}
RESULT_SUMS = {f: Sum(f) for f in RESULT_FIELDS}


def sessions_by_month(lecture: Lecture) -> list[dict]:
    f = lecture.filtres
    if lecture.by_scope:
        qs = lecture.rollup(StatSessionsPerimetre).filter(month__gte=f.start, month__lte=f.end)
    else:
        qs = cells(StatSessions, lecture.user, f)
    return list(qs.values("month").annotate(**SESSION_SUMS).order_by("month"))


RESULT_GROUPS = {
    "titre": ("titre_id", "titre__intitule", "titre__code_rncp"),
    "centre": ("centre_id", "centre__name"),
    "route": ("route",),
}


def results_by(lecture: Lecture, *, group: str, limit: int | None = None) -> list[dict]:
    """Sums per title, centre or route, largest first."""
    fields = RESULT_GROUPS[group]
    f = lecture.filtres
    if group == "centre" and lecture.depuis:
        qs = lecture.centres_since().filter(registered__gt=0).values(*fields, *RESULT_FIELDS)
    elif group != "centre" and lecture.by_scope:
        model = StatTitres if group == "titre" else StatVoies
        qs = lecture.rollup(model).filter(pieces_q(f.start, f.end)).values(*fields).annotate(**RESULT_SUMS)
    else:
        qs = cells(StatResultats, lecture.user, f).values(*fields).annotate(**RESULT_SUMS)
    qs = qs.order_by("-registered", *fields)
    return list(qs[:limit] if limit else qs)


def route_label(code: str) -> str:
    return dict(VoieAcces.choices).get(code, code)


@dataclass(frozen=True)
class Jures:
    """Jurors who sat over the period: how many, how many per bucket of rules.SEAT_BUCKETS, the most active."""

    count: int
    buckets: list[tuple[str, int]]
    top: list[tuple[int, int]]  # (juror id, sessions), most sessions first


def juror_activity(lecture: Lecture) -> Jures:
    if lecture.depuis:
        row = (
            StatJuresDepuis.objects.filter(
                perimetre=lecture.scope, centre_type=lecture.filtres.centre_type, depuis=lecture.depuis
            )
            .values_list("jurors", "buckets", "top")
            .first()
        )
        if row is None:
            return Jures(0, rules.seat_buckets([]), [])
        labels = [label for *_, label in rules.SEAT_BUCKETS]
        return Jures(row[0], list(zip(labels, row[1], strict=True)), [(j, n) for j, n in row[2]])
    # Monthly cube: the distribution is counted in SQL (a ten-year national period has 40 000 jurors).
    per_juror = cells(StatJury, lecture.user, lecture.filtres).values("membre_id").annotate(n=Sum("seats")).order_by()
    inner, params = per_juror.query.sql_with_params()
    buckets = ", ".join(
        f"SUM(CASE WHEN n >= {low}{f' AND n <= {high}' if high else ''} THEN 1 ELSE 0 END)"
        for low, high, _label in rules.SEAT_BUCKETS
    )
    count, *counts = _fetch(f"SELECT COUNT(*), {buckets} FROM ({inner}) per_juror", params)[0]
    top = list(per_juror.order_by("-n", "membre_id").values_list("membre_id", "n")[: cumuls.TOP_JURORS_LISTED])
    labels = [label for *_, label in rules.SEAT_BUCKETS]
    return Jures(count, list(zip(labels, [int(n or 0) for n in counts], strict=True)), top)


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


CONCENTRATION_CENTRES = 30


def concentration(lecture: Lecture) -> list[tuple[int, str, int, int, float | None]]:
    """(centre, name, seats, distinct jurors, share of its rules.TOP_JURORS most present jurors) of the centres
    where the same jurors come back most, highest share first, then most seats."""
    if lecture.depuis:
        return list(
            lecture.centres_since()
            .filter(seats__gt=0)
            .order_by("-top_share", "-seats", "centre_id")
            .values_list("centre_id", "centre__name", "seats", "jurors", "top_share")[:CONCENTRATION_CENTRES]
        )
    # Monthly cube: seats, jurors and seats of the most present jurors per centre in SQL (a window over the
    # juror–centre pairs: 250 000 over ten years nationally), the shares and the ranking as rules.concentration.
    pairs = (
        cells(StatJury, lecture.user, lecture.filtres)
        .values("centre_id", "membre_id")
        .annotate(n=Sum("seats"))
        .order_by()
    )
    inner, params = pairs.query.sql_with_params()
    per_centre = {
        centre: {"seats": int(seats), "jurors": jurors, "top_share": rules.rate(int(top), int(seats))}
        for centre, seats, jurors, top in _fetch(  # int(): PostgreSQL sums bigints as numeric
            f"SELECT centre_id, SUM(n), COUNT(*), SUM(CASE WHEN place <= {rules.TOP_JURORS} THEN n ELSE 0 END) "
            f"FROM (SELECT centre_id, n, ROW_NUMBER() OVER (PARTITION BY centre_id ORDER BY n DESC) AS place "
            f"FROM ({inner}) pairs) ranked GROUP BY centre_id",
            params,
        )
    }
    ranked = rules.most_concentrated(per_centre, CONCENTRATION_CENTRES)
    names = centres_named(pk for pk, _ in ranked)
    return [(pk, names.get(pk, "?"), c["seats"], c["jurors"], c["top_share"]) for pk, c in ranked]


def _agrement_scope(user) -> Q:
    if user.is_admin_national:
        return Q()
    if user.is_agent_dreets:
        return Q(centre__departement__region_id=user.region_id)
    return Q(centre__departement_id=user.ud.departement_id)


def _habilitation_scope(user) -> Q:
    if user.is_admin_national:
        return Q()
    if user.is_agent_dreets:
        return Q(ud__departement__region_id=user.region_id)
    return Q(ud__departement_id=user.ud.departement_id)


def endings(user, today: datetime.date, months=(3, 6, 12)) -> list[dict]:
    """Accepted agréments and active habilitations ending within each horizon (read once a day per scope, see
    `of_the_day`: the habilitations' ends are not indexed, ≈ 20–40 ms nationally).

    A habilitation counts at its effective end, as the juror pages show it (jurys.rules.habilitation_effective_end,
    DOMAIN §7 R3): one running to the title's end of life, by its flag or by an end typed on the title's last valid
    day (docs/decisions/0003), ends 24 months (national parameter) after that last day.
    """
    rows = []
    agrements = Agrement.objects.filter(_agrement_scope(user), decision=DecisionAgrement.ACCEPTEE)
    habilitations = Habilitation.objects.filter(_habilitation_scope(user), status=StatutHabilitation.ACTIVE).alias(
        days_before_end_of_life=ExpressionWrapper(F("titre__end_date") - F("end_date"), output_field=DurationField())
    )
    runs_to_end_of_life = Q(until_end_of_life=True) | Q(days_before_end_of_life__lte=datetime.timedelta(days=1))
    ends_before = Q(until_end_of_life=False) & (
        Q(titre__end_date__isnull=True) | Q(days_before_end_of_life__gt=datetime.timedelta(days=1))
    )
    extension = parametres.get("EXTENSION_HABILITATION_MOIS")
    title_ends = TitreProfessionnel.objects.filter(end_date__isnull=False).values_list("pk", "end_date")
    extended_to = {pk: last_day_after_end_of_life(end, extension) for pk, end in title_ends}
    for horizon in months:
        until = add_months(today, horizon)
        extended_ending = [pk for pk, day in extended_to.items() if today <= day <= until]
        rows.append(
            {
                "months": horizon,
                "agrements": agrements.filter(end_date__gte=today, end_date__lte=until).count(),
                "habilitations": habilitations.filter(
                    (ends_before & Q(end_date__gte=today, end_date__lte=until))
                    | (runs_to_end_of_life & Q(titre_id__in=extended_ending))
                ).count(),
            }
        )
    return rows


def jurors_named(ids) -> dict[int, str]:
    return {m.pk: str(m) for m in MembreJury.objects.filter(pk__in=list(ids))}


def centres_named(ids) -> dict[int, str]:
    return dict(Centre.objects.filter(pk__in=list(ids)).values_list("pk", "name"))

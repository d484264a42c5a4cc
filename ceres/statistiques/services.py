"""Computation of the summary tables: a few GROUP BY passes over the business tables, by month of session start
(the monthly cube), then the rollups of the cube (models.py).

Run by `manage.py calculer_statistiques --wet-run` (nightly, full) and with `--depuis-dernier-calcul` (every few
minutes: only the months touched since the last run are recomputed, and the rollups that hold them). Pages never
aggregate the business tables.
"""

import datetime
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone

from ceres.core.dates import add_months
from ceres.documents.models import Parchemin
from ceres.examens.enums import Decision, ResultatCcpValeur, StatutSession
from ceres.examens.models import Inscription, MembreConvoque, ResultatCcp, SessionExamen
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

CELL = {
    "departement_id": F("session__departement_id"),
    "region_id": F("session__departement__region_id"),
    "centre_id": F("session__centre_id"),
    "centre_type": F("session__centre__type"),
    "titre_id": F("session__titre_id"),
}
BATCH = 2000


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _sessions(months):
    qs = SessionExamen.objects.exclude(status=StatutSession.ANNULEE)
    if months is not None:
        qs = qs.annotate(m=TruncMonth("start_date")).filter(m__in=months)
    return qs


def _by_session(qs, months):
    return qs if months is None else qs.annotate(m=TruncMonth("session__start_date")).filter(m__in=months)


def _days(start: datetime.date, end: datetime.date) -> int:
    return max(0, (end - start).days)


def _session_rows(months) -> list[StatSessions]:
    first_print = dict(
        Parchemin.objects.filter(certification__session__in=_sessions(months).values("pk"))
        .values("certification__session_id")
        .annotate(first=Min("created_at"))
        .values_list("certification__session_id", "first")
        .order_by()
    )
    registered = dict(
        Inscription.objects.filter(session__in=_sessions(months).values("pk"))
        .values("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
        .order_by()
    )
    cells: dict[tuple, StatSessions] = {}
    columns = (
        "pk", "start_date", "end_date", "convocation_date", "submitted_at", "validated_at", "status",
        "departement_id", "departement__region_id", "centre_id", "centre__type", "titre_id",
    )  # fmt: skip
    for pk, start, end, convocation, submitted, validated, status, dep, reg, centre, ctype, titre in (
        _sessions(months).values_list(*columns).iterator(chunk_size=BATCH)
    ):
        key = (month_of(start), centre, titre)
        row = cells.get(key)
        if row is None:
            row = cells[key] = StatSessions(
                month=key[0], departement_id=dep, region_id=reg, centre_id=centre, centre_type=ctype, titre_id=titre
            )
        row.sessions += 1
        row.candidates += registered.get(pk, 0)
        if convocation < start:
            row.convocation_before_start += 1
        submitted_on = timezone.localtime(submitted).date() if submitted else None
        validated_on = timezone.localtime(validated).date() if validated else None
        if submitted_on:
            row.delay_results_days += _days(end, submitted_on)
            row.delay_results_count += 1
        if status == StatutSession.VALIDEE and validated_on:
            row.validated += 1
            if submitted_on:
                row.delay_validation_days += _days(submitted_on, validated_on)
                row.delay_validation_count += 1
            printed = first_print.get(pk)
            if printed:
                row.delay_print_days += _days(validated_on, timezone.localtime(printed).date())
                row.delay_print_count += 1
    return list(cells.values())


def _resultat_rows(months) -> list[StatResultats]:
    inscriptions = _by_session(Inscription.objects.exclude(session__status=StatutSession.ANNULEE), months)
    decisions = {
        "registered": Count("id"),
        "success": Count("id", filter=Q(decision=Decision.REUSSITE)),
        "partial": Count("id", filter=Q(decision=Decision.REUSSITE_PARTIELLE)),
        "failure": Count("id", filter=Q(decision=Decision.ECHEC)),
        "absent": Count("id", filter=Q(decision=Decision.ABSENT)),
        "birth_place_unresolved": Count(
            "id", filter=Q(candidat__birth_commune__isnull=True, candidat__birth_country__isnull=True)
        ),
    }
    rows = {}
    for values in (
        inscriptions.annotate(month=TruncMonth("session__start_date"), **CELL)
        .values("month", "route", *CELL)
        .annotate(**decisions)
        .order_by()
    ):
        key = (values["month"], values["centre_id"], values["titre_id"], values["route"])
        rows[key] = StatResultats(**values)
    ccps = ResultatCcp.objects.exclude(inscription__session__status=StatutSession.ANNULEE).exclude(
        value=ResultatCcpValeur.NON_PRESENTE
    )
    if months is not None:
        ccps = ccps.annotate(m=TruncMonth("inscription__session__start_date")).filter(m__in=months)
    for values in (
        ccps.annotate(
            month=TruncMonth("inscription__session__start_date"),
            centre_id_=F("inscription__session__centre_id"),
            titre_id_=F("inscription__session__titre_id"),
            route=F("inscription__route"),
        )
        .values("month", "centre_id_", "titre_id_", "route")
        .annotate(presented=Count("id"), obtained=Count("id", filter=Q(value=ResultatCcpValeur.OBTENU)))
        .order_by()
    ):
        row = rows.get((values["month"], values["centre_id_"], values["titre_id_"], values["route"]))
        if row is not None:
            row.ccp_presented, row.ccp_obtained = values["presented"], values["obtained"]
    return list(rows.values())


def _jury_rows(months) -> list[StatJury]:
    seats = _by_session(MembreConvoque.objects.exclude(session__status=StatutSession.ANNULEE), months)
    return [
        StatJury(**values)
        for values in seats.annotate(month=TruncMonth("session__start_date"), **CELL)
        .values("month", "membre_id", *CELL)
        .annotate(seats=Count("id"))
        .order_by()
    ]


def months_touched_since(since: datetime.datetime) -> set[datetime.date]:
    """Months of the sessions whose figures may have changed since `since` (sessions, registrations, prints, jury)."""
    months: set[datetime.date | None] = set()
    for qs, field in (
        (SessionExamen.objects.filter(updated_at__gte=since), "start_date"),
        (Inscription.objects.filter(updated_at__gte=since), "session__start_date"),
        (MembreConvoque.objects.filter(updated_at__gte=since), "session__start_date"),
        (Parchemin.objects.filter(created_at__gte=since), "certification__session__start_date"),
    ):
        months.update(qs.annotate(m=TruncMonth(field)).values_list("m", flat=True).distinct())
    return {m for m in months if m is not None}


def _cube_of_centres(months) -> dict[tuple[int, int, int], list]:
    """The cube rows of these months that the rollups "since" depend on (results, jury seats), per (centre,
    département, region): comparing them before and after a recomputation tells which centres changed."""
    rows: defaultdict[tuple[int, int, int], list] = defaultdict(list)
    for model, columns in (
        (StatResultats, ("month", "titre_id", "route", "centre_type", *RESULT_FIELDS)),
        (StatJury, ("month", "titre_id", "membre_id", "centre_type", "seats")),
    ):
        for centre, dep, region, *values in model.objects.filter(month__in=months).values_list(
            "centre_id", "departement_id", "region_id", *columns
        ):
            rows[centre, dep, region].append((model.__name__, *values))
    return {key: sorted(values, key=repr) for key, values in rows.items()}


def _changed(before: dict, after: dict) -> set[tuple[int, int, int]]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


@transaction.atomic
def statistiques_compute(*, since: datetime.datetime | None = None) -> CalculStatistiques:
    """Rebuilds every summary row (since=None) or the rows of the months touched since `since`."""
    started = time.monotonic()
    months = None if since is None else sorted(months_touched_since(since))
    counts: defaultdict[str, int] = defaultdict(int)
    builders: tuple[tuple[Any, Callable[[list | None], list]], ...] = (
        (StatSessions, _session_rows),
        (StatResultats, _resultat_rows),
        (StatJury, _jury_rows),
    )
    before = _cube_of_centres(months) if months else {}
    for model, build in builders:
        stale = model.objects.all() if months is None else model.objects.filter(month__in=months)
        stale.delete()
        rows = build(months)
        model.objects.bulk_create(rows, batch_size=BATCH)
        counts["rows"] += len(rows)
        counts["months"] = max(counts["months"], len({r.month for r in rows}))
    touched_centres = _changed(before, _cube_of_centres(months)) if months else set()
    previous = CalculStatistiques.objects.first()
    counts["rows"] += rollups_compute(
        months=months, touched_centres=touched_centres, previous=previous if since is not None else None
    )
    first, until = _since_bounds()
    return CalculStatistiques.objects.create(
        months=len(months) if months is not None else counts["months"],
        rows=counts["rows"],
        duration_ms=int(1000 * (time.monotonic() - started)),
        full=since is None,
        first_month=first,
        until=until,
    )


# ------------------------------------------------------------------------------------------ rollups of the cube


@transaction.atomic
def statistiques_rollups() -> CalculStatistiques:
    """Rebuilds every rollup from the monthly cube as it stands and records the run (bench/statistiques.py, which
    fills the cube directly; the tests of the rollups)."""
    started = time.monotonic()
    rows = rollups_compute()
    first, until = _since_bounds()
    return CalculStatistiques.objects.create(
        months=0, rows=rows, duration_ms=int(1000 * (time.monotonic() - started)), first_month=first, until=until
    )


def _since_bounds() -> tuple[datetime.date | None, datetime.date]:
    """First month of the cube, and the month of the computation: the rollups "since" run from one to the other."""
    until = month_of(timezone.localdate())
    firsts = [
        model.objects.filter(month__lte=until).aggregate(m=Min("month"))["m"] for model in (StatResultats, StatJury)
    ]
    firsts = [m for m in firsts if m is not None]
    return (min(firsts) if firsts else None), until


def rollups_compute(
    *,
    months: list[datetime.date] | None = None,
    touched_centres: set[tuple[int, int, int]] | None = None,
    previous: CalculStatistiques | None = None,
) -> int:
    """Rebuilds the rollups from the monthly cube: all of them (months=None), or those that hold `months` (the
    cube rows of `touched_centres` — (centre, département, region) — changed in these months; `previous`: the run
    the rollups "since" were computed by; None or a run older than the rollups: all are rebuilt). Returns the
    number of rows written."""
    if previous is None or previous.until is None:
        months = None
    written = _sessions_by_scope(months)
    written += _pieces(StatTitres, "titre_id", months)
    written += _pieces(StatVoies, "route", months)
    first, until = _since_bounds()
    if months is None or (previous.first_month, previous.until) != (first, until):  # type: ignore[union-attr]
        written += _centres_since(first, until, centres=None)
        written += _jurors_since(first, until, scopes=None)
    elif months and min(months) <= until:
        touched = touched_centres or set()
        written += _centres_since(first, until, centres={c for c, _, _ in touched})
        written += _jurors_since(first, until, scopes={p for _, d, r in touched for p in rules.perimetres(d, r)})
    return written


def _scope_levels(group: list[str]):
    """The groupings of one rollup for each level of scope, and the scope key of a grouped row."""
    return (
        (group + ["departement_id"], lambda v: rules.departement_key(v["departement_id"])),
        (group + ["region_id"], lambda v: rules.region_key(v["region_id"])),
        (group, lambda v: rules.NATION),
    )


def _sessions_by_scope(months) -> int:
    stale = (
        StatSessionsPerimetre.objects.all()
        if months is None
        else StatSessionsPerimetre.objects.filter(month__in=months)
    )
    stale.delete()
    cube = StatSessions.objects.all() if months is None else StatSessions.objects.filter(month__in=months)
    rows = []
    for group, key in _scope_levels(["month", "centre_type"]):
        for v in cube.values(*group).annotate(**{f: Sum(f) for f in SESSION_FIELDS}).order_by():
            rows.append(
                StatSessionsPerimetre(
                    perimetre=key(v),
                    month=v["month"],
                    centre_type=v["centre_type"],
                    **{f: v[f] for f in SESSION_FIELDS},
                )
            )
    StatSessionsPerimetre.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


PIECE_TRUNC = {3: TruncQuarter, 12: TruncYear}


def _pieces(model, dimension: str, months) -> int:
    """Month pieces from the cube, then the quarters and years that hold them from the month pieces."""
    sums = {f: Sum(f) for f in RESULT_FIELDS}
    written = 0
    stale = model.objects.filter(months=1)
    (stale if months is None else stale.filter(month__in=months)).delete()
    cube = StatResultats.objects.all() if months is None else StatResultats.objects.filter(month__in=months)
    rows = []
    for group, key in _scope_levels(["month", "centre_type", dimension]):
        for v in cube.values(*group).annotate(**sums).order_by():
            rows.append(
                model(
                    perimetre=key(v),
                    month=v["month"],
                    months=1,
                    centre_type=v["centre_type"],
                    **{dimension: v[dimension]},
                    **{f: v[f] for f in RESULT_FIELDS},
                )
            )
    model.objects.bulk_create(rows, batch_size=BATCH)
    written += len(rows)
    for length, trunc in PIECE_TRUNC.items():
        starts = None if months is None else sorted({cumuls.piece_start(m, length) for m in months})
        stale = model.objects.filter(months=length)
        (stale if starts is None else stale.filter(month__in=starts)).delete()
        parts = model.objects.filter(months=1)
        if starts is not None:
            parts = parts.filter(month__in=[add_months(s, i) for s in starts for i in range(length)])
        parts = parts.annotate(piece=trunc("month"))
        rows = [
            model(
                perimetre=v["perimetre"],
                month=v["piece"],
                months=length,
                centre_type=v["centre_type"],
                **{dimension: v[dimension]},
                **{f: v[f] for f in RESULT_FIELDS},
            )
            for v in parts.values("piece", "perimetre", "centre_type", dimension).annotate(**sums).order_by()
        ]
        model.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written


def _centres_since(first, until, *, centres: set[int] | None) -> int:
    """Rows of StatCentreDepuis: every centre (or those of `centres`) from each month to `until`."""
    stale = (
        StatCentreDepuis.objects.all() if centres is None else StatCentreDepuis.objects.filter(centre_id__in=centres)
    )
    stale.delete()
    if first is None or (centres is not None and not centres):
        return 0
    window = {"month__gte": first, "month__lte": until}
    if centres is not None:
        window["centre_id__in"] = centres
    # A centre counts where it stands in its latest cube row (its type or département may have changed since
    # older months were computed; the nightly full run recomputes them all).
    placed = [
        v
        for model in (StatResultats, StatJury)
        for v in model.objects.filter(**window)
        .values("centre_id", "departement_id", "region_id", "centre_type")
        .annotate(last=Max("month"))
        .order_by()
    ]
    attributes = {v["centre_id"]: v for v in sorted(placed, key=lambda v: v["last"])}
    by_month_results: defaultdict[datetime.date, list] = defaultdict(list)
    for month, centre, *sums in (
        StatResultats.objects.filter(**window)
        .values_list("month", "centre_id")
        .annotate(*(Sum(f) for f in RESULT_FIELDS))
        .order_by()
    ):
        by_month_results[month].append((centre, sums))
    by_month_seats: defaultdict[datetime.date, list] = defaultdict(list)
    for month, centre, juror, n in (
        StatJury.objects.filter(**window)
        .values_list("month", "centre_id", "membre_id")
        .annotate(Sum("seats"))
        .order_by()
    ):
        by_month_seats[month].append((centre, juror, n))
    rows = []
    for month, centre, sums, n, jurors, top_seats, share in cumuls.centres_since(
        cumuls.months_back(first, until), by_month_results, by_month_seats, len(RESULT_FIELDS)
    ):
        a = attributes[centre]
        rows.append(
            StatCentreDepuis(
                centre_id=centre,
                departement_id=a["departement_id"],
                region_id=a["region_id"],
                centre_type=a["centre_type"],
                depuis=month,
                seats=n,
                jurors=jurors,
                top_seats=top_seats,
                top_share=share,
                **dict(zip(RESULT_FIELDS, sums, strict=True)),
            )
        )
    StatCentreDepuis.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _jurors_since(first, until, *, scopes: set[str] | None) -> int:
    """Rows of StatJuresDepuis: every scope (or those of `scopes`), all centre types and each, from each month."""
    stale = StatJuresDepuis.objects.all() if scopes is None else StatJuresDepuis.objects.filter(perimetre__in=scopes)
    stale.delete()
    if first is None or (scopes is not None and not scopes):
        return 0

    keys_of: dict[tuple[int, int, str], list[tuple[str, str]]] = {}

    def keys(departement_id: int, region_id: int, centre_type: str) -> list[tuple[str, str]]:
        found = keys_of.get((departement_id, region_id, centre_type))
        if found is None:
            found = keys_of[departement_id, region_id, centre_type] = [
                (scope, t)
                for scope in rules.perimetres(departement_id, region_id)
                if scopes is None or scope in scopes
                for t in ("", centre_type)
            ]
        return found

    seats: defaultdict[datetime.date, list] = defaultdict(list)
    for month, juror, dep, region, centre_type, n in (
        StatJury.objects.filter(month__gte=first, month__lte=until)
        .values_list("month", "membre_id", "departement_id", "region_id", "centre_type")
        .annotate(n=Sum("seats"))
        .order_by()
    ):
        seats[month].append((keys(dep, region, centre_type), juror, n))
    rows = [
        StatJuresDepuis(perimetre=scope, centre_type=centre_type, depuis=month, jurors=n, buckets=buckets, top=top)
        for (scope, centre_type), month, n, buckets, top in cumuls.jurors_since(
            cumuls.months_back(first, until), seats
        )
    ]
    StatJuresDepuis.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


SUMMARY_MODELS = (
    StatSessions,
    StatResultats,
    StatJury,
    StatSessionsPerimetre,
    StatTitres,
    StatVoies,
    StatCentreDepuis,
    StatJuresDepuis,
)


def summary_tables_vacuum() -> bool:
    """After a full recomputation, every summary row was deleted and written again: on PostgreSQL, reclaim the dead
    rows and refresh the planner's statistics now rather than whenever autovacuum comes by (at 2 M files, with
    2 M dead rows in StatCentreDepuis, a page's read of it went from 6 to 130 ms). VACUUM cannot run inside a
    transaction: nothing is done when the caller holds one (tests). Returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        for model in SUMMARY_MODELS:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return True

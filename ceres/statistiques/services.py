"""Computation of the summary tables: a few GROUP BY passes over the business tables, by month of session start.

Run by `manage.py calculer_statistiques --wet-run` (nightly, full) and with `--depuis-dernier-calcul` (every few
minutes: only the months touched since the last run are recomputed). Pages never aggregate the business tables.
"""

import datetime
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ceres.documents.models import Parchemin
from ceres.examens.enums import Decision, ResultatCcpValeur, StatutSession
from ceres.examens.models import Inscription, MembreConvoque, ResultatCcp, SessionExamen
from ceres.statistiques.models import CalculStatistiques, StatJury, StatResultats, StatSessions

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
    for model, build in builders:
        stale = model.objects.all() if months is None else model.objects.filter(month__in=months)
        stale.delete()
        rows = build(months)
        model.objects.bulk_create(rows, batch_size=BATCH)
        counts["rows"] += len(rows)
        counts["months"] = max(counts["months"], len({r.month for r in rows}))
    return CalculStatistiques.objects.create(
        months=len(months) if months is not None else counts["months"],
        rows=counts["rows"],
        duration_ms=int(1000 * (time.monotonic() - started)),
        full=since is None,
    )

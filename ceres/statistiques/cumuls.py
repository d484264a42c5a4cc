"""Period pieces and figures "since each month" (pure: no ORM), for the rollups of the monthly cube.

A range of months is cut into calendar years, quarters and months (`tranches`): the rollups hold one row per piece,
so ten years read ten yearly rows per key instead of 120 monthly ones.

Figures that are not sums (seats per juror over a period, the share of a centre's most present jurors) cannot be
added up from pieces. For periods that run to the month of the computation they are computed for every first month
at once, by walking the months backwards and adding each month to running totals (`centres_since`, `jurors_since`):
going back in time a total only grows, so the ranking of a month is found among the ranking of the month after it
and the keys that month touched.
"""

import datetime
import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ceres.core.dates import add_months
from ceres.statistiques import rules

K = TypeVar("K", bound=Hashable)
TOP_JURORS_LISTED = 20  # "Jurés les plus sollicités"
PIECES = (12, 3, 1)  # a calendar year, a quarter, a month


def piece_start(month: datetime.date, months: int) -> datetime.date:
    """First month of the piece of `months` months that holds `month` (January for a year, Jan/Apr/Jul/Oct)."""
    return month.replace(month=month.month - (month.month - 1) % months)


def tranches(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, int]]:
    """The fewest pieces (first month, length) covering the months from `start` to `end` (first days, inclusive):
    whole years, then whole quarters, then months. 03/2016 → 12/2026: 03/2016, Q2–Q4 2016, 2017 … 2026."""
    pieces = []
    month = start
    while month <= end:
        for months in PIECES:
            if piece_start(month, months) == month and add_months(month, months - 1) <= end:
                pieces.append((month, months))
                month = add_months(month, months)
                break
    return pieces


def months_back(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Months from `last` down to `first` (first days)."""
    months = []
    month = last
    while month >= first:
        months.append(month)
        month = add_months(month, -1)
    return months


@dataclass
class _Centre:
    results: list[int]
    pairs: dict[int, int] = field(default_factory=dict)  # juror -> seats
    seats: int = 0
    top: list[int] = field(default_factory=list)  # the TOP_JURORS most present jurors


def centres_since(
    months: list[datetime.date],
    results: dict[datetime.date, list[tuple[int, tuple[int, ...]]]],
    seats: dict[datetime.date, list[tuple[int, int, int]]],
    width: int,
) -> Iterator[tuple[datetime.date, int, list[int], int, int, int, float | None]]:
    """For each month of `months` (newest first) and each centre active from that month on: (month, centre, result
    sums, seats, distinct jurors, seats of the rules.TOP_JURORS most present, their share as rules.concentration).

    `results[month]`: (centre, result sums of `width` values); `seats[month]`: (centre, juror, seats)."""
    centres: dict[int, _Centre] = {}
    for month in months:
        for centre, values in results.get(month, ()):
            c = centres.setdefault(centre, _Centre([0] * width))
            c.results = [a + b for a, b in zip(c.results, values, strict=True)]
        touched: defaultdict[int, set[int]] = defaultdict(set)
        for centre, juror, n in seats.get(month, ()):
            c = centres.setdefault(centre, _Centre([0] * width))
            c.pairs[juror] = c.pairs.get(juror, 0) + n
            c.seats += n
            touched[centre].add(juror)
        for centre, jurors in touched.items():
            c = centres[centre]
            c.top = heapq.nlargest(rules.TOP_JURORS, set(c.top) | jurors, key=c.pairs.__getitem__)
        for centre, c in centres.items():
            top_seats = sum(c.pairs[j] for j in c.top)
            share = rules.rate(top_seats, c.seats) if c.pairs else None
            yield month, centre, c.results, c.seats, len(c.pairs), top_seats, share


def _bucket(seats: int) -> int:
    for index, (low, high, _label) in enumerate(rules.SEAT_BUCKETS):
        if seats >= low and (high is None or seats <= high):
            return index
    raise ValueError(seats)


@dataclass
class _Jurors:
    totals: dict[int, int] = field(default_factory=dict)
    buckets: list[int] = field(default_factory=lambda: [0] * len(rules.SEAT_BUCKETS))
    top: list[int] = field(default_factory=list)


def jurors_since(
    months: list[datetime.date], seats: dict[datetime.date, list[tuple[Iterable[K], int, int]]]
) -> Iterator[tuple[K, datetime.date, int, list[int], list[list[int]]]]:
    """For each month of `months` (newest first) and each key (a scope and centre type) with seats from that month
    on: (key, month, jurors who sat, jurors per bucket of rules.SEAT_BUCKETS, the TOP_JURORS_LISTED most active
    [juror, seats], most seats first then lowest id — the order of selectors.seats_per_juror).

    `seats[month]`: (keys the seats count for, juror, seats)."""
    groups: dict[K, _Jurors] = {}
    for month in months:
        touched: defaultdict[K, set[int]] = defaultdict(set)
        for keys, juror, n in seats.get(month, ()):
            for key in keys:
                g = groups.setdefault(key, _Jurors())
                before = g.totals.get(juror, 0)
                g.totals[juror] = before + n
                if before:
                    g.buckets[_bucket(before)] -= 1
                g.buckets[_bucket(before + n)] += 1
                touched[key].add(juror)
        for key, jurors in touched.items():
            g = groups[key]
            g.top = heapq.nsmallest(TOP_JURORS_LISTED, set(g.top) | jurors, key=lambda j, t=g.totals: (-t[j], j))
        for key, g in groups.items():
            yield key, month, len(g.totals), list(g.buckets), [[j, g.totals[j]] for j in g.top]

"""Date arithmetic shared by the pure rules of every context (no ORM, no settings).

One reading of a title's end of life everywhere (docs/decisions/0003): ``TitreProfessionnel.end_date`` is exclusive,
its last valid day is the day before; a delay in months after the end of life is counted from that last valid day
(Code de procédure civile, art. 641) and its result is the last day still allowed (inclusive).
"""

import calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Code de procédure civile, art. 641: a delay in months ends on the day of the last month that bears the same
    number as the starting day, or, failing that, on the last day of that month (31/01 + 1 month = 28 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_valid_day(end_of_life: datetime.date) -> datetime.date:
    """The last day a title is valid: its end of life is exclusive (referentiels periods are ``[start, end)``)."""
    return end_of_life - ONE_DAY


def last_day_after_end_of_life(end_of_life: datetime.date, months: int) -> datetime.date:
    """Last day (inclusive) of a delay of ``months`` after a title's end of life, counted from its last valid day:
    end of life 01/08/2028 (last day 31/07/2028) + 24 months → 31/07/2030; 29/02/2028 (last day 28/02) → 28/02/2030.

    The one helper for the délai de prolongation, the CFA/CRP delay and extended habilitations."""
    return add_months(last_valid_day(end_of_life), months)


def runs_to_end_of_life(end_date: datetime.date | None, end_of_life: datetime.date | None) -> bool:
    """Does an inclusive end date (agrément, habilitation) run until the title's end of life? Yes when it falls on
    the title's last valid day or on the end-of-life date itself as displayed (both are typed by agents); an end
    date can never be later (agrément and habilitation rules refuse it)."""
    return end_date is not None and end_of_life is not None and end_date >= last_valid_day(end_of_life)


def fr_date(day: datetime.date | None, empty: str = "") -> str:
    """dd/mm/yyyy as French users read dates."""
    return day.strftime("%d/%m/%Y") if day else empty

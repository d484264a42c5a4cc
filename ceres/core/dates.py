"""Date arithmetic shared by the pure rules of every context (no ORM, no settings)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day N months later, clamped to the month's last day (31/01 + 1 month = 28 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fr_date(day: datetime.date | None, empty: str = "") -> str:
    """dd/mm/yyyy as French users read dates."""
    return day.strftime("%d/%m/%Y") if day else empty

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceres.core.dates import add_months, fr_date, last_day_after_end_of_life, last_valid_day, runs_to_end_of_life

pytestmark = pytest.mark.no_django_db

D = datetime.date


def calendar_oracle(day: datetime.date, months: int) -> datetime.date:
    """Art. 641 read on a plain calendar: walk month by month to the target month, list its days one by one, take
    the one with the same number, else the month's last day. No arithmetic shared with the helper."""
    year, month = day.year, day.month
    step = 1 if months >= 0 else -1
    for _ in range(abs(months)):
        month += step
        if month == 13:
            year, month = year + 1, 1
        elif month == 0:
            year, month = year - 1, 12
    days = []
    current = datetime.date(year, month, 1)
    while current.month == month:
        days.append(current)
        current += datetime.timedelta(days=1)
    same = [d for d in days if d.day == day.day]
    return same[0] if same else days[-1]


dates = st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31))
month_counts = st.integers(min_value=-240, max_value=240)


# The shared machine can be slow: no deadline, no "too slow" health check; the examples stay the same.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(day=dates, months=month_counts)
def test_add_months_matches_the_calendar(day, months):
    assert add_months(day, months) == calendar_oracle(day, months)


@relaxed
@given(end_of_life=dates, months=st.integers(min_value=0, max_value=240))
def test_delay_after_end_of_life_counts_from_the_last_valid_day(end_of_life, months):
    result = last_day_after_end_of_life(end_of_life, months)
    assert result == calendar_oracle(end_of_life - datetime.timedelta(days=1), months)
    assert result >= last_valid_day(end_of_life)
    # The delay never gains a day over the one counted from the exclusive date.
    assert result <= add_months(end_of_life, months)


def test_issue_examples():
    # 29/02/2028 end of life: last valid day 28/02/2028, + 24 months = 28/02/2030 (not 27/02/2030).
    assert last_day_after_end_of_life(D(2028, 2, 29), 24) == D(2030, 2, 28)
    assert last_day_after_end_of_life(D(2028, 8, 1), 24) == D(2030, 7, 31)
    assert last_day_after_end_of_life(D(2028, 8, 1), 12) == D(2029, 7, 31)
    # A last valid day on the 31st: same number, else the month's last day.
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 3) == D(2026, 4, 30)
    assert last_day_after_end_of_life(D(2026, 2, 1), 3) == D(2026, 4, 30)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_runs_to_end_of_life_accepts_the_last_valid_day_and_the_displayed_date():
    eol = D(2028, 8, 1)
    assert runs_to_end_of_life(D(2028, 7, 31), eol)
    assert runs_to_end_of_life(D(2028, 8, 1), eol)
    assert not runs_to_end_of_life(D(2028, 7, 30), eol)
    assert not runs_to_end_of_life(None, eol)
    assert not runs_to_end_of_life(D(2028, 7, 31), None)


def test_fr_date():
    assert fr_date(D(2030, 8, 1)) == "01/08/2030"
    assert fr_date(None, "?") == "?"

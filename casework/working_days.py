"""Working days in England, and how a clock's length is counted: Monday to Friday, less the
England and Wales bank holidays, including substitute days ("Boxing Day (observed)"), from the
``holidays`` package (DESIGN §2: "Working days are England's")."""

import datetime
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "days"
MONTHS = "months"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts): five working
    days from Friday 18 December 2026 is Tuesday 29 December (Christmas Day and the substitute
    Boxing Day are not working days)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is
    earlier (days overdue)."""
    if end == start:
        return 0
    step = 1 if end > start else -1
    count = 0
    day = start
    while day != end:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            count += step
    return count


def add_length(start: datetime.date, length: int, unit: str) -> datetime.date:
    if unit == WORKING_DAYS:
        return add_working_days(start, length)
    if unit == CALENDAR_DAYS:
        return start + datetime.timedelta(days=length)
    if unit == MONTHS:
        return start + relativedelta(months=length)
    raise ValueError(f"Unknown unit {unit!r}")


def describe_length(length: int, unit: str) -> str:
    words = {WORKING_DAYS: "working day", CALENDAR_DAYS: "day", MONTHS: "month"}[unit]
    return f"{length} {words}{'s' if length != 1 else ''}"


def is_due_soon(*, due: datetime.date, today: datetime.date) -> bool:
    """Due within 2 working days (the reminders' threshold)."""
    return today <= due and working_days_between(today, due) <= 2

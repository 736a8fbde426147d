"""Business-day calendar: weekdays that are not U.S. federal holidays (rules A2, A10).

Holidays come from the `holidays` package (federal government calendar, observed days
included), never from a hand-written list.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("US", years=year, categories=("government",)))


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


def late_entry_deadline(date_opened: dt.date) -> dt.date:
    """A2: last day on which a request opened on `date_opened` may be entered on time.

    72 business hours are three business days after the day of the request.
    """
    days = settings.TAT_LATE_ENTRY_BUSINESS_HOURS // 24
    return add_business_days(date_opened, days)


def is_late_entry(date_opened: dt.date, entered_on: dt.date) -> bool:
    """A2: True when the record was entered after the 72-business-hour window."""
    return entered_on > late_entry_deadline(date_opened)


def summary_due_date(delivered_on: dt.date) -> dt.date:
    """A10: 10 business days after delivery or the month's last day, whichever is first."""
    ten_days = add_business_days(delivered_on, settings.TAT_SUMMARY_DUE_BUSINESS_DAYS)
    month_end = delivered_on.replace(
        day=calendar.monthrange(delivered_on.year, delivered_on.month)[1]
    )
    return min(ten_days, month_end)

"""A2 and A10 on real 2026 dates, with U.S. federal holidays from the holidays package."""

import datetime as dt

import pytest

from core.businessdays import (
    add_business_days,
    is_business_day,
    is_late_entry,
    late_entry_deadline,
    summary_due_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 11), False),  # Veterans Day
        (D(2026, 11, 26), False),  # Thanksgiving
        (D(2026, 7, 3), False),  # Independence Day observed (July 4 is a Saturday)
        (D(2026, 11, 28), False),  # Saturday
        (D(2026, 11, 27), True),  # the day after Thanksgiving is not a federal holiday
        (D(2026, 6, 19), False),  # Juneteenth
    ],
)
def test_federal_holidays_are_not_business_days(day, expected):
    assert is_business_day(day) is expected


def test_a10_due_ten_business_days_skipping_veterans_day():
    assert summary_due_date(D(2026, 11, 2)) == D(2026, 11, 17)


def test_a10_due_at_month_end_when_it_comes_first():
    assert summary_due_date(D(2026, 11, 20)) == D(2026, 11, 30)


def test_a10_delivered_on_last_day_of_month_is_due_that_day():
    assert summary_due_date(D(2026, 11, 30)) == D(2026, 11, 30)


def test_a10_ten_business_days_before_month_end():
    # Ten business days come before the month ends.
    assert summary_due_date(D(2026, 12, 1)) == D(2026, 12, 15)


def test_a2_72_business_hours_skip_thanksgiving():
    # Requested Wed 11/25: Thu is Thanksgiving, so Fri, Mon, Tue make three business days.
    assert late_entry_deadline(D(2026, 11, 25)) == D(2026, 12, 1)
    assert not is_late_entry(D(2026, 11, 25), D(2026, 12, 1))
    assert is_late_entry(D(2026, 11, 25), D(2026, 12, 2))


def test_a2_entered_same_day_is_not_late():
    assert not is_late_entry(D(2026, 11, 2), D(2026, 11, 2))


def test_add_business_days_over_weekend():
    assert add_business_days(D(2026, 11, 6), 1) == D(2026, 11, 9)


def test_a10_christmas_is_skipped_but_month_end_wins():
    assert summary_due_date(D(2026, 12, 21)) == D(2026, 12, 31)

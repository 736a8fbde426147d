"""Activities, summaries and notes for the compliance report tests, entered through the
services on real dates (the clock is set to each entry's day), around the U.S. federal
holidays of November 2025: Veterans Day (Tue 11/11) and Thanksgiving (Thu 11/27).

The numbers the report must show are written out by hand below (`EXPECTED_*`), from the
rules as the guide states them, not from the code under test:

- A10: a summary is due 10 business days after delivery or on the last day of the delivery
  month, whichever comes first. Delivered Mon 11/03/2025: the 10th business day after is
  Tue 11/18 (Veterans Day skipped), so entered 11/18 is on time and 11/19 late. Delivered
  Thu 11/20: the month's end comes first, so due Sun 11/30; entered 12/01 is late.
- A2: a record is late when entered more than 72 business hours (3 business days) after the
  date opened. Opened Fri 11/07: the 3rd business day after is Thu 11/13 (Veterans Day
  skipped), so entered 11/13 is on time and 11/14 late. Opened Tue 10/28: due Fri 10/31, so
  entered Mon 11/03 is late. Opened Wed 11/26: due Tue 12/02 (Thanksgiving skipped).
- Missing (R1): approved, a current final plan, a TA response note dated in the month and no
  summary dated in it.

| rec | State | center | opened | entered | approved | summaries (delivered → entered) | note |
|---|---|---|---|---|---|---|---|
| a1 | GA | ECQA | 11/03 | 11/03 | yes | 11/03 → 11/18 (on time), 11/20 → 12/01 (late) | — |
| a2 | GA | ECQA | 11/07 | 11/13 (on time) | yes | — | 11/14 → missing |
| a3 | GA | ECQA | 11/07 | 11/14 (late entry) | no | — | 11/14 (not approved: not missing) |
| a4 | GA | SCBC | 10/01 | 10/01 | yes | 11/03 → 11/19 (late), 10/30 → 10/31 (Oct.) | 11/05 |
| a5 | FL | ECQA | 10/28 | 11/03 (late entry) | yes | 11/20 → 11/30 (on time) | — |
| a6 | GU | SCBC | 11/20 | 12/01 (December) | yes | — | 11/21, entered 12/01 → missing |
| a7 | GU | SCBC | 11/26 | 11/30 11:30 p.m. (on time; still November) | no | — | — |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.utils import timezone

from activities import services
from activities.models import ActivityStatus, PlanStage, TAActivity
from reference.models import Jurisdiction
from tests.factories_activities import World, add_summary, create_activity

MONTH = dt.date(2025, 11, 1)
COLUMNS = ("deliveries", "on_time", "late", "missing", "entered", "entered_late")

# (deliveries, on time, late, missing, entered, entered late)
EXPECTED_BY_CENTER = {
    "ECQA": (3, 2, 1, 1, 4, 2),
    "SCBC": (1, 0, 1, 1, 1, 0),
}
EXPECTED_BY_JURISDICTION = {
    "GA": (3, 1, 2, 1, 3, 1),
    "FL": (1, 1, 0, 0, 1, 1),
    "GU": (0, 0, 0, 1, 1, 0),
}
EXPECTED_TOTAL = (4, 2, 2, 2, 5, 2)


def d(month: int, day: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day)


@contextmanager
def clock(day: dt.date, hour: int = 10, minute: int = 0) -> Iterator[None]:
    """The site's clock (and so "today" and every created-at) set to `day` at `hour` local."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def new_activity(
    world: World,
    *,
    opened: dt.date,
    entered: dt.date,
    jurisdiction: Jurisdiction | None = None,
    scbc: bool = False,
    approved: bool = False,
    hour: int = 10,
    minute: int = 0,
) -> TAActivity:
    """An activity entered on `entered` (goal-driven in Georgia, else on-demand elsewhere),
    with ECQA or SCBC as primary center; approved with a current final plan on request."""
    kwargs: dict[str, Any] = {"actor": world.admin, "date_opened": opened}
    if jurisdiction is not None and jurisdiction != world.jurisdiction:
        requester = (
            world.neighbour_requester
            if jurisdiction == world.neighbour
            else world.faraway_requester
        )
        kwargs.update(
            strategic_area=None,
            jurisdiction=jurisdiction,
            focus=world.focus_elsewhere,
            requesters=[requester],
        )
    if scbc:
        kwargs.update(
            primary_center=world.other_center,
            primary_staff=world.collaborator,
            collaborating_centers=[world.center],
            collaborating_staff=[world.primary],
        )
    with clock(entered, hour, minute):
        activity = create_activity(world, **kwargs)
        if approved:
            services.description_note_add(
                actor=world.admin, activity=activity, stage=PlanStage.FINAL, text="Final plan."
            )
            activity = services.activity_set_status(
                actor=world.federal,
                activity=activity,
                status=ActivityStatus.APPROVED,
                cor_name="Dana Whitfield",
                cor_approval_date=entered,
            )
    return activity


def summary(world: World, activity: TAActivity, *, delivered: dt.date, entered: dt.date) -> None:
    with clock(entered):
        add_summary(world, activity, actor=world.admin, delivery_date=delivered)


def response_note(world: World, activity: TAActivity, *, dated: dt.date, entered: dt.date) -> None:
    with clock(entered):
        services.response_note_add(
            actor=world.admin, activity=activity, text="Call with the State.", note_date=dated
        )


def build(world: World) -> dict[str, TAActivity]:
    """The table of the module docstring."""
    fl, gu = world.neighbour, world.faraway
    a1 = new_activity(world, opened=d(11, 3), entered=d(11, 3), approved=True)
    summary(world, a1, delivered=d(11, 3), entered=d(11, 18))
    summary(world, a1, delivered=d(11, 20), entered=d(12, 1))
    a2 = new_activity(world, opened=d(11, 7), entered=d(11, 13), approved=True)
    response_note(world, a2, dated=d(11, 14), entered=d(11, 14))
    a3 = new_activity(world, opened=d(11, 7), entered=d(11, 14))
    response_note(world, a3, dated=d(11, 14), entered=d(11, 14))
    a4 = new_activity(world, opened=d(10, 1), entered=d(10, 1), scbc=True, approved=True)
    summary(world, a4, delivered=d(11, 3), entered=d(11, 19))
    response_note(world, a4, dated=d(11, 5), entered=d(11, 5))
    summary(world, a4, delivered=d(10, 30), entered=d(10, 31))  # October's: not counted
    a5 = new_activity(world, opened=d(10, 28), entered=d(11, 3), jurisdiction=fl, approved=True)
    summary(world, a5, delivered=d(11, 20), entered=d(11, 30))
    a6 = new_activity(
        world, opened=d(11, 20), entered=d(12, 1), jurisdiction=gu, scbc=True, approved=True
    )
    response_note(world, a6, dated=d(11, 21), entered=d(12, 1))
    a7 = new_activity(
        world, opened=d(11, 26), entered=d(11, 30), jurisdiction=gu, scbc=True, hour=23, minute=30
    )
    return {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6, "a7": a7}

"""Home for a State Systems Specialist (issue 10): their States and Territories with counts
(open goals, open activities, late summaries) checked against independent counts, the
review progress linking to the review page, nothing of the administrator's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import CompletionStatus, DeliverySummary, TAActivity
from goals.models import Goal
from tests.factories import (
    GoalFactory,
    JurisdictionFactory,
    SSSFactory,
    StrategicAreaFactory,
    TAActivityFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")
# session, user, my activities (their count; an empty page is not read), notifications,
# saved searches, send-backs, the SSS's States, review progress (2), summaries owed (2),
# open goals, the dashboard's counts (2: are any stale, then the counts) + the header's
# unread count.
SSS_HOME_QUERIES = 15


def _counts(html: str) -> dict[str, tuple[int, int, int]]:
    section = html[html.index('id="my-states-heading"') :]
    rows = re.findall(
        r'<th scope="row"><a class="usa-link" href="[^"]+">([^<]+)</a></th>\s*'
        r'<td[^>]*data-count="open-goals">(\d+)</td>\s*'
        r'<td[^>]*data-count="open-activities">(\d+)</td>\s*'
        r'<td[^>]*data-count="late-summaries">(\d+)</td>',
        section,
    )
    return {name: (int(g), int(a), int(late)) for name, g, a, late in rows}


def _late_summary(activity: TAActivity) -> None:
    DeliverySummary.objects.create(
        activity=activity,
        note_date=timezone.localdate() - dt.timedelta(days=60),
        text="Delivered.",
        author=activity.primary_staff,
    )


@pytest.fixture
def states():
    return JurisdictionFactory(code="KS", name="Kansas"), JurisdictionFactory(
        code="GU", name="Guam"
    )


def _populate(kansas, guam) -> None:
    area = StrategicAreaFactory(goal=GoalFactory(jurisdiction=kansas))
    GoalFactory(jurisdiction=kansas, status=Goal.Status.CLOSED, closed_at=timezone.now())
    open_ones = [TAActivityFactory(strategic_area=area) for _ in range(3)]
    closed = TAActivityFactory(
        strategic_area=area,
        completion_status=CompletionStatus.CLOSED,
        completion_date=timezone.localdate(),
    )
    _late_summary(open_ones[0])
    _late_summary(open_ones[0])
    _late_summary(closed)  # closed activities' late summaries count too (the dashboard's)
    DeliverySummary.objects.create(  # late, but before the 12 months: not counted
        activity=open_ones[2],
        note_date=timezone.localdate() - dt.timedelta(days=400),
        text="Delivered long ago.",
        author=open_ones[2].primary_staff,
    )
    DeliverySummary.objects.create(  # on time: not counted
        activity=open_ones[1],
        note_date=timezone.localdate(),
        text="Delivered.",
        author=open_ones[1].primary_staff,
    )
    guam_area = StrategicAreaFactory(goal=GoalFactory(jurisdiction=guam))
    GoalFactory(jurisdiction=guam)
    TAActivityFactory(strategic_area=guam_area)
    # another State, not theirs
    TAActivityFactory(strategic_area=StrategicAreaFactory(goal=GoalFactory()))


def _independent(jurisdiction) -> tuple[int, int, int]:
    """Open goals, open activities, and summaries of TA delivered in the last 12 months
    (this month and the 11 before) entered late, counted from the records."""
    today = timezone.localdate()
    months_back = today.year * 12 + today.month - 1 - 11  # the 11 months before
    window_start = dt.date(months_back // 12, months_back % 12 + 1, 1)
    return (
        Goal.objects.filter(jurisdiction=jurisdiction, status="open").count(),
        TAActivity.objects.filter(jurisdiction=jurisdiction, completion_status="open").count(),
        sum(
            1
            for summary in DeliverySummary.objects.select_related("activity")
            if summary.activity.jurisdiction_id == jurisdiction.pk
            and summary.is_late
            and window_start <= summary.note_date <= today
        ),
    )


def test_sss_sees_their_states_with_counts_matching_independent_counts(client, states):
    kansas, guam = states
    _populate(kansas, guam)
    client.force_login(SSSFactory(jurisdictions=[kansas, guam]))
    counts = _counts(client.get(HOME).content.decode())
    assert counts == {"Guam": _independent(guam), "Kansas": _independent(kansas)}
    assert counts["Kansas"] == (1, 3, 3)
    assert counts["Guam"] == (2, 1, 0)


def test_sss_state_names_link_to_the_state_pages_in_name_order(client, states):
    kansas, guam = states
    client.force_login(SSSFactory(jurisdictions=[kansas, guam]))
    html = client.get(HOME).content.decode()
    assert list(_counts(html)) == ["Guam", "Kansas"]
    assert f'href="{reverse("workspace:jurisdiction", args=["GU"])}"' in html


def test_sss_sees_review_progress_linking_to_the_review(client, states):
    client.force_login(SSSFactory(jurisdictions=list(states)))
    html = client.get(HOME).content.decode()
    section = html[html.index('id="review-heading"') : html.index('id="my-states-heading"')]
    month = timezone.localdate().replace(day=1)
    assert f'href="{reverse("oversight:review")}?month={month:%Y-%m}"' in section
    assert "0 of 0 reviewed" in section


def test_sss_home_offers_no_administrator_or_federal_sections(client, states):
    client.force_login(SSSFactory(jurisdictions=list(states)))
    html = client.get(HOME).content.decode()
    for absent in (
        'id="admin-queue-heading"',
        'id="requesters-heading"',
        'id="reference-changes-heading"',
        reverse("goals:closure_queue"),
        reverse("transfer:import"),
        'id="overview-heading"',
        'id="center-heading"',
    ):
        assert absent not in html


def test_sss_home_query_count_is_pinned(client, states, on_day, django_assert_num_queries):
    on_day(dt.date(2026, 11, 23))  # both months of the summaries owed are looked at
    kansas, guam = states
    nebraska = JurisdictionFactory(code="NE", name="Nebraska")
    sss = SSSFactory(jurisdictions=[kansas, guam])
    client.force_login(sss)
    client.get(HOME)
    with django_assert_num_queries(SSS_HOME_QUERIES):
        client.get(HOME)
    _populate(kansas, guam)
    _populate(kansas, guam)
    sss.sss_jurisdictions.add(nebraska)
    # _populate added a State (the picker's list is read again) and changed the dashboard's
    # counts (recomputed once, when next read)
    client.get(HOME)
    with django_assert_num_queries(SSS_HOME_QUERIES):
        client.get(HOME)

"""Home for a federal viewer (issue 10): a read-only overview — open activities by status,
late summaries, the dashboard and search for their region (`?region=`, the search page's
value), recent approvals and closures from the status log — and no "add" invitation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from activities import services
from activities.models import ActivityStatus, CompletionStatus, DeliverySummary, TAActivity
from tests.factories import GoalFactory, StrategicAreaFactory, TAActivityFactory
from tests.factories_activities import World, add_summary, create_activity, make_trackable
from workspace.home import REGION_INVALID

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")
# session, user, notifications, saved searches, my activities (count), send-backs, regions,
# are the dashboard's counts stale, open activities by status, late summaries, the status
# log, its activities and its goals (each read only when the log names some) + the
# header's unread count.
FEDERAL_HOME_QUERIES = 14


def _by_status(html: str) -> dict[str, int]:
    return {
        status: int(count) for status, count in re.findall(r'data-status="(\w+)">(\d+)</td>', html)
    }


def _late(html: str) -> int:
    return int(re.search(r'data-count="late-summaries">(\d+)<', html).group(1))


def _main(html: str) -> str:
    return html[html.index('id="main-content"') :]


def _far_activity(world: World) -> TAActivity:
    """An activity in another region (Guam, region IX)."""
    goal = GoalFactory(jurisdiction=world.faraway, created_by=world.admin)
    return TAActivityFactory(strategic_area=StrategicAreaFactory(goal=goal))


def _activities(world: World) -> dict[str, TAActivity]:
    near = world.strategic_area
    far_area_goal = _far_activity(world)
    made = {
        "planning": TAActivityFactory(strategic_area=near),
        "approved": TAActivityFactory(strategic_area=near, status=ActivityStatus.APPROVED),
        "on_hold": TAActivityFactory(strategic_area=near, status=ActivityStatus.ON_HOLD),
        "closed": TAActivityFactory(
            strategic_area=near,
            status=ActivityStatus.APPROVED,
            completion_status=CompletionStatus.CLOSED,
            completion_date=timezone.localdate(),
        ),
        "far": far_area_goal,
    }
    for activity in (made["approved"], made["closed"], made["far"]):
        DeliverySummary.objects.create(
            activity=activity,
            note_date=timezone.localdate() - dt.timedelta(days=60),
            text="Delivered.",
            author=activity.primary_staff,
        )
    return made


def _independent(region=None) -> tuple[dict[str, int], int]:
    activities = TAActivity.objects.all()
    if region is not None:
        activities = activities.filter(jurisdiction__region=region)
    by_status = {value: 0 for value in ActivityStatus.values}
    for activity in activities:
        if activity.completion_status == "open":
            by_status[activity.status] += 1
    by_status["total"] = sum(by_status.values())
    today = timezone.localdate()
    months_back = today.year * 12 + today.month - 1 - 11  # the 11 months before
    window_start = dt.date(months_back // 12, months_back % 12 + 1, 1)
    late = sum(
        1
        for summary in DeliverySummary.objects.filter(activity__in=activities)
        if summary.is_late and window_start <= summary.note_date <= today
    )
    return by_status, late


def test_federal_overview_counts_match_independent_counts(client, world):
    _activities(world)
    client.force_login(world.federal)
    html = client.get(HOME).content.decode()
    by_status, late = _independent()
    assert _by_status(html) == by_status
    assert _late(html) == late == 3
    assert "<h1>Overview of TA</h1>" in html


def test_federal_overview_for_one_region(client, world):
    _activities(world)
    client.force_login(world.federal)
    html = client.get(HOME, {"region": world.region.pk}).content.decode()
    by_status, late = _independent(world.region)
    assert _by_status(html) == by_status
    assert by_status["total"] == 3
    assert _late(html) == late == 2
    assert f'<option value="{world.region.pk}" selected>' in html
    search = reverse("search:search")
    assert (
        f'href="{search}?completion_status=open&amp;status=approved&amp;region={world.region.pk}"'
    ) in html
    try:
        dashboard = reverse("reports:dashboard")
    except NoReverseMatch:  # the dashboard (issue 10) is built beside this page
        return
    assert f'href="{dashboard}?region={world.region.pk}"' in html


@pytest.mark.parametrize("bad", ["abc", "99999", "-1", "1" * 40, "<script>"])
def test_federal_bad_region_is_a_clear_error_naming_the_field(client, world, bad):
    client.force_login(world.federal)
    response = client.get(HOME, {"region": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert REGION_INVALID in html
    assert 'aria-invalid="true"' in html
    assert "<script>" not in _main(html)


def test_federal_recent_approvals_and_closures_from_the_status_log(client, world):
    approved = make_trackable(world, create_activity(world))
    closing = make_trackable(world, create_activity(world))
    add_summary(world, closing)
    services.activity_close(
        actor=world.primary,
        activity=closing,
        completion_date=timezone.localdate(),
        outcome_report="State adopted the revised standards.",
    )
    far = _far_activity(world)
    client.force_login(world.federal)
    html = client.get(HOME).content.decode()
    section = html[html.index('id="decisions-heading"') :]
    kinds = re.findall(r'<li data-kind="(\w+)"><strong>[^<]+</strong>: <a [^>]*>(TA-\d+)<', section)
    # newest first: the closure, then the two approvals (closing's, then approved's)
    assert kinds == [
        ("closed", closing.record_number),
        ("approved", closing.record_number),
        ("approved", approved.record_number),
    ]
    assert "Activity closed" in section and world.primary.full_name in section
    # another region's view leaves them out
    html = client.get(HOME, {"region": world.faraway.region.pk}).content.decode()
    section = html[html.index('id="decisions-heading"') :]
    assert "No activity has been approved or closed in Region" in section
    assert far.record_number not in section


def test_federal_home_has_no_add_invitations(client, world):
    _activities(world)
    client.force_login(world.federal)
    html = client.get(HOME).content.decode()
    # the header's picker says what they can do with a State's page: view it
    assert 'for="tat-jurisdiction-picker">View State TA for</label>' in html
    assert "View/Add/Edit" not in html
    main = _main(html)
    assert not re.search(r"<(a|button)[^>]*>[^<]*\badd", main, re.IGNORECASE)
    assert not re.search(r"\badd (one|a|an)\b", main, re.IGNORECASE)
    for absent in (
        "No TA activities yet",
        'id="activities-heading"',
        'id="summaries-owed-heading"',
        'id="admin-queue-heading"',
        reverse("goals:closure_queue"),
        reverse("transfer:import"),
        'id="my-states-heading"',
        'id="center-heading"',
    ):
        assert absent not in main


def test_federal_home_query_count_is_pinned(client, world, django_assert_max_num_queries):
    client.force_login(world.federal)
    client.get(HOME)
    with django_assert_max_num_queries(FEDERAL_HOME_QUERIES):
        client.get(HOME)
    _activities(world)
    for _ in range(3):
        make_trackable(world, create_activity(world))
    client.get(HOME)  # the dashboard's counts of the changed States are recomputed once
    with django_assert_max_num_queries(FEDERAL_HOME_QUERIES):
        client.get(HOME)
    with django_assert_max_num_queries(FEDERAL_HOME_QUERIES):
        client.get(HOME, {"region": world.region.pk})

"""Home for an administrator (issue 10): closure requests waiting (G4), requesters added
this month (A4), reference-list changes, and links to the administration pages (the stock
admin only for superusers); none of it for other roles."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Requester
from goals.models import GoalClosureRequest
from tests.factories import (
    AdminFactory,
    FocusAreaFactory,
    GoalFactory,
    JurisdictionFactory,
    RequesterFactory,
)
from workspace.home import CLOSURE_REQUESTS_SHOWN

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")
# session, user, my activities (count), notifications, saved searches, send-backs, closure
# requests (count and the first few), requesters added (counts and the newest), the
# reference-list changes (`reference_changes_since`: one query per list and one for field
# help) + the header's unread count.
ADMIN_HOME_QUERIES = 19


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def _request_closure(goal, by) -> GoalClosureRequest:
    return GoalClosureRequest.objects.create(goal=goal, requested_by=by, reason="All done.")


@pytest.fixture
def admin_user():
    return AdminFactory(full_name="Ada Admin")


def test_admin_sees_closure_requests_waiting(client, admin_user):
    kansas = JurisdictionFactory(code="KS", name="Kansas")
    requests = [
        _request_closure(GoalFactory(jurisdiction=kansas), admin_user)
        for _ in range(CLOSURE_REQUESTS_SHOWN + 2)
    ]
    decided = _request_closure(GoalFactory(jurisdiction=kansas), admin_user)
    decided.status = GoalClosureRequest.Status.DECLINED
    decided.save()
    client.force_login(admin_user)
    html = client.get(HOME).content.decode()
    section = _section(html, "admin-queue-heading")
    pending = GoalClosureRequest.objects.filter(status="pending").count()
    assert f"({pending})" in section and pending == len(requests)
    links = re.findall(r'href="/goals/(\d+)/"', section)
    assert [int(pk) for pk in links] == [r.goal_id for r in requests[:CLOSURE_REQUESTS_SHOWN]]
    assert f"(all {pending})" in section
    assert f'href="{reverse("goals:closure_queue")}"' in section


def test_admin_sees_requesters_added_this_month(client, admin_user):
    kansas = JurisdictionFactory(code="KS", name="Kansas")
    named = RequesterFactory(
        jurisdiction=kansas, approved_by_name="Casey Administrator", created_by=admin_user
    )
    unnamed = RequesterFactory(jurisdiction=kansas, created_by=admin_user)
    old = RequesterFactory(jurisdiction=kansas, created_by=admin_user)
    month_start = timezone.localdate().replace(day=1)
    Requester.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(month_start, dt.time.min))
        - dt.timedelta(days=1)
    )
    client.force_login(admin_user)
    section = _section(client.get(HOME).content.decode(), "requesters-heading")
    since = timezone.make_aware(dt.datetime.combine(month_start, dt.time.min))
    expected = Requester.objects.filter(created_at__gte=since)
    assert expected.count() == 2
    assert 'Requesters added this month <span class="tat-count">(2)</span>' in section
    assert named.name in section and unnamed.name in section and old.name not in section
    assert "(Casey Administrator)" in section
    assert section.count("Approver’s name not recorded") == 1
    assert re.search(r'data-count="without-approver-name">1<', section)
    assert f'href="{reverse("activities:requester_detail", args=[named.pk])}"' in section


def test_admin_sees_reference_list_changes(client, admin_user):
    focus = FocusAreaFactory(name="Cost of quality modeling")
    client.force_login(admin_user)
    section = _section(client.get(HOME).content.decode(), "reference-changes-heading")
    assert "“Cost of quality modeling” added" in section
    focus.active = False
    focus.save()
    section = _section(client.get(HOME).content.decode(), "reference-changes-heading")
    assert "“Cost of quality modeling” deactivated" in section


def test_admin_links_stock_admin_only_for_superusers(client, admin_user):
    client.force_login(admin_user)
    section = _section(client.get(HOME).content.decode(), "admin-links-heading")
    for name in (
        "administration:index",
        "goals:closure_queue",
        "transfer:import",
        "transfer:export",
    ):
        assert f'href="{reverse(name)}"' in section
    assert reverse("admin:index") not in section
    superuser = AdminFactory(is_superuser=True)
    client.force_login(superuser)
    section = _section(client.get(HOME).content.decode(), "admin-links-heading")
    assert f'href="{reverse("admin:index")}"' in section


def test_admin_only_home_has_no_staff_sections(client, admin_user):
    client.force_login(admin_user)
    html = client.get(HOME).content.decode()
    assert "<h1>Administrator home</h1>" in html
    for absent in (
        'id="summaries-owed-heading"',
        "No TA activities yet",
        'id="overview-heading"',
        'id="my-states-heading"',
        'id="center-heading"',
    ):
        assert absent not in html


def test_admin_home_query_count_is_pinned(client, admin_user, django_assert_num_queries):
    kansas = JurisdictionFactory(code="KS", name="Kansas")
    client.force_login(admin_user)
    client.get(HOME)
    with django_assert_num_queries(ADMIN_HOME_QUERIES):
        client.get(HOME)
    for _ in range(CLOSURE_REQUESTS_SHOWN + 3):
        _request_closure(GoalFactory(jurisdiction=kansas), admin_user)
    for _ in range(15):
        RequesterFactory(jurisdiction=kansas, created_by=admin_user)
    for number in range(5):
        FocusAreaFactory(name=f"New focus {number}")
    client.get(HOME)  # factories may add reference rows the picker caches
    with django_assert_num_queries(ADMIN_HOME_QUERIES):
        client.get(HOME)

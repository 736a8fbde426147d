"""Home page (H1): my activities (sortable, paginated, late flags, next summary due),
"Find a TA record by ID" (A15), notifications; its query count is pinned."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityStatus, CompletionStatus, DeliverySummary
from core.businessdays import summary_due_date
from core.models import Notification
from tests.factories import (
    FederalViewerFactory,
    JurisdictionFactory,
    SSSFactory,
    StrategicAreaFactory,
    TAActivityFactory,
    UserFactory,
)
from workspace.views import HOME_PAGE_SIZE, NOTIFICATIONS_ALL_READ

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")
# session, user, unread notifications, saved searches, count of my activities, one page of
# them (with jurisdiction, focus, category and the late-summary flag joined in), my open
# send-backs (R1), the summaries owed (issue 10: one query per month looked at, two on the
# day the test fixes).
HOME_QUERIES = 10  # + the header's unread-notification count (R3)


@pytest.fixture
def me():
    return UserFactory(full_name="Morgan Primary")


@pytest.fixture
def area():
    return StrategicAreaFactory(goal__jurisdiction=JurisdictionFactory(code="KS", name="Kansas"))


def _activities(me, area, count: int, **extra):
    return [TAActivityFactory(strategic_area=area, primary_staff=me, **extra) for _ in range(count)]


def _record_numbers(html: str) -> list[str]:
    return re.findall(r'class="usa-link tat-record-number"[^>]*>(TA-\d+)<', html)


def test_h1_anonymous_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_h1_home_lists_activities_where_i_am_primary_or_collaborating(client, me, area):
    mine = TAActivityFactory(strategic_area=area, primary_staff=me)
    collaborating = TAActivityFactory(strategic_area=area)
    collaborating.collaborating_staff.add(me)
    someone_elses = TAActivityFactory(strategic_area=area)
    client.force_login(me)
    response = client.get(HOME)
    html = response.content.decode()
    numbers = _record_numbers(html)
    assert set(numbers) == {mine.record_number, collaborating.record_number}
    assert someone_elses.record_number not in html
    # record number first in each row, linking to the record
    link = reverse("activities:detail", args=[mine.pk])
    assert f'<th scope="row"><a class="usa-link tat-record-number" href="{link}">' in html
    assert mine.title in html and "Kansas" in html and area.goal.category.name in html


def test_h1_home_has_picker_and_find_box(client, me):
    JurisdictionFactory(code="GU", name="Guam")
    client.force_login(me)
    html = client.get(HOME).content.decode()
    assert 'for="tat-jurisdiction-picker">View/Add/Edit State TA for</label>' in html
    assert 'for="tat-find-record">Find a TA record by ID</label>' in html
    assert f'action="{reverse("workspace:find_record")}"' in html
    assert '<option value="GU">Guam</option>' in html
    assert "My States and Territories" not in html  # only for an SSS


def test_h1_sss_sees_links_to_their_states(client):
    kansas = JurisdictionFactory(code="KS", name="Kansas")
    guam = JurisdictionFactory(code="GU", name="Guam")
    client.force_login(SSSFactory(jurisdictions=[kansas, guam]))
    html = client.get(HOME).content.decode()
    section = html[html.index('id="my-states-heading"') :]
    assert section.index(">Guam<") < section.index(">Kansas<")
    assert f'href="{reverse("workspace:jurisdiction", args=["KS"])}"' in section


def test_h1_sortable_columns_say_their_order_with_aria_sort(client, me, area):
    activities = _activities(me, area, 3)
    client.force_login(me)
    html = client.get(HOME, {"sort": "record"}).content.decode()
    assert _record_numbers(html) == [a.record_number for a in activities]
    assert re.search(
        r'<th scope="col" aria-sort="ascending">\s*<a class="tat-sort-link" href="\?sort=-record"',
        html,
    )
    html = client.get(HOME, {"sort": "-record"}).content.decode()
    assert _record_numbers(html) == [a.record_number for a in reversed(activities)]
    assert 'aria-sort="descending"' in html
    assert html.count("aria-sort=") == 1


def test_h1_sort_by_status_follows_the_lifecycle(client, me, area):
    denied = TAActivityFactory(strategic_area=area, primary_staff=me, status=ActivityStatus.DENIED)
    planning = TAActivityFactory(strategic_area=area, primary_staff=me)
    approved = TAActivityFactory(
        strategic_area=area, primary_staff=me, status=ActivityStatus.APPROVED
    )
    client.force_login(me)
    html = client.get(HOME, {"sort": "status"}).content.decode()
    assert _record_numbers(html) == [
        planning.record_number,
        approved.record_number,
        denied.record_number,
    ]


def test_h1_unknown_sort_falls_back_to_newest_first(client, me, area):
    old = TAActivityFactory(
        strategic_area=area, primary_staff=me, date_opened=timezone.localdate() - dt.timedelta(9)
    )
    new = TAActivityFactory(strategic_area=area, primary_staff=me)
    client.force_login(me)
    response = client.get(HOME, {"sort": "password; DROP TABLE"})
    assert response.status_code == 200
    assert _record_numbers(response.content.decode()) == [new.record_number, old.record_number]


def test_h1_paginated_with_uswds_pagination_keeping_the_sort(client, me, area):
    activities = _activities(me, area, HOME_PAGE_SIZE + 2)
    client.force_login(me)
    html = client.get(HOME, {"sort": "record"}).content.decode()
    assert len(_record_numbers(html)) == HOME_PAGE_SIZE
    assert 'class="usa-pagination"' in html
    assert 'href="?sort=record&amp;page=2"' in html
    assert 'aria-current="page">1<' in html
    html = client.get(HOME, {"sort": "record", "page": "2"}).content.decode()
    assert _record_numbers(html) == [a.record_number for a in activities[HOME_PAGE_SIZE:]]
    # a page that does not exist shows the last one instead of an error
    assert client.get(HOME, {"page": "999"}).status_code == 200
    assert client.get(HOME, {"page": "abc"}).status_code == 200


def test_h1_late_entry_and_late_summary_flags(client, me, area):
    late_entry = TAActivityFactory(strategic_area=area, primary_staff=me, is_late_entry=True)
    late_summary = TAActivityFactory(strategic_area=area, primary_staff=me)
    DeliverySummary.objects.create(
        activity=late_summary,
        note_date=timezone.localdate() - dt.timedelta(days=60),
        text="State received a two-day onsite visit.",
        author=me,
    )
    on_time = TAActivityFactory(strategic_area=area, primary_staff=me)
    client.force_login(me)
    response = client.get(HOME, {"sort": "record"})
    rows = {
        a.record_number: (a.is_late_entry, a.has_late_summary) for a, _ in response.context["rows"]
    }
    assert rows == {
        late_entry.record_number: (True, False),
        late_summary.record_number: (False, True),
        on_time.record_number: (False, False),
    }
    html = response.content.decode()
    assert html.count('tat-tag--late">Late entry<') == 1
    assert html.count('tat-tag--late">Late summary<') == 1


def test_h1_next_summary_due_for_open_approved_activities_only(client, me, area):
    approved = TAActivityFactory(
        strategic_area=area, primary_staff=me, status=ActivityStatus.APPROVED
    )
    planning = TAActivityFactory(strategic_area=area, primary_staff=me)
    closed = TAActivityFactory(
        strategic_area=area,
        primary_staff=me,
        status=ActivityStatus.APPROVED,
        completion_status=CompletionStatus.CLOSED,
        completion_date=timezone.localdate(),
    )
    client.force_login(me)
    response = client.get(HOME)
    due = {a.pk: d for a, d in response.context["rows"]}
    assert due == {
        approved.pk: summary_due_date(timezone.localdate()),
        planning.pk: None,
        closed.pk: None,
    }
    assert "10 business days after delivery or the last day of the month" in (
        response.content.decode()
    )


def test_h1_no_activities_explains_how_to_add_one(client, me):
    client.force_login(me)
    html = client.get(HOME).content.decode()
    assert "No TA activities yet" in html


def test_h1_query_count_is_pinned_and_does_not_grow(
    client, me, area, on_day, django_assert_num_queries
):
    on_day(dt.date(2026, 11, 23))
    _activities(me, area, 5)
    client.force_login(me)
    client.get(HOME)  # the picker's list is read once per process
    with django_assert_num_queries(HOME_QUERIES):
        client.get(HOME)
    _activities(me, area, 45)
    for activity in _activities(me, area, 3):
        DeliverySummary.objects.create(
            activity=activity,
            note_date=timezone.localdate() - dt.timedelta(days=60),
            text="Late.",
            author=me,
        )
    Notification.objects.create(recipient=me, message="A goal was added to your State.")
    with django_assert_num_queries(HOME_QUERIES):
        client.get(HOME)
    with CaptureQueriesContext(connection) as page_two:
        client.get(HOME, {"page": "2", "sort": "-status"})
    assert len(page_two) == HOME_QUERIES


def test_h1_wrong_method_is_405(client, me):
    client.force_login(me)
    assert client.post(HOME).status_code == 405
    notification = Notification.objects.create(recipient=me, message="Hello.")
    read_one = reverse("workspace:notification_read", args=[notification.pk])
    assert client.get(read_one).status_code == 405
    assert client.get(reverse("workspace:notifications_read_all")).status_code == 405


def test_h1_notifications_mark_all_as_read(client, me):
    for text in ("First.", "Second."):
        Notification.objects.create(recipient=me, message=text)
    other = Notification.objects.create(recipient=UserFactory(), message="Not mine.")
    client.force_login(me)
    html = client.get(HOME).content.decode()
    assert "First." in html and "Second." in html and "Not mine." not in html
    response = client.post(reverse("workspace:notifications_read_all"), follow=True)
    assert NOTIFICATIONS_ALL_READ in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


# --------------------------------------------------------------------------------- A15


@pytest.mark.parametrize("typed", ["{number}", "TA-{number:06d}", " ta-{number} ", "ta {number}"])
def test_a15_find_record_by_id_opens_it(client, me, area, typed):
    activity = TAActivityFactory(strategic_area=area)
    client.force_login(FederalViewerFactory())
    record = typed.format(number=activity.pk)
    response = client.get(reverse("workspace:find_record"), {"record": record})
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])


def test_a15_find_unknown_record_says_so(client, me):
    client.force_login(me)
    response = client.get(reverse("workspace:find_record"), {"record": "TA-999999"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No TA record has the number “TA-999999”" in html
    assert 'value="TA-999999"' in html  # kept, to correct it


@pytest.mark.parametrize("typed", ["", "hello", "TA-12x", "1" * 40, "<script>"])
def test_a15_find_malformed_number_is_a_clear_message_not_a_500(client, me, typed):
    client.force_login(me)
    response = client.get(reverse("workspace:find_record"), {"record": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "TA-000123" in html
    assert "<script>" not in html.split("<main", 1)[1]

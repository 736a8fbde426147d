"""State/Territory page (H2): goals by category with their strategic areas and activities
(status at a glance), closed goals and on-demand activities apart, buttons only for those
who may; its query count is pinned."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityStatus, CompletionStatus
from goals import services
from goals.models import Readiness
from tests.factories import (
    AdminFactory,
    CenterFactory,
    FederalViewerFactory,
    FocusAreaFactory,
    GoalCategoryFactory,
    JurisdictionFactory,
    RegionFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
    UserFactory,
)
from workspace.selectors import AREA_ACTIVITY_LIMIT

pytestmark = pytest.mark.django_db

# session, user, the jurisdiction, open goals, their strategic areas, their activities,
# pending closure requests, closed goals, their strategic areas, on-demand count and one
# page of them, the SSS's assigned States (for the add buttons), the header's unread count.
JURISDICTION_QUERIES = 13


@pytest.fixture
def state():
    """Unlike the shared Kansas: a territory (Guam, region IX), as the page names it."""
    return JurisdictionFactory(
        code="GU",
        name="Guam",
        kind="territory",
        region=RegionFactory(number=9, city="San Francisco"),
    )


@pytest.fixture
def quality():
    return GoalCategoryFactory(number=7, name="Support continuous quality improvement")


@pytest.fixture
def workforce():
    return GoalCategoryFactory(number=6, name="Recruit and retain a qualified workforce")


@pytest.fixture
def center():
    return CenterFactory(code="ECQA", name="National Center on Early Childhood Quality Assurance")


def _goal(sss, state, category, names, *, related=None, notes=""):
    items = [StrategicAreaItemFactory(category=category, name=name) for name in names]
    return services.goal_create(
        actor=sss,
        jurisdiction=state,
        category=category,
        related_category=related,
        readiness=Readiness.MOST,
        strategic_areas=[(item, notes) for item in items],
        confirm_duplicate_category=True,
    )


def _activity(goal, center, **extra):
    return TAActivityFactory(
        strategic_area=goal.strategic_areas.order_by("pk").first(),
        primary_center=center,
        **extra,
    )


def _on_demand(state, category, center, **extra):
    return TAActivityFactory(
        strategic_area=None,
        goal=None,
        jurisdiction=state,
        goal_category=category,
        focus=FocusAreaFactory(category=category),
        primary_center=center,
        **extra,
    )


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find('<section class="tat-section"', start)
    return html[start : end if end != -1 else None]


def test_h2_anonymous_is_sent_to_sign_in(client, state):
    response = client.get(reverse("workspace:jurisdiction", args=["GU"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_h2_heading_has_name_and_region(client, state):
    client.force_login(UserFactory())
    html = client.get(reverse("workspace:jurisdiction", args=["gu"])).content.decode()
    assert "<h1>Guam</h1>" in html
    assert "Territory · Region IX (San Francisco)" in html


def test_h2_unknown_jurisdiction_is_404_and_post_is_405(client, state):
    client.force_login(UserFactory())
    assert client.get(reverse("workspace:jurisdiction", args=["ZZ"])).status_code == 404
    assert client.post(reverse("workspace:jurisdiction", args=["GU"])).status_code == 405


def test_h2_open_goals_grouped_by_category_with_areas_notes_and_activities(
    client, sss, state, quality, workforce, center
):
    qris = _goal(
        sss, state, quality, ["Tiered QRIS"], related=workforce, notes="Infant and toddler tiers."
    )
    staff_goal = _goal(sss, state, workforce, ["Credentials"])
    approved = _activity(qris, center, status=ActivityStatus.APPROVED)
    planning = _activity(staff_goal, center)
    client.force_login(sss)
    response = client.get(reverse("workspace:jurisdiction", args=["GU"]))
    html = _section(response.content.decode(), "open-goals-heading")
    # category order: 6 before 7
    assert html.index("6. Recruit and retain") < html.index("7. Support continuous quality")
    assert [g.category.number for g in response.context["groups"]] == [6, 7]
    assert "Most ready" in html
    assert "Related goal category" in html and str(workforce) in html
    assert timezone.localdate().strftime("%m/%d/%Y") in html
    assert "Tiered QRIS" in html and "Infant and toddler tiers." in html
    for activity in (approved, planning):
        assert (
            f'href="{reverse("activities:detail", args=[activity.pk])}">{activity.record_number}<'
            in html
        )
        assert activity.title in html
    assert "ECQA" in html
    # status at a glance: USWDS tags with their words
    assert 'class="usa-tag tat-tag tat-tag--approved"' in html
    assert 'class="usa-tag tat-tag tat-tag--planning"' in html
    assert (
        html.count('class="usa-tag tat-tag tat-tag--open"><span class="usa-sr-only">Completion')
        == 2
    )


def test_h2_closed_goals_in_their_own_section(client, sss, state, quality, workforce):
    admin = AdminFactory()
    closed = _goal(sss, state, quality, ["Accreditation supports"])
    services.goal_close(actor=admin, goal=closed, note="All TA activities complete.")
    _goal(sss, state, workforce, ["Credentials"])
    client.force_login(sss)
    html = client.get(reverse("workspace:jurisdiction", args=["GU"])).content.decode()
    assert "Accreditation supports" not in _section(html, "open-goals-heading")
    closed_html = _section(html, "closed-goals-heading")
    assert reverse("goals:detail", args=[closed.pk]) in closed_html
    assert "Accreditation supports" in closed_html
    assert "Credentials" not in closed_html


def test_h2_on_demand_activities_in_their_own_section(client, sss, state, quality, center):
    goal = _goal(sss, state, quality, ["Tiered QRIS"])
    goal_driven = _activity(goal, center)
    on_demand = _on_demand(state, quality, center)
    finished = _on_demand(
        state,
        quality,
        center,
        completion_status=CompletionStatus.CLOSED,
        completion_date=timezone.localdate(),
    )
    client.force_login(sss)
    html = client.get(reverse("workspace:jurisdiction", args=["GU"])).content.decode()
    section = _section(html, "on-demand-heading")
    assert on_demand.record_number in section and finished.record_number in section
    assert section.index(on_demand.record_number) < section.index(finished.record_number)
    assert goal_driven.record_number not in section
    assert on_demand.record_number not in _section(html, "open-goals-heading")
    assert f"{reverse('activities:create_on_demand')}?jurisdiction=GU" in html


@pytest.mark.parametrize("role", ["sss", "staff", "admin"])
def test_h2_add_buttons_shown_to_those_who_may(client, sss, state, quality, role):
    goal = _goal(sss, state, quality, ["Tiered QRIS"])
    person = {"sss": sss, "staff": UserFactory(), "admin": AdminFactory()}[role]
    client.force_login(person)
    html = client.get(reverse("workspace:jurisdiction", args=["GU"])).content.decode()
    assert f'{reverse("goals:create")}?jurisdiction=GU">Add a goal</a>' in html
    area = goal.strategic_areas.get()
    assert f'{reverse("activities:create")}?strategic_area={area.pk}"' in html


def test_h2_add_buttons_hidden_from_read_only_viewer(client, sss, state, quality):
    _goal(sss, state, quality, ["Tiered QRIS"])
    client.force_login(FederalViewerFactory())
    html = client.get(reverse("workspace:jurisdiction", args=["GU"])).content.decode()
    assert "Tiered QRIS" in html  # reads everything
    assert "Add a goal" not in html
    assert "Add a TA activity" not in html
    assert "Add an on-demand TA activity" not in html


def test_h2_on_demand_section_is_paginated(client, sss, state, quality, center):
    for _ in range(27):
        _on_demand(state, quality, center)
    client.force_login(sss)
    url = reverse("workspace:jurisdiction", args=["GU"])
    html = client.get(url).content.decode()
    section = _section(html, "on-demand-heading")
    assert len(re.findall(r'tat-record-number"[^>]*>TA-', section)) == 25
    assert 'aria-label="Pages of on-demand TA activities"' in html
    html = client.get(url, {"page": "2"}).content.decode()
    assert len(re.findall(r'tat-record-number"[^>]*>TA-', _section(html, "on-demand-heading"))) == 2


def test_h2_query_count_is_pinned_and_does_not_grow(
    client, sss, state, quality, workforce, center, django_assert_num_queries
):
    admin = AdminFactory()
    goal = _goal(sss, state, quality, ["Tiered QRIS"])
    _activity(goal, center)
    services.goal_close(actor=admin, goal=_goal(sss, state, workforce, ["Gone"]), note="Done.")
    _on_demand(state, quality, center)
    url = reverse("workspace:jurisdiction", args=["GU"])
    client.force_login(sss)
    client.get(url)  # the picker's list is read once per process
    with django_assert_num_queries(JURISDICTION_QUERIES):
        client.get(url)

    for category in (quality, workforce, GoalCategoryFactory(number=3, name="Financial help")):
        more = _goal(sss, state, category, [f"{category.number} A", f"{category.number} B"])
        for _ in range(4):
            _activity(more, CenterFactory())
    closed = _goal(sss, state, workforce, ["Old area"])
    services.goal_close(actor=admin, goal=closed, note="Done.")
    services.goal_request_closure(actor=sss, goal=goal, reason="Done.")
    for _ in range(6):
        _on_demand(state, quality, center)
    with django_assert_num_queries(JURISDICTION_QUERIES):
        response = client.get(url)
    assert response.context["open_goal_count"] == 4


def test_h2_busy_strategic_area_shows_open_first_and_links_to_all(
    client, sss, state, quality, center
):
    goal = _goal(sss, state, quality, ["Tiered QRIS"])
    closed = [
        _activity(
            goal,
            center,
            completion_status=CompletionStatus.CLOSED,
            completion_date=timezone.localdate(),
        )
        for _ in range(AREA_ACTIVITY_LIMIT)
    ]
    still_open = _activity(goal, center)
    client.force_login(sss)
    html = client.get(reverse("workspace:jurisdiction", args=["GU"])).content.decode()
    section = _section(html, "open-goals-heading")
    numbers = re.findall(r'tat-record-number"[^>]*>(TA-\d+)<', section)
    assert len(numbers) == AREA_ACTIVITY_LIMIT
    assert numbers[0] == still_open.record_number  # open work first
    assert closed[0].record_number not in numbers  # the oldest closed one is left out
    total = AREA_ACTIVITY_LIMIT + 1
    assert f"{total} TA activities, 1 open" in section
    area = goal.strategic_areas.get()
    link = f"{reverse('goals:detail', args=[goal.pk])}#area-{area.pk}"
    assert f'href="{link}">All {total} TA activities under Tiered QRIS</a>' in section

"""Goal pages (G1–G4, AU1, C1): the permission ladder of every page that changes data, the
rules through the pages (errors named at the field, nothing typed lost), conflicts and
history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import CompletionStatus
from core.models import Notification
from goals import services
from goals.forms import CONFIRM_SECOND_GOAL_REQUIRED, RELATED_SAME
from goals.models import Goal, GoalClosureRequest, GoalNote, Readiness, StrategicArea
from tests.factories import (
    StrategicAreaItemFactory,
    TAActivityFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


# ------------------------------------------------------------------------------ set-up


@pytest.fixture
def other_items(other_category):
    return [
        StrategicAreaItemFactory(category=other_category, name="Credentials", sort_order=1),
        StrategicAreaItemFactory(category=other_category, name="Compensation", sort_order=2),
    ]


@pytest.fixture
def goal(state, category, items, sss):
    return services.goal_create(
        actor=sss,
        jurisdiction=state,
        category=category,
        readiness=Readiness.SOMEWHAT,
        strategic_areas=[(items[0], "Focus on infant and toddler programs.")],
    )


@pytest.fixture
def closed_goal(goal, admin):
    return services.goal_close(actor=admin, goal=goal, note="All TA activities complete.")


@pytest.fixture
def closure_request(goal, sss):
    return services.goal_request_closure(actor=sss, goal=goal, reason="No further TA requested.")


def _create_url(code: str = "KS") -> str:
    return f"{reverse('goals:create')}?jurisdiction={code}"


def _create_data(category, areas, **extra) -> dict:
    data = {
        "start_date": timezone.localdate().isoformat(),
        "readiness": Readiness.MOST,
        "category": str(category.pk),
        "related_category": "",
        "strategic_areas": [str(item.pk) for item in areas],
        "update_note": "",
    }
    data.update(extra)
    return data


def _edit_data(goal, **extra) -> dict:
    data = {
        "version": str(goal.version),
        "start_date": goal.start_date.isoformat(),
        "readiness": goal.readiness,
        "category": str(goal.category_id),
        "related_category": str(goal.related_category_id or ""),
    }
    data.update(extra)
    return data


def _errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# ------------------------------------------------------------- the permission ladder

# (name, how to build the URL, the POST data that succeeds, who may)
PAGES = {
    "create": "goals:create",
    "edit": "goals:edit",
    "add_strategic_area": "goals:add_strategic_area",
    "edit_strategic_area": "goals:edit_strategic_area",
    "remove_strategic_area": "goals:remove_strategic_area",
    "add_note": "goals:add_note",
    "request_closure": "goals:request_closure",
    "close": "goals:close",
    "decline_closure": "goals:decline_closure",
    "reopen": "goals:reopen",
}


def _page_url(page: str, goal: Goal) -> str:
    if page == "create":
        return _create_url()
    if page in ("edit_strategic_area", "remove_strategic_area"):
        return reverse(PAGES[page], args=[goal.strategic_areas.order_by("pk").first().pk])
    if page == "decline_closure":
        request = goal.closure_requests.get(status=GoalClosureRequest.Status.PENDING)
        return reverse(PAGES[page], args=[request.pk])
    return reverse(PAGES[page], args=[goal.pk])


@pytest.fixture
def ladder_goal(goal, items, sss):
    """A goal with two strategic areas (one may be removed) and a pending closure request."""
    services.strategic_area_add(actor=sss, goal=goal, item=items[1])
    services.goal_request_closure(actor=sss, goal=goal, reason="Done.")
    return goal


@pytest.mark.parametrize("page", list(PAGES))
def test_ladder_anonymous_is_sent_to_sign_in(client, ladder_goal, page):
    url = _page_url(page, ladder_goal)
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


@pytest.mark.parametrize("page", list(PAGES))
def test_ladder_read_only_federal_viewer_gets_403(client, ladder_goal, viewer, page):
    client.force_login(viewer)
    url = _page_url(page, ladder_goal)
    before = Goal.history.count(), StrategicArea.history.count(), GoalNote.objects.count()
    if page != "remove_strategic_area":
        assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "note": "x", "text": "x"}).status_code == 403
    assert (Goal.history.count(), StrategicArea.history.count(), GoalNote.objects.count()) == (
        before
    )


@pytest.mark.parametrize(
    "page",
    ["edit", "add_strategic_area", "edit_strategic_area", "remove_strategic_area", "add_note"],
)
def test_ladder_staff_who_is_not_the_states_sss_may_not_edit_goal(client, ladder_goal, staff, page):
    client.force_login(staff)
    assert client.post(_page_url(page, ladder_goal), {"text": "x"}).status_code == 403


def test_ladder_sss_of_another_state_may_not_edit(client, goal, other_sss):
    client.force_login(other_sss)
    assert client.get(reverse("goals:edit", args=[goal.pk])).status_code == 403
    assert client.get(reverse("goals:request_closure", args=[goal.pk])).status_code == 403


@pytest.mark.parametrize("page", ["close", "decline_closure", "reopen"])
def test_g4_non_admin_closing_or_deciding_gets_403(client, ladder_goal, sss, page):
    client.force_login(sss)
    url = _page_url(page, ladder_goal)
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "Closing.", "reason": "x"}).status_code == 403
    ladder_goal.refresh_from_db()
    assert ladder_goal.is_open


def test_g4_closure_queue_is_for_admins_only(client, sss, viewer, admin, closure_request):
    url = reverse("goals:closure_queue")
    assert client.get(url).status_code == 302
    for person in (sss, viewer):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "No further TA requested." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("goals:create", "put"),
        ("goals:edit", "delete"),
        ("goals:detail", "post"),
        ("goals:history", "post"),
        ("goals:closure_queue", "post"),
        ("goals:remove_strategic_area", "get"),
        ("goals:strategic_area_options", "post"),
        ("goals:close", "patch"),
    ],
)
def test_ladder_wrong_http_method_gets_405(client, goal, admin, name, method):
    client.force_login(admin)
    if name in ("goals:create", "goals:closure_queue", "goals:strategic_area_options"):
        url = reverse(name)
    elif name == "goals:remove_strategic_area":
        url = reverse(name, args=[goal.strategic_areas.first().pk])
    else:
        url = reverse(name, args=[goal.pk])
    assert getattr(client, method)(url).status_code == 405


def test_ladder_unknown_goal_and_unknown_state_are_404(client, sss):
    client.force_login(sss)
    assert client.get(reverse("goals:detail", args=[999])).status_code == 404
    assert client.get(reverse("goals:edit", args=[999])).status_code == 404
    assert client.get(_create_url("ZZ")).status_code == 404
    assert client.get(reverse("goals:create")).status_code == 404


def test_every_signed_in_person_reads_goal_detail_and_history(client, goal, viewer):
    client.force_login(viewer)
    response = client.get(reverse("goals:detail", args=[goal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiered QRIS" in html
    assert "Edit goal" not in html  # buttons only for those who may
    assert "Request closure" not in html
    assert client.get(reverse("goals:history", args=[goal.pk])).status_code == 200


# ----------------------------------------------------------------------------------- G1


def test_g1_sss_creates_goal_with_two_strategic_areas_notes_and_update_note(
    client, sss, state, category, items, other_category
):
    client.force_login(sss)
    response = client.get(_create_url())
    assert response.status_code == 200
    data = _create_data(
        category,
        items[:2],
        related_category=str(other_category.pk),
        start_date_is_approximate="on",
        update_note="Goal agreed with the Lead Agency.",
        **{f"notes_{items[0].pk}": "Infant and toddler programs first."},
    )
    response = client.post(_create_url(), data)
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:detail", args=[goal.pk])
    assert goal.jurisdiction == state
    assert goal.related_category == other_category
    assert goal.readiness == Readiness.MOST
    assert goal.start_date_is_approximate
    areas = {sa.item.name: sa.notes for sa in goal.strategic_areas.all()}
    assert areas == {
        "Tiered QRIS": "Infant and toddler programs first.",
        "Evaluating program quality": "",
    }
    note = goal.notes.get()
    assert note.text == "Goal agreed with the Lead Agency."
    assert note.note_date == timezone.localdate()


def test_g1_related_category_equal_to_category_refused_at_field_keeping_input(
    client, sss, category, items
):
    client.force_login(sss)
    data = _create_data(
        category,
        items[:1],
        related_category=str(category.pk),
        update_note="Typed words survive.",
        **{f"notes_{items[0].pk}": "My careful notes."},
    )
    response = client.post(_create_url(), data)
    assert response.status_code == 200
    assert _errors(response, "related_category") == [RELATED_SAME]
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "My careful notes." in html
    assert "Typed words survive." in html
    assert Goal.objects.count() == 0


def test_g1_strategic_area_required_named_at_field(client, sss, category, items):
    client.force_login(sss)
    response = client.post(_create_url(), _create_data(category, []))
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    assert 'href="#id_strategic_areas_0"' in response.content.decode()
    assert Goal.objects.count() == 0


def test_g1_strategic_area_from_another_category_refused(client, sss, category, items, other_items):
    client.force_login(sss)
    data = _create_data(category, items[:1])
    data["strategic_areas"].append(str(other_items[0].pk))
    response = client.post(_create_url(), data)
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    assert Goal.objects.count() == 0


def test_g1_service_errors_are_named_at_the_field(client, sss, category, items):
    client.force_login(sss)
    far = (timezone.localdate() + dt.timedelta(days=800)).isoformat()
    response = client.post(_create_url(), _create_data(category, items[:1], start_date=far))
    assert response.status_code == 200
    assert "more than a year in the future" in _errors(response, "start_date")[0]
    assert Goal.objects.count() == 0


def test_g1_strategic_area_list_follows_category_without_reload(
    client, sss, category, items, other_items
):
    client.force_login(sss)
    form_html = client.get(_create_url()).content.decode()
    assert 'hx-get="/goals/strategic-area-options/"' in form_html
    assert 'hx-target="#strategic-area-options"' in form_html
    response = client.get(
        reverse("goals:strategic_area_options"),
        {"category": other_items[0].category_id},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Credentials" in html and "Compensation" in html
    assert "Tiered QRIS" not in html
    assert "<html" not in html  # a fragment


def test_g1_strategic_area_list_works_without_javascript(client, sss, category, items):
    client.force_login(sss)
    html = client.get(_create_url()).content.decode()
    assert 'name="show_areas"' in html and "data-tat-no-js" in html
    assert "Tiered QRIS" not in html
    response = client.post(
        _create_url(),
        {"show_areas": "1", "category": str(category.pk), "readiness": Readiness.LEAST},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiered QRIS" in html and "Accreditation supports" in html
    assert 'id="error-summary"' not in html  # not yet a save: no complaints
    assert (
        'value="least" checked' in html
        or 'checked value="least"' in html
        or (response.context["form"]["readiness"].value() == "least")
    )
    assert Goal.objects.count() == 0


def test_g1_edit_goal_fields(client, goal, sss, other_category):
    client.force_login(sss)
    response = client.get(reverse("goals:edit", args=[goal.pk]))
    assert response.status_code == 200
    assert f'name="version" value="{goal.version}"' in response.content.decode()
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        _edit_data(goal, readiness=Readiness.MOST, related_category=str(other_category.pk)),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.readiness == Readiness.MOST
    assert goal.related_category == other_category
    assert goal.version == 2


def test_g1_edit_category_change_replaces_strategic_areas(
    client, goal, sss, other_category, other_items
):
    client.force_login(sss)
    url = reverse("goals:edit", args=[goal.pk])
    response = client.post(url, _edit_data(goal, category=str(other_category.pk)))
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    response = client.post(
        url,
        _edit_data(
            goal,
            category=str(other_category.pk),
            strategic_areas=[str(other_items[1].pk)],
            **{f"notes_{other_items[1].pk}": "Wage supplements."},
        ),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.category == other_category
    assert [(sa.item.name, sa.notes) for sa in goal.strategic_areas.all()] == [
        ("Compensation", "Wage supplements.")
    ]


def test_g1_edit_category_locked_once_activities_exist(client, goal, sss, other_category):
    TAActivityFactory(strategic_area=goal.strategic_areas.get())
    client.force_login(sss)
    url = reverse("goals:edit", args=[goal.pk])
    html = client.get(url).content.decode()
    assert "The goal category cannot change" in html
    response = client.post(url, _edit_data(goal, category=str(other_category.pk)))
    assert response.status_code == 302  # the disabled field keeps the stored category
    goal.refresh_from_db()
    assert goal.category.number == 7


def test_g1_add_strategic_areas_to_goal(client, goal, sss, items):
    client.force_login(sss)
    url = reverse("goals:add_strategic_area", args=[goal.pk])
    html = client.get(url).content.decode()
    assert "Evaluating program quality" in html
    assert f'value="{items[0].pk}"' not in html  # already on the goal: not offered
    response = client.post(
        url,
        {
            "strategic_areas": [str(items[1].pk), str(items[2].pk)],
            f"notes_{items[2].pk}": "Accreditation fee support.",
        },
    )
    assert response.status_code == 302
    assert {sa.item.name: sa.notes for sa in goal.strategic_areas.all()} == {
        "Tiered QRIS": "Focus on infant and toddler programs.",
        "Evaluating program quality": "",
        "Accreditation supports": "Accreditation fee support.",
    }


def test_g1_add_strategic_areas_requires_a_choice(client, goal, sss):
    client.force_login(sss)
    response = client.post(reverse("goals:add_strategic_area", args=[goal.pk]), {})
    assert response.status_code == 200
    assert _errors(response, "strategic_areas")
    assert goal.strategic_areas.count() == 1


def test_g1_edit_strategic_area_notes(client, goal, sss):
    area = goal.strategic_areas.get()
    client.force_login(sss)
    response = client.post(
        reverse("goals:edit_strategic_area", args=[area.pk]),
        {"notes": "Now preschool too.", "version": str(area.version)},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.notes == "Now preschool too."


def test_g1_remove_strategic_area_refused_for_the_last_one(client, goal, sss):
    area = goal.strategic_areas.get()
    client.force_login(sss)
    response = client.post(reverse("goals:remove_strategic_area", args=[area.pk]), follow=True)
    assert "A goal needs at least one strategic area" in response.content.decode()
    assert goal.strategic_areas.count() == 1


def test_g1_remove_strategic_area(client, goal, sss, items):
    extra = services.strategic_area_add(actor=sss, goal=goal, item=items[2])
    client.force_login(sss)
    response = client.post(reverse("goals:remove_strategic_area", args=[extra.pk]))
    assert response.status_code == 302
    assert list(goal.strategic_areas.values_list("item__name", flat=True)) == ["Tiered QRIS"]


def test_g1_dated_goal_update_note(client, goal, sss):
    client.force_login(sss)
    url = reverse("goals:add_note", args=[goal.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        url, {"note_date": yesterday.isoformat(), "text": "State wants only infant/toddler ELGs."}
    )
    assert response.status_code == 302
    note = goal.notes.get()
    assert (note.note_date, note.author, note.kind) == (yesterday, sss, GoalNote.Kind.UPDATE)
    detail = client.get(reverse("goals:detail", args=[goal.pk])).content.decode()
    assert yesterday.strftime("%m/%d/%y") in detail
    assert "State wants only infant/toddler ELGs." in detail


def test_g1_note_in_future_refused_at_field_keeping_text(client, goal, sss):
    client.force_login(sss)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("goals:add_note", args=[goal.pk]),
        {"note_date": tomorrow.isoformat(), "text": "Words I typed."},
    )
    assert response.status_code == 200
    assert _errors(response, "note_date") == [services.NOTE_DATE_IN_FUTURE]
    assert "Words I typed." in response.content.decode()
    assert goal.notes.count() == 0


def test_g1_closed_goal_is_read_only_for_non_admins(client, closed_goal, sss):
    client.force_login(sss)
    response = client.get(reverse("goals:edit", args=[closed_goal.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:detail", args=[closed_goal.pk])


# ----------------------------------------------------------------------------------- G2


def test_g2_duplicate_category_shows_existing_goal_and_both_ways(client, goal, sss, items):
    client.force_login(sss)
    response = client.post(_create_url(), _create_data(goal.category, items[1:3]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has an open goal in this category" in html
    assert reverse("goals:detail", args=[goal.pk]) in html
    assert "Tiered QRIS" in html  # the existing goal's strategic areas
    assert "Add these strategic areas to the existing goal" in html
    assert "Create a second goal anyway" in html
    assert 'name="confirm_second_goal"' in html
    assert Goal.objects.count() == 1


def test_g2_add_strategic_areas_to_the_existing_goal(client, goal, sss, items):
    client.force_login(sss)
    data = _create_data(
        goal.category,
        [items[0], items[1]],
        add_to_goal=str(goal.pk),
        update_note="Work widened to program evaluation.",
        **{f"notes_{items[1].pk}": "Validation study."},
    )
    response = client.post(_create_url(), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:detail", args=[goal.pk])
    assert Goal.objects.count() == 1
    assert {sa.item.name: sa.notes for sa in goal.strategic_areas.all()} == {
        "Tiered QRIS": "Focus on infant and toddler programs.",
        "Evaluating program quality": "Validation study.",
    }
    assert goal.notes.get().text == "Work widened to program evaluation."


def test_g2_second_goal_needs_the_explicit_confirmation(client, goal, sss, items):
    client.force_login(sss)
    data = _create_data(goal.category, items[1:2], action="create_second")
    response = client.post(_create_url(), data)
    assert response.status_code == 200
    assert _errors(response, "confirm_second_goal") == [CONFIRM_SECOND_GOAL_REQUIRED]
    assert Goal.objects.count() == 1
    response = client.post(_create_url(), {**data, "confirm_second_goal": "on"})
    assert response.status_code == 302
    assert Goal.objects.filter(category=goal.category, status=Goal.Status.OPEN).count() == 2


# ----------------------------------------------------------------------------------- G3


def test_g3_staff_member_adds_goal_and_sss_is_notified_on_home(
    client, staff, sss, state, category, items
):
    client.force_login(staff)
    response = client.post(_create_url(), _create_data(category, items[:1]))
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=sss)
    assert "Kansas" in notification.message

    client.force_login(sss)
    home = client.get(reverse("workspace:home")).content.decode()
    assert notification.message in home
    response = client.post(reverse("workspace:notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert notification.message not in client.get(reverse("workspace:home")).content.decode()


def test_g3_notification_of_someone_else_cannot_be_marked(client, staff, sss):
    notification = Notification.objects.create(recipient=sss, message="For Sam only.")
    client.force_login(staff)
    response = client.post(reverse("workspace:notification_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_g3_federal_viewer_cannot_add_goal(client, viewer, category, items, state):
    client.force_login(viewer)
    assert client.get(_create_url()).status_code == 403
    assert client.post(_create_url(), _create_data(category, items[:1])).status_code == 403
    assert Goal.objects.count() == 0


# ----------------------------------------------------------------------------------- G4


def test_g4_request_closure_with_reason(client, goal, sss, admin):
    client.force_login(sss)
    url = reverse("goals:request_closure", args=[goal.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert _errors(response, "reason")
    assert GoalClosureRequest.objects.count() == 0
    response = client.post(url, {"reason": "All TA activities complete."})
    assert response.status_code == 302
    request = GoalClosureRequest.objects.get()
    assert (request.goal, request.requested_by, request.status) == (
        goal,
        sss,
        GoalClosureRequest.Status.PENDING,
    )
    assert Notification.objects.filter(recipient=admin).exists()


def test_g4_admin_close_refused_with_list_of_open_activities(client, goal, admin, closure_request):
    activity = TAActivityFactory(strategic_area=goal.strategic_areas.get())
    client.force_login(admin)
    url = reverse("goals:close", args=[goal.pk])
    html = client.get(url).content.decode()
    assert activity.record_number in html  # warned before trying
    response = client.post(
        url, {"note": "Closing.", "closure_request": closure_request.pk, "version": goal.version}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The goal was not closed" in html
    assert reverse("activities:detail", args=[activity.pk]) in html
    goal.refresh_from_db()
    assert goal.is_open
    closure_request.refresh_from_db()
    assert closure_request.status == GoalClosureRequest.Status.PENDING
    assert goal.notes.count() == 0


def test_g4_admin_close_needs_the_note(client, goal, admin):
    client.force_login(admin)
    response = client.post(reverse("goals:close", args=[goal.pk]), {"note": ""})
    assert response.status_code == 200
    assert _errors(response, "note")
    goal.refresh_from_db()
    assert goal.is_open


def test_g4_admin_closes_goal_after_activities_closed(client, goal, admin, closure_request):
    TAActivityFactory(
        strategic_area=goal.strategic_areas.get(),
        completion_status=CompletionStatus.CLOSED,
        completion_date=timezone.localdate(),
        outcome_report="Done.",
    )
    client.force_login(admin)
    response = client.post(
        reverse("goals:close", args=[goal.pk]),
        {
            "note": "All TA activities complete. No further TA requested.",
            "closure_request": closure_request.pk,
            "version": goal.version,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert not goal.is_open
    assert goal.closed_by == admin
    assert goal.notes.get().kind == GoalNote.Kind.COMPLETION
    closure_request.refresh_from_db()
    assert closure_request.status == GoalClosureRequest.Status.APPROVED
    queue = client.get(reverse("goals:closure_queue")).content.decode()
    assert "No closure requests are waiting." in queue


def test_g4_admin_declines_request_with_reason(client, goal, admin, sss, closure_request):
    client.force_login(admin)
    url = reverse("goals:decline_closure", args=[closure_request.pk])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert _errors(response, "note")
    response = client.post(url, {"note": "Two activities are still being delivered."})
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:closure_queue")
    closure_request.refresh_from_db()
    assert closure_request.status == GoalClosureRequest.Status.DECLINED
    assert Notification.objects.filter(recipient=sss, message__contains="Declined").exists()


def test_g4_admin_reopens_closed_goal(client, closed_goal, admin):
    client.force_login(admin)
    response = client.post(
        reverse("goals:reopen", args=[closed_goal.pk]),
        {"reason": "State resumed the work.", "version": closed_goal.version},
    )
    assert response.status_code == 302
    closed_goal.refresh_from_db()
    assert closed_goal.is_open


# ----------------------------------------------------------------------------------- C1


def test_c1_conflict_keeps_typed_values_shows_their_changes_and_their_version(
    client, goal, sss, admin
):
    opened_version = goal.version
    services.goal_update(
        actor=admin, goal=goal, expected_version=opened_version, readiness=Readiness.LEAST
    )
    client.force_login(sss)
    mine = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "version": str(opened_version),
            "start_date": mine,
            "readiness": Readiness.MOST,
            "category": str(goal.category_id),
            "related_category": "",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this goal while you were editing" in html
    # What changed since the version they opened, and by whom (core.history.changes_since).
    [entry] = response.context["changes"]
    assert entry.who == admin
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Readiness to implement", "Somewhat ready", "Least ready")
    ]
    assert admin.full_name in html
    assert "“Somewhat ready” → “Least ready”" in html
    form = response.context["form"]
    assert form["start_date"].value() == mine  # what they typed is kept
    assert form["readiness"].value() == Readiness.MOST
    assert form["version"].value() == "2"  # saving again is a deliberate overwrite
    assert "Use their version" in html
    assert f'href="{reverse("goals:edit", args=[goal.pk])}"' in html
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.LEAST, 2)  # theirs stands

    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {**_edit_data(goal), "start_date": mine, "readiness": Readiness.MOST},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.readiness == Readiness.MOST


def test_c1_strategic_area_notes_conflict_shows_theirs_and_keeps_mine(client, goal, sss, admin):
    area = goal.strategic_areas.get()
    services.strategic_area_update_notes(
        actor=admin, strategic_area=area, notes="Admin's wording.", expected_version=area.version
    )
    client.force_login(sss)
    response = client.post(
        reverse("goals:edit_strategic_area", args=[area.pk]),
        {"notes": "My wording.", "version": "1"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Admin&#x27;s wording." in html
    assert "My wording." in html
    assert response.context["form"]["version"].value() == "2"
    area.refresh_from_db()
    assert area.notes == "Admin's wording."


# ---------------------------------------------------------------------------------- AU1


def test_au1_history_shows_who_when_and_old_to_new(client, goal, sss, admin, items):
    services.goal_update(
        actor=admin, goal=goal, expected_version=goal.version, readiness=Readiness.MOST
    )
    services.strategic_area_add(actor=sss, goal=goal, item=items[1], notes="Study.")
    client.force_login(sss)
    response = client.get(reverse("goals:history", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada Admin" in html and "Sam Specialist" in html
    assert '<th scope="row">Readiness to implement</th>' in html
    assert "Somewhat ready" in html and "Most ready" in html
    assert "Evaluating program quality" in html
    assert timezone.localdate().strftime("%m/%d/%Y") in html


def test_goal_detail_query_count_does_not_grow_with_activities(
    client, goal, sss, django_assert_max_num_queries
):
    client.force_login(sss)
    url = reverse("goals:detail", args=[goal.pk])
    area = goal.strategic_areas.get()
    TAActivityFactory(strategic_area=area)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        TAActivityFactory(strategic_area=area)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_g2_staff_who_may_not_edit_the_existing_goal_is_not_offered_to_add_to_it(
    client, goal, staff, items
):
    client.force_login(staff)
    response = client.post(_create_url(), _create_data(goal.category, items[1:2]))
    html = response.content.decode()
    assert "already has an open goal in this category" in html
    assert "Add these strategic areas to the existing goal" not in html
    assert "State Systems Specialist to add the strategic areas" in html
    assert "Create a second goal anyway" in html
    response = client.post(
        _create_url(), _create_data(goal.category, items[1:2], add_to_goal=str(goal.pk))
    )
    assert response.status_code == 403
    assert goal.strategic_areas.count() == 1


def test_g2_changing_category_to_one_with_an_open_goal_needs_confirmation(
    client, goal, sss, state, other_category, other_items
):
    other_goal = services.goal_create(
        actor=sss,
        jurisdiction=state,
        category=other_category,
        readiness=Readiness.LEAST,
        strategic_areas=[other_items[0]],
    )
    client.force_login(sss)
    url = reverse("goals:edit", args=[goal.pk])
    data = _edit_data(
        goal, category=str(other_category.pk), strategic_areas=[str(other_items[1].pk)]
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [other_goal]
    assert "Save with the new category anyway" in response.content.decode()
    response = client.post(url, {**data, "action": "create_second"})
    assert _errors(response, "confirm_second_goal") == [CONFIRM_SECOND_GOAL_REQUIRED]
    goal.refresh_from_db()
    assert goal.category_id != other_category.pk
    response = client.post(url, {**data, "action": "create_second", "confirm_second_goal": "on"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.category == other_category

"""Goals service layer: rules G1–G4, AU1 (history of goal changes) and C1 (conflicts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from activities.models import CompletionStatus
from core.concurrency import ConflictError
from core.models import Notification, StatusChange
from core.status import status_changes_for
from goals import selectors, services
from goals.models import Goal, GoalClosureRequest, GoalNote, Readiness, StrategicArea
from tests.factories import (
    AdminFactory,
    GoalCategoryFactory,
    SSSFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def other_items(other_category):
    return [StrategicAreaItemFactory(category=other_category, name="Workforce credentials")]


@pytest.fixture
def ta_staff():
    return UserFactory(full_name="Tara Staff")


def _create(actor, state, category, items, **kwargs):
    values = {
        "actor": actor,
        "jurisdiction": state,
        "category": category,
        "readiness": Readiness.SOMEWHAT,
        "strategic_areas": [items[0]],
    }
    values.update(kwargs)
    return services.goal_create(**values)


@pytest.fixture
def goal(sss, state, category, items):
    return _create(sss, state, category, items, strategic_areas=[items[0], items[1]])


def _assert_nothing_saved():
    assert Goal.objects.count() == 0
    assert StrategicArea.objects.count() == 0
    assert GoalNote.objects.count() == 0
    assert Notification.objects.count() == 0


# ------------------------------------------------------------------------------- G1


def test_g1_goal_created_with_every_field(admin, state, category, other_category, items):
    start = TODAY() - dt.timedelta(days=30)
    goal = services.goal_create(
        actor=admin,
        jurisdiction=state,
        category=category,
        related_category=other_category,
        readiness=Readiness.MOST,
        start_date=start,
        start_date_is_approximate=True,
        strategic_areas=[(items[0], "  Revise QRIS standards. "), items[2]],
        update_note="Goal agreed with the State in the planning meeting.",
    )
    goal.refresh_from_db()
    assert goal.jurisdiction == state
    assert goal.category == category
    assert goal.related_category == other_category
    assert goal.readiness == Readiness.MOST
    assert goal.start_date == start
    assert goal.start_date_is_approximate is True
    assert goal.status == Goal.Status.OPEN
    assert goal.created_by == admin
    assert goal.version == 1
    areas = {sa.item: sa.notes for sa in goal.strategic_areas.all()}
    assert areas == {items[0]: "Revise QRIS standards.", items[2]: ""}
    note = goal.notes.get()
    assert note.kind == GoalNote.Kind.UPDATE
    assert note.author == admin
    assert note.note_date == TODAY()


def test_g1_start_date_defaults_to_today(sss, state, category, items):
    goal = _create(sss, state, category, items)
    assert goal.start_date == TODAY()
    assert goal.start_date_is_approximate is False


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("bad_readiness", "readiness", "least ready"),
        ("no_category", "category", "Choose a goal category"),
        ("inactive_category", "category", "no longer offered"),
        ("related_same", "related_category", "must differ"),
        ("related_inactive", "related_category", "no longer offered"),
        ("no_strategic_area", "strategic_areas", "at least one strategic area"),
        ("item_of_other_category", "strategic_areas", "“Workforce credentials” is not"),
        ("inactive_item", "strategic_areas", "“Tiered QRIS” is no longer offered"),
        ("duplicate_item", "strategic_areas", "“Tiered QRIS” is listed more than once"),
        ("start_too_far_ahead", "start_date", "more than a year in the future"),
        ("start_absurdly_early", "start_date", "cannot be before"),
        ("start_not_a_date", "start_date", "valid date"),
    ],
)
def test_g1_each_invalid_field_refused_naming_it(
    case, field, words, sss, state, category, other_category, items, other_items
):
    kwargs = {}
    chosen_category = category
    if case == "bad_readiness":
        kwargs["readiness"] = "very"
    elif case == "no_category":
        chosen_category = None
    elif case == "inactive_category":
        category.active = False
        category.save()
    elif case == "related_same":
        kwargs["related_category"] = category
    elif case == "related_inactive":
        other_category.active = False
        other_category.save()
        kwargs["related_category"] = other_category
    elif case == "no_strategic_area":
        kwargs["strategic_areas"] = []
    elif case == "item_of_other_category":
        kwargs["strategic_areas"] = [items[0], other_items[0]]
    elif case == "inactive_item":
        items[0].active = False
        items[0].save()
    elif case == "duplicate_item":
        kwargs["strategic_areas"] = [items[0], (items[0], "again")]
    elif case == "start_too_far_ahead":
        kwargs["start_date"] = TODAY() + dt.timedelta(days=400)
    elif case == "start_absurdly_early":
        kwargs["start_date"] = dt.date(1900, 1, 1)
    elif case == "start_not_a_date":
        kwargs["start_date"] = "yesterday"

    with pytest.raises(ValidationError) as error:
        _create(sss, state, chosen_category, items, **kwargs)

    assert field in error.value.message_dict
    assert any(words in message for message in error.value.message_dict[field])
    _assert_nothing_saved()


def test_g1_start_date_within_a_year_accepted(sss, state, category, items):
    start = TODAY() + dt.timedelta(days=300)
    assert _create(sss, state, category, items, start_date=start).start_date == start


def test_g1_strategic_area_add_takes_only_active_unused_items_of_the_category(
    sss, goal, items, other_items
):
    items[2].active = False
    items[2].save()
    for item, words in [
        (other_items[0], "is not a strategic area"),
        (items[2], "no longer offered"),
        (items[0], "already has"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.strategic_area_add(actor=sss, goal=goal, item=item)
        assert words in error.value.message_dict["item"][0]
    assert goal.strategic_areas.count() == 2

    items[2].active = True
    items[2].save()
    added = services.strategic_area_add(actor=sss, goal=goal, item=items[2], notes="Accredit")
    assert added.goal == goal
    assert added.notes == "Accredit"
    assert goal.strategic_areas.count() == 3


def test_g1_strategic_area_notes_updated(sss, goal):
    area = goal.strategic_areas.first()
    updated = services.strategic_area_update_notes(
        actor=sss, strategic_area=area, notes="Focus on infants", expected_version=area.version
    )
    assert updated.notes == "Focus on infants"
    assert updated.version == area.version + 1


def test_g1_strategic_area_removed_only_without_activities(sss, goal):
    with_activity, without = list(goal.strategic_areas.all())
    activity = TAActivityFactory(strategic_area=with_activity)

    with pytest.raises(ValidationError) as error:
        services.strategic_area_remove(actor=sss, strategic_area=with_activity)
    assert "1 TA activities" in error.value.message_dict["strategic_area"][0]

    services.strategic_area_remove(actor=sss, strategic_area=without)
    assert list(goal.strategic_areas.all()) == [with_activity]
    assert activity.strategic_area_id == with_activity.pk


def test_g1_last_strategic_area_cannot_be_removed(sss, state, category, items):
    goal = _create(sss, state, category, items)
    only = goal.strategic_areas.get()
    with pytest.raises(ValidationError) as error:
        services.strategic_area_remove(actor=sss, strategic_area=only)
    assert "at least one strategic area" in error.value.message_dict["strategic_area"][0]
    assert goal.strategic_areas.count() == 1


def test_g1_goal_update_changes_fields(sss, goal, other_category):
    start = TODAY() - dt.timedelta(days=10)
    updated = services.goal_update(
        actor=sss,
        goal=goal,
        expected_version=goal.version,
        readiness=Readiness.LEAST,
        start_date=start,
        start_date_is_approximate=True,
        related_category=other_category,
    )
    updated.refresh_from_db()
    assert updated.readiness == Readiness.LEAST
    assert updated.start_date == start
    assert updated.start_date_is_approximate is True
    assert updated.related_category == other_category
    assert updated.version == 2


def test_g1_goal_update_refuses_invalid_fields(sss, goal, category):
    for fields, field in [
        ({"readiness": "eager"}, "readiness"),
        ({"related_category": category}, "related_category"),
        ({"start_date": TODAY() + dt.timedelta(days=800)}, "start_date"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.goal_update(actor=sss, goal=goal, expected_version=1, **fields)
        assert field in error.value.message_dict
    goal.refresh_from_db()
    assert goal.version == 1
    assert goal.readiness == Readiness.SOMEWHAT
    assert goal.related_category is None


def test_g1_goal_update_rejects_unknown_field(sss, goal):
    with pytest.raises(TypeError):
        services.goal_update(actor=sss, goal=goal, expected_version=1, status="closed")
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


def test_g1_strategic_areas_change_with_goal_update_only_with_a_new_category(sss, goal, items):
    with pytest.raises(TypeError):
        services.goal_update(actor=sss, goal=goal, expected_version=1, strategic_areas=[items[2]])
    assert goal.strategic_areas.count() == 2


def test_g1_category_changes_only_without_activities(sss, goal, other_category, other_items):
    TAActivityFactory(strategic_area=goal.strategic_areas.first())
    with pytest.raises(ValidationError) as error:
        services.goal_update(
            actor=sss,
            goal=goal,
            expected_version=1,
            category=other_category,
            strategic_areas=other_items,
        )
    assert "cannot change once TA activities" in error.value.message_dict["category"][0]
    goal.refresh_from_db()
    assert goal.category_id != other_category.pk
    assert goal.strategic_areas.count() == 2


def test_g1_category_change_replaces_strategic_areas(sss, goal, category, other_category):
    new_item = StrategicAreaItemFactory(category=other_category, name="Credentials")
    with pytest.raises(ValidationError) as error:
        services.goal_update(actor=sss, goal=goal, expected_version=1, category=other_category)
    assert "strategic_areas" in error.value.message_dict

    updated = services.goal_update(
        actor=sss,
        goal=goal,
        expected_version=1,
        category=other_category,
        strategic_areas=[(new_item, "notes")],
    )
    assert updated.category == other_category
    assert [(sa.item, sa.notes) for sa in updated.strategic_areas.all()] == [(new_item, "notes")]


def test_g1_goal_notes_are_dated_with_author(sss, goal):
    day = TODAY() - dt.timedelta(days=3)
    note = services.goal_note_add(
        actor=sss, goal=goal, text=" State narrowed the goal. ", note_date=day
    )
    assert (note.text, note.note_date, note.author, note.kind) == (
        "State narrowed the goal.",
        day,
        sss,
        GoalNote.Kind.UPDATE,
    )
    assert services.goal_note_add(actor=sss, goal=goal, text="Today").note_date == TODAY()


def test_g1_goal_note_refuses_empty_text_future_date_and_completion_kind(sss, goal):
    cases = [
        ({"text": "  "}, "text"),
        ({"text": "x", "note_date": TODAY() + dt.timedelta(days=1)}, "note_date"),
        ({"text": "x", "kind": GoalNote.Kind.COMPLETION}, "kind"),
        ({"text": "x", "kind": "rumour"}, "kind"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            services.goal_note_add(actor=sss, goal=goal, **kwargs)
        assert field in error.value.message_dict
    assert goal.notes.count() == 0


def test_g1_goal_note_changed_only_by_author_or_admin(sss, admin, state, goal):
    note = services.goal_note_add(actor=sss, goal=goal, text="First wording")
    colleague = SSSFactory(jurisdictions=[state])
    with pytest.raises(PermissionDenied):
        services.goal_note_update(
            actor=colleague, note=note, text="Rewritten", note_date=TODAY(), expected_version=1
        )
    note.refresh_from_db()
    assert note.text == "First wording"

    note = services.goal_note_update(
        actor=sss, note=note, text="Second wording", note_date=TODAY(), expected_version=1
    )
    note = services.goal_note_update(
        actor=admin, note=note, text="Admin wording", note_date=TODAY(), expected_version=2
    )
    note.refresh_from_db()
    assert (note.text, note.version) == ("Admin wording", 3)


# ------------------------------------------------------------------------------- G2


def test_g2_duplicate_category_raises_with_existing_goal(ta_staff, goal, state, category, items):
    with pytest.raises(services.DuplicateGoalCategory) as error:
        _create(ta_staff, state, category, items, strategic_areas=[items[2]])
    assert isinstance(error.value, ValidationError)
    assert error.value.existing_goals == [goal]
    assert "already has an open goal" in error.value.message_dict["category"][0]
    assert Goal.objects.count() == 1
    assert StrategicArea.objects.count() == 2
    assert Notification.objects.count() == 0


def test_g2_confirmed_duplicate_creates_second_goal(sss, goal, state, category, items):
    second = _create(sss, state, category, items, confirm_duplicate_category=True)
    assert second.pk != goal.pk
    assert list(selectors.open_goals_in_category(state, category)) == [goal, second]


def test_g2_existing_goal_offered_for_new_strategic_area(sss, goal, state, category, items):
    with pytest.raises(services.DuplicateGoalCategory) as error:
        _create(sss, state, category, items, strategic_areas=[items[2]])
    existing = error.value.existing_goals[0]
    services.strategic_area_add(actor=sss, goal=existing, item=items[2])
    assert existing.strategic_areas.count() == 3


def test_g2_closed_goal_or_other_state_is_no_duplicate(
    admin, sss, goal, state, other_state, category, items
):
    other_sss_goal = _create(admin, other_state, category, items)
    assert other_sss_goal.jurisdiction == other_state
    services.goal_close(actor=admin, goal=goal, note="All TA complete.")
    again = _create(sss, state, category, items)
    assert again.is_open


def test_g2_category_change_into_open_category_needs_confirmation(
    sss, goal, state, other_category, other_items
):
    other = _create(sss, state, other_category, other_items)
    new_item = StrategicAreaItemFactory(category=GoalCategoryFactory(number=1))
    third = _create(sss, state, new_item.category, [new_item])
    with pytest.raises(services.DuplicateGoalCategory) as error:
        services.goal_update(
            actor=sss,
            goal=third,
            expected_version=1,
            category=other_category,
            strategic_areas=other_items,
        )
    assert error.value.existing_goals == [other]
    moved = services.goal_update(
        actor=sss,
        goal=third,
        expected_version=1,
        category=other_category,
        strategic_areas=other_items,
        confirm_duplicate_category=True,
    )
    assert moved.category == other_category


# ------------------------------------------------------------------------------- G3


def test_g3_sss_creates_goal_for_assigned_state_without_notice(
    sss, state, category, items, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        goal = _create(sss, state, category, items)
    assert goal.created_by == sss
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_g3_admin_creates_goal_and_sss_notified(
    admin, sss, state, category, items, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        goal = _create(admin, state, category, items)
    assert goal.created_by == admin
    assert Notification.objects.get().recipient == sss
    assert [m.to for m in mailoutbox] == [[sss.email]]


def test_g3_ta_staff_creates_goal_and_sss_notified_and_emailed(
    ta_staff, sss, other_sss, state, category, items, mailoutbox, django_capture_on_commit_callbacks
):
    second_sss = SSSFactory(full_name="Second Specialist", jurisdictions=[state])
    with django_capture_on_commit_callbacks(execute=True):
        goal = _create(ta_staff, state, category, items)

    notices = Notification.objects.order_by("recipient__full_name")
    assert [n.recipient for n in notices] == [sss, second_sss]
    for notice in notices:
        assert "Tara Staff added a goal for Kansas" in notice.message
        assert str(category) in notice.message
        assert f"goal #{goal.pk}" in notice.message
    assert sorted(m.to[0] for m in mailoutbox) == sorted([sss.email, second_sss.email])
    mail = mailoutbox[0]
    assert "Kansas" in mail.subject
    assert str(category) in mail.body
    assert "Strategic areas: Tiered QRIS." in mail.body
    assert other_sss.email not in [m.to[0] for m in mailoutbox]


def test_g3_no_mail_when_creation_is_refused(
    ta_staff, sss, goal, state, category, items, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _create(ta_staff, state, category, items)
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_g3_federal_viewer_refused(viewer, state, category, items):
    with pytest.raises(PermissionDenied):
        _create(viewer, state, category, items)
    _assert_nothing_saved()


def test_g3_sss_of_another_state_may_create_but_not_edit(other_sss, sss, state, category, items):
    goal = _create(other_sss, state, category, items)
    assert Notification.objects.get().recipient == sss

    with pytest.raises(PermissionDenied):
        services.goal_update(
            actor=other_sss, goal=goal, expected_version=1, readiness=Readiness.MOST
        )
    with pytest.raises(PermissionDenied):
        services.strategic_area_add(actor=other_sss, goal=goal, item=items[1])
    with pytest.raises(PermissionDenied):
        services.goal_note_add(actor=other_sss, goal=goal, text="A note")
    with pytest.raises(PermissionDenied):
        services.goal_request_closure(actor=other_sss, goal=goal, reason="Done")
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.SOMEWHAT, 1)
    assert goal.strategic_areas.count() == 1
    assert goal.notes.count() == 0
    assert goal.closure_requests.count() == 0


def test_g3_ta_staff_creator_may_not_edit(ta_staff, state, category, items):
    goal = _create(ta_staff, state, category, items)
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=ta_staff, goal=goal, expected_version=1, readiness="most")


def test_g3_sss_and_admin_edit(sss, admin, goal):
    goal = services.goal_update(actor=sss, goal=goal, expected_version=1, readiness="most")
    goal = services.goal_update(actor=admin, goal=goal, expected_version=2, readiness="least")
    assert (goal.readiness, goal.version) == ("least", 3)


def test_g3_closed_goal_is_read_only_except_for_admins(sss, admin, goal, items):
    services.goal_close(actor=admin, goal=goal, note="Complete.")
    goal.refresh_from_db()
    version = goal.version
    area = goal.strategic_areas.first()
    refusals = [
        lambda: services.goal_update(
            actor=sss, goal=goal, expected_version=version, readiness="most"
        ),
        lambda: services.strategic_area_add(actor=sss, goal=goal, item=items[2]),
        lambda: services.strategic_area_update_notes(
            actor=sss, strategic_area=area, notes="x", expected_version=area.version
        ),
        lambda: services.goal_note_add(actor=sss, goal=goal, text="After closing"),
    ]
    for attempt in refusals:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "closed" in error.value.message_dict[NON_FIELD_ERRORS][0]
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.SOMEWHAT, version)
    assert goal.notes.count() == 1  # the completion note only

    fixed = services.goal_update(actor=admin, goal=goal, expected_version=version, readiness="most")
    assert fixed.readiness == Readiness.MOST
    assert fixed.status == Goal.Status.CLOSED


# ------------------------------------------------------------------------------- G4


def test_g4_request_closure_needs_a_reason(sss, goal):
    with pytest.raises(ValidationError) as error:
        services.goal_request_closure(actor=sss, goal=goal, reason="   ")
    assert "reason" in error.value.message_dict
    assert GoalClosureRequest.objects.count() == 0


def test_g4_request_closure_waits_for_admins(sss, admin, goal):
    other_admin = AdminFactory()
    request = services.goal_request_closure(actor=sss, goal=goal, reason="State met the goal.")
    assert (request.status, request.requested_by, request.reason) == (
        GoalClosureRequest.Status.PENDING,
        sss,
        "State met the goal.",
    )
    assert sorted(n.recipient.pk for n in Notification.objects.all()) == sorted(
        [admin.pk, other_admin.pk]
    )
    assert list(selectors.pending_closure_requests()) == [request]
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


def test_g4_only_one_pending_request_per_goal(sss, admin, goal):
    first = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    with pytest.raises(ValidationError) as error:
        services.goal_request_closure(actor=admin, goal=goal, reason="Done too")
    assert "already requested by Sam Specialist" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert GoalClosureRequest.objects.count() == 1

    services.goal_closure_decline(actor=admin, request=first, note="Activities still running.")
    second = services.goal_request_closure(actor=sss, goal=goal, reason="Now done")
    assert second.status == GoalClosureRequest.Status.PENDING


def test_g4_request_closure_only_by_editors_of_open_goals(ta_staff, viewer, admin, sss, goal):
    for outsider in (ta_staff, viewer):
        with pytest.raises(PermissionDenied):
            services.goal_request_closure(actor=outsider, goal=goal, reason="Done")
    services.goal_close(actor=admin, goal=goal, note="Done.")
    with pytest.raises(ValidationError) as error:
        services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    assert "already closed" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert GoalClosureRequest.objects.count() == 0


def test_g4_non_admin_close_refused(sss, ta_staff, viewer, goal):
    for person in (sss, ta_staff, viewer):
        with pytest.raises(PermissionDenied):
            services.goal_close(actor=person, goal=goal, note="Done.")
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.notes.count() == 0
    assert StatusChange.objects.count() == 0


def test_g4_close_refused_while_activities_open_listing_them(admin, goal):
    first_area, second_area = list(goal.strategic_areas.all())
    open_one = TAActivityFactory(strategic_area=first_area)
    open_two = TAActivityFactory(strategic_area=second_area)
    TAActivityFactory(
        strategic_area=first_area,
        completion_status=CompletionStatus.CLOSED,
        completion_date=TODAY(),
    )

    with pytest.raises(services.OpenActivitiesRemain) as error:
        services.goal_close(actor=admin, goal=goal, note="All done.")

    assert error.value.open_activities == [open_one, open_two]
    message = error.value.message_dict[NON_FIELD_ERRORS][0]
    for activity in (open_one, open_two):
        assert activity.record_number in message
        assert activity.title in message
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.closed_at is None
    assert goal.notes.count() == 0
    assert StatusChange.objects.count() == 0


def test_g4_close_with_activities_closed_or_cancelled(admin, sss, goal):
    area = goal.strategic_areas.first()
    TAActivityFactory(
        strategic_area=area, completion_status=CompletionStatus.CLOSED, completion_date=TODAY()
    )
    TAActivityFactory(strategic_area=area, completion_status=CompletionStatus.CANCELLED)
    request = services.goal_request_closure(actor=sss, goal=goal, reason="All TA complete.")

    closed = services.goal_close(
        actor=admin, goal=goal, note="MM/DD/YY – all TA activities complete."
    )

    closed.refresh_from_db()
    assert closed.status == Goal.Status.CLOSED
    assert closed.closed_by == admin
    assert closed.closed_at is not None
    assert closed.version == 2
    completion = closed.notes.get()
    assert completion.kind == GoalNote.Kind.COMPLETION
    assert completion.text == "MM/DD/YY – all TA activities complete."
    assert completion.author == admin
    change = status_changes_for(closed).get()
    assert (change.from_value, change.to_value, change.actor) == ("open", "closed", admin)
    assert change.reason == completion.text
    request.refresh_from_db()
    assert request.status == GoalClosureRequest.Status.APPROVED
    assert request.decided_by == admin
    assert status_changes_for(request).get().to_value == "approved"
    assert Notification.objects.filter(recipient=sss, message__contains="Goal closed").exists()
    assert list(selectors.pending_closure_requests()) == []


def test_g4_close_needs_note(admin, goal):
    with pytest.raises(ValidationError) as error:
        services.goal_close(actor=admin, goal=goal, note="  ")
    assert "note" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.notes.count() == 0


def test_g4_close_checks_the_given_request(admin, sss, goal, other_state, category, items):
    other_goal = _create(admin, other_state, category, items)
    other_request = services.goal_request_closure(actor=admin, goal=other_goal, reason="Done")
    with pytest.raises(ValidationError) as error:
        services.goal_close(actor=admin, goal=goal, note="Done.", closure_request=other_request)
    assert "closure_request" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.is_open

    request = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    services.goal_close(actor=admin, goal=goal, note="Done.", closure_request=request)
    request.refresh_from_db()
    assert request.status == GoalClosureRequest.Status.APPROVED


def test_g4_closed_goal_cannot_be_closed_again(admin, goal):
    services.goal_close(actor=admin, goal=goal, note="Done.")
    with pytest.raises(ValidationError) as error:
        services.goal_close(actor=admin, goal=goal, note="Again.")
    assert "already closed" in error.value.message_dict[NON_FIELD_ERRORS][0]
    assert StatusChange.objects.count() == 1


def test_g4_admin_declines_request_with_note(admin, sss, goal):
    request = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    with pytest.raises(PermissionDenied):
        services.goal_closure_decline(actor=sss, request=request, note="No")
    with pytest.raises(ValidationError) as error:
        services.goal_closure_decline(actor=admin, request=request, note="")
    assert "note" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == GoalClosureRequest.Status.PENDING

    declined = services.goal_closure_decline(
        actor=admin, request=request, note="Two activities are still open."
    )
    assert (declined.status, declined.decided_by) == (GoalClosureRequest.Status.DECLINED, admin)
    assert declined.decision_note == "Two activities are still open."
    change = status_changes_for(declined).get()
    assert (change.from_value, change.to_value) == ("pending", "declined")
    assert Notification.objects.filter(recipient=sss, message__contains="Declined").exists()
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    with pytest.raises(ValidationError):
        services.goal_closure_decline(actor=admin, request=request, note="Again")


def test_g4_admin_reopens_goal_with_reason(admin, sss, goal):
    services.goal_close(actor=admin, goal=goal, note="Done.")
    with pytest.raises(PermissionDenied):
        services.goal_reopen(actor=sss, goal=goal, reason="More TA")
    with pytest.raises(ValidationError) as error:
        services.goal_reopen(actor=admin, goal=goal, reason=" ")
    assert "reason" in error.value.message_dict

    reopened = services.goal_reopen(actor=admin, goal=goal, reason="State asked for more TA.")
    reopened.refresh_from_db()
    assert reopened.status == Goal.Status.OPEN
    assert reopened.closed_at is None
    assert reopened.closed_by is None
    changes = list(status_changes_for(reopened))
    assert [(c.from_value, c.to_value) for c in changes] == [("open", "closed"), ("closed", "open")]
    assert changes[1].reason == "State asked for more TA."
    assert reopened.notes.filter(text__contains="State asked for more TA.").exists()
    with pytest.raises(ValidationError):
        services.goal_reopen(actor=admin, goal=goal, reason="Again")


# ------------------------------------------------------------------------------ AU1


def test_au1_goal_history_names_who_what_when(sss, admin, goal, other_category):
    before = timezone.now()
    services.goal_update(
        actor=sss,
        goal=goal,
        expected_version=1,
        readiness=Readiness.MOST,
        related_category=other_category,
    )
    services.goal_close(actor=admin, goal=goal, note="All TA complete.")

    entries = selectors.goal_history(goal)

    goal_entries = [e for e in entries if e.object_type == "Goal"]
    assert [e.action for e in goal_entries] == ["changed", "changed", "created"]
    closing, editing, creating = goal_entries
    assert closing.who == admin
    assert ("Status", "Open", "Closed") in closing.changes
    assert closing.reason == "Goal closed"
    assert editing.who == sss
    assert editing.when >= before
    assert ("Readiness to implement", "Somewhat ready", "Most ready") in editing.changes
    assert ("Related goal category", "—", str(other_category)) in editing.changes
    assert creating.who == sss
    assert ("Jurisdiction", "", "Kansas") in creating.changes
    note_entry = next(e for e in entries if e.object_type == "Goal note")
    assert (note_entry.who, note_entry.action) == (admin, "created")
    assert ("Text", "", "All TA complete.") in note_entry.changes


def test_au1_strategic_area_removal_and_note_correction_in_history(sss, goal):
    area = goal.strategic_areas.last()
    services.strategic_area_remove(actor=sss, strategic_area=area)
    note = services.goal_note_add(actor=sss, goal=goal, text="Frist wording")
    services.goal_note_update(
        actor=sss, note=note, text="First wording", note_date=note.note_date, expected_version=1
    )

    entries = selectors.goal_history(goal)

    removed = next(e for e in entries if e.action == "deleted")
    assert (removed.object_type, removed.object_label, removed.who) == (
        "Strategic area",
        area.item.name,
        sss,
    )
    corrected = next(e for e in entries if e.object_type == "Goal note" and e.action == "changed")
    assert corrected.changes == [("Text", "Frist wording", "First wording")]
    assert corrected.who == sss


# ------------------------------------------------------------------------------- C1


def test_c1_stale_goal_update_refused_then_fresh_succeeds(sss, admin, goal):
    services.goal_update(actor=admin, goal=goal, expected_version=1, readiness=Readiness.MOST)

    with pytest.raises(ConflictError) as error:
        services.goal_update(actor=sss, goal=goal, expected_version=1, readiness=Readiness.LEAST)
    assert error.value.current.readiness == Readiness.MOST
    assert "version" in error.value.message_dict
    goal.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.MOST, 2)

    saved = services.goal_update(
        actor=sss, goal=goal, expected_version=2, readiness=Readiness.LEAST
    )
    assert (saved.readiness, saved.version) == (Readiness.LEAST, 3)


def test_c1_stale_strategic_area_notes_refused(sss, admin, goal):
    area = goal.strategic_areas.first()
    services.strategic_area_update_notes(
        actor=admin, strategic_area=area, notes="Admin's notes", expected_version=1
    )
    with pytest.raises(ConflictError):
        services.strategic_area_update_notes(
            actor=sss, strategic_area=area, notes="Mine", expected_version=1
        )
    area.refresh_from_db()
    assert (area.notes, area.version) == ("Admin's notes", 2)
    services.strategic_area_update_notes(
        actor=sss, strategic_area=area, notes="Mine", expected_version=2
    )
    area.refresh_from_db()
    assert area.notes == "Mine"


def test_c1_stale_note_update_refused(sss, admin, goal):
    note = services.goal_note_add(actor=sss, goal=goal, text="Original")
    services.goal_note_update(
        actor=admin, note=note, text="By admin", note_date=TODAY(), expected_version=1
    )
    with pytest.raises(ConflictError):
        services.goal_note_update(
            actor=sss, note=note, text="By author", note_date=TODAY(), expected_version=1
        )
    note.refresh_from_db()
    assert note.text == "By admin"


def test_c1_close_with_stale_version_refused(sss, admin, goal):
    services.goal_update(actor=sss, goal=goal, expected_version=1, readiness=Readiness.MOST)
    with pytest.raises(ConflictError):
        services.goal_close(actor=admin, goal=goal, note="Done.", expected_version=1)
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN
    assert goal.notes.count() == 0


# ------------------------------------------------------------------------- selectors


def test_h2_goals_for_jurisdiction_in_fixed_queries(
    admin, state, category, other_category, items, other_items, django_assert_num_queries
):
    _create(admin, state, category, items, strategic_areas=items)
    _create(admin, state, other_category, other_items, related_category=category)
    closed = _create(admin, state, category, items, confirm_duplicate_category=True)
    services.goal_close(actor=admin, goal=closed, note="Done.")

    with django_assert_num_queries(2):
        goals = list(selectors.goals_for_jurisdiction(state))
        rows = [
            (
                g.category.number,
                g.status,
                g.related_category,
                [sa.item.name for sa in g.strategic_areas.all()],
            )
            for g in goals
        ]
    assert [row[:2] for row in rows] == [(6, "open"), (7, "open"), (7, "closed")]
    assert rows[0][2] == category
    assert rows[1][3] == [item.name for item in items]


def test_h2_goal_with_details_loads_everything(sss, admin, goal, django_assert_max_num_queries):
    TAActivityFactory(strategic_area=goal.strategic_areas.first())
    services.goal_note_add(actor=sss, goal=goal, text="Update")
    services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    with django_assert_max_num_queries(5):
        loaded = selectors.goal_with_details(goal.pk)
        _ = [
            loaded.jurisdiction.region,
            loaded.category,
            loaded.created_by,
            [sa.item.name for sa in loaded.strategic_areas.all()],
            [n.author.full_name for n in loaded.notes.all()],
            [r.requested_by.full_name for r in loaded.closure_requests.all()],
            [(a.title, a.primary_staff.full_name) for a in loaded.activities.all()],
        ]
    with pytest.raises(Goal.DoesNotExist):
        selectors.goal_with_details(goal.pk + 1000)


# ----------------------------------------------------------------------------- admin


def test_au1_goal_admin_pages_show_goal_inlines_and_history(client, admin, sss, goal):
    admin.is_superuser = True
    admin.save()
    services.goal_note_add(actor=sss, goal=goal, text="An update")
    request = services.goal_request_closure(actor=sss, goal=goal, reason="Done")
    client.force_login(admin)

    pages = [
        "/admin/goals/goal/",
        f"/admin/goals/goal/{goal.pk}/change/",
        f"/admin/goals/goal/{goal.pk}/history/",
        "/admin/goals/goalclosurerequest/",
        f"/admin/goals/goalclosurerequest/{request.pk}/change/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    change_page = client.get(f"/admin/goals/goal/{goal.pk}/change/").content.decode()
    assert "An update" in change_page
    assert "Tiered QRIS" in change_page
    # Goals are added through goal_create; closure decisions through the services.
    assert client.get("/admin/goals/goal/add/").status_code == 403
    assert client.get("/admin/goals/goalclosurerequest/add/").status_code == 403


def test_c1_admin_correction_bumps_versions_and_names_the_admin(client, admin, sss, goal):
    admin.is_superuser = True
    admin.save()
    note = services.goal_note_add(actor=sss, goal=goal, text="Typo here")
    areas = list(goal.strategic_areas.all())
    client.force_login(admin)
    data = {
        "jurisdiction": goal.jurisdiction_id,
        "category": goal.category_id,
        "related_category": "",
        "readiness": Readiness.MOST,
        "start_date": goal.start_date.isoformat(),
        "strategic_areas-TOTAL_FORMS": len(areas),
        "strategic_areas-INITIAL_FORMS": len(areas),
        "notes-TOTAL_FORMS": 1,
        "notes-INITIAL_FORMS": 1,
    }
    for i, area in enumerate(areas):
        data |= {
            f"strategic_areas-{i}-id": area.pk,
            f"strategic_areas-{i}-goal": goal.pk,
            f"strategic_areas-{i}-item": area.item_id,
            f"strategic_areas-{i}-notes": area.notes,
        }
    data |= {
        "notes-0-id": note.pk,
        "notes-0-goal": goal.pk,
        "notes-0-note_date": note.note_date.isoformat(),
        "notes-0-kind": note.kind,
        "notes-0-text": "Typo fixed",
    }

    response = client.post(f"/admin/goals/goal/{goal.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    note.refresh_from_db()
    assert (goal.readiness, goal.version) == (Readiness.MOST, 2)
    assert (note.text, note.version, note.author) == ("Typo fixed", 2, sss)
    assert goal.history.first().history_user == admin
    assert note.history.first().history_user == admin
    with pytest.raises(ConflictError):
        services.goal_update(actor=sss, goal=goal, expected_version=1, readiness="least")


def test_g3_notification_links_to_the_new_goal(db):
    from core.models import Notification
    from goals.services import goal_create
    from tests.factories import (
        GoalCategoryFactory,
        JurisdictionFactory,
        SSSFactory,
        StrategicAreaItemFactory,
        UserFactory,
    )

    jurisdiction = JurisdictionFactory()
    specialist = SSSFactory(jurisdictions=[jurisdiction])
    category = GoalCategoryFactory()
    item = StrategicAreaItemFactory(category=category)
    goal = goal_create(
        actor=UserFactory(),
        jurisdiction=jurisdiction,
        category=category,
        readiness="most",
        strategic_areas=[item],
    )
    note = Notification.objects.get(recipient=specialist)
    assert note.link == goal.get_absolute_url() == f"/goals/{goal.pk}/"

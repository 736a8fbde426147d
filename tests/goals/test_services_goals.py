"""Goals service layer, the goal itself: creating and editing a goal, its strategic areas and
its notes (G1), one open goal per category unless confirmed (G2), and who may create and
edit a goal, with the State's SSS told of goals others add (G3). Closure (G4) is in
test_services_closure.py; history, conflicts and selectors in test_services_history.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from core.models import Notification
from goals import selectors, services
from goals.models import Goal, GoalNote, Readiness, StrategicArea
from tests.factories import (
    GoalCategoryFactory,
    SSSFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
)
from tests.goals.helpers import TODAY, _assert_nothing_saved, _create

pytestmark = pytest.mark.django_db


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

"""The data commands: `generate_data` (bulk benchmark data) and `seed_demo` (demo data)."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from activities.models import (
    ActivityStatus,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.businessdays import is_late_entry, summary_due_date
from core.models import StatusChange
from demo.management.commands.generate_data import Command as GenerateData
from goals.models import Goal, GoalClosureRequest, GoalNote, StrategicArea
from reference.models import GoalCategory, Jurisdiction
from tests.factories import UserFactory

NOTE_MODELS = (DescriptionNote, DeliverySummary, RequesterFeedback, ResponseNote)


def _generate(n: int, **options) -> str:
    out = io.StringIO()
    call_command("generate_data", activities=n, stdout=out, **options)
    return out.getvalue()


def _note_count() -> int:
    return sum(model.objects.count() for model in NOTE_MODELS)


# ----------------------------------------------------------------------- generate_data


@pytest.fixture
def generated(reference_data):
    started = time.monotonic()
    output = _generate(200, seed=7, batch=80)
    return output, time.monotonic() - started


@pytest.mark.django_db
def test_generate_data_creates_expected_counts_quickly(generated):
    output, seconds = generated
    assert TAActivity.objects.count() == 200
    # About ten notes per activity.
    assert 1600 <= _note_count() <= 2400
    on_demand = TAActivity.objects.on_demand().count()
    assert 10 <= on_demand <= 60  # about 15%
    assert TAActivity.objects.goal_driven().filter(strategic_area__isnull=False).count() == (
        200 - on_demand
    )
    # Goals spread over all 56 jurisdictions and all categories, open and closed.
    assert Goal.objects.values("jurisdiction").distinct().count() == Jurisdiction.objects.count()
    assert Goal.objects.values("category").distinct().count() == GoalCategory.objects.count()
    assert set(Goal.objects.values_list("status", flat=True)) == set(Goal.Status.values)
    assert StrategicArea.objects.exists() and GoalNote.objects.exists()
    assert Requester.objects.exists()
    # Every completion status and activity status, years from 2016 to now.
    assert set(TAActivity.objects.values_list("completion_status", flat=True)) == set(
        CompletionStatus.values
    )
    assert set(TAActivity.objects.values_list("status", flat=True)) == set(ActivityStatus.values)
    years = {d.year for d in TAActivity.objects.values_list("date_opened", flat=True)}
    assert min(years) <= 2017 and max(years) >= timezone.localdate().year - 1
    # Collaboration rows and summary methods/types through the many-to-many tables.
    assert TAActivity.collaborating_centers.through.objects.exists()
    assert TAActivity.requesters.through.objects.count() >= 200
    assert DeliverySummary.delivery_methods.through.objects.exists()
    assert DeliverySummary.ta_types.through.objects.exists()
    assert "200/200 activities" in output and "elapsed" in output
    assert seconds < 30


@pytest.mark.django_db
def test_generate_data_at_most_one_current_final_plan_per_activity(generated):
    finals = (
        DescriptionNote.objects.filter(stage=PlanStage.FINAL)
        .values("activity")
        .annotate(n=Count("id"))
    )
    assert not [row for row in finals if row["n"] > 1]
    assert DescriptionNote.objects.filter(stage=PlanStage.ARCHIVED_FINAL).exists()
    # A9: tracking data only where a final plan was approved; A12: cancelled has no summary.
    with_summaries = TAActivity.objects.filter(summaries__isnull=False).distinct()
    assert not with_summaries.exclude(description_notes__stage=PlanStage.FINAL).exists()
    assert not with_summaries.exclude(
        status__in=[ActivityStatus.APPROVED, ActivityStatus.ON_HOLD]
    ).exists()
    assert not with_summaries.filter(completion_status=CompletionStatus.CANCELLED).exists()
    closed = TAActivity.objects.filter(completion_status=CompletionStatus.CLOSED)
    assert not closed.filter(outcome_report="").exists()
    assert not closed.filter(completion_date__isnull=True).exists()
    # G4: a closed goal has no open activity.
    assert not TAActivity.objects.open().filter(goal__status=Goal.Status.CLOSED).exists()


@pytest.mark.django_db
def test_generate_data_due_dates_and_late_flags_follow_the_rules(generated):
    summaries = list(DeliverySummary.objects.all())
    assert summaries
    for summary in summaries:
        assert summary.due_date == summary_due_date(summary.note_date)  # A10
        assert summary.is_late == (timezone.localdate(summary.created_at) > summary.due_date)
    assert any(s.is_late for s in summaries) and not all(s.is_late for s in summaries)
    for activity in TAActivity.objects.all():  # A2
        entered = timezone.localdate(activity.created_at)
        assert activity.is_late_entry == is_late_entry(activity.date_opened, entered)
    today = timezone.localdate()
    for model in NOTE_MODELS:
        assert not model.objects.filter(note_date__gt=today).exists()
        # Entered over the years, not all at the moment of generation.
        assert model.objects.filter(created_at__date__lt=today).exists()


@pytest.mark.django_db
def test_generate_data_bypasses_history_and_says_so(generated):
    assert "bypasses" in GenerateData.help.lower() and "history" in GenerateData.help
    assert TAActivity.history.count() == 0
    assert DeliverySummary.history.count() == 0


@pytest.mark.django_db
def test_generate_data_texts_vary_enough_for_full_text_search(generated):
    texts = list(ResponseNote.objects.values_list("text", flat=True))
    assert len(set(texts)) > 0.9 * len(texts)
    matching = [t for t in texts if "redetermination" in t.lower()]
    assert 0 < len(matching) < 0.2 * len(texts)


@pytest.mark.django_db
def test_generate_data_loads_reference_data_when_empty_and_rebuilds_search_index():
    assert not Jurisdiction.objects.exists()
    output = _generate(20, seed=1)
    assert Jurisdiction.objects.count() == 56
    assert TAActivity.objects.count() == 20
    if "rebuild_search_index" in get_commands():
        assert "search index rebuilt" in output


@pytest.mark.django_db
def test_generate_data_twice_appends_without_clashes(reference_data):
    _generate(30, seed=1)
    _generate(30, seed=1)
    assert TAActivity.objects.count() == 60
    assert User.objects.count() == User.objects.values("email").distinct().count()


@pytest.mark.django_db
def test_generate_data_refuses_a_bad_count(reference_data):
    with pytest.raises(CommandError, match="at least 1"):
        _generate(0)
    assert not TAActivity.objects.exists()


# --------------------------------------------------------------------------- seed_demo

DEMO_COUNTED = (
    User,
    Requester,
    Goal,
    StrategicArea,
    GoalNote,
    GoalClosureRequest,
    TAActivity,
    *NOTE_MODELS,
    StatusChange,
)
PASSWORD_LINE = re.compile(r"^\s+(\S+@demo\.tat\.example)\s+(\S+)\s+\S", re.M)


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DEMO_COUNTED}


def _signs_in(client, email: str, password: str) -> bool:
    return client.login(request=HttpRequest(), username=email, password=password)


@pytest.fixture
def demo_settings(settings, reference_data):
    settings.DEBUG = True
    return settings


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_passwords_only_the_first_time(demo_settings, client):
    first = _seed()
    counts = _counts()
    second = _seed()
    assert _counts() == counts
    assert counts["TAActivity"] >= 10 and counts["Goal"] >= 5

    passwords = dict(PASSWORD_LINE.findall(first))
    assert len(passwords) == User.objects.count() == 8
    for password in passwords.values():
        assert password not in second
    assert "--reset-passwords" in second and "--password" in second
    assert "admin@demo.tat.example" in second
    # Stored only hashed, and the printed one signs in.
    admin = User.objects.get(email="admin@demo.tat.example")
    assert passwords[admin.email] not in admin.password
    assert _signs_in(client, admin.email, passwords[admin.email])


@pytest.mark.django_db
def test_seed_demo_every_role_stage_and_note_kind_present(demo_settings):
    _seed()
    for role in ("is_tat_admin", "is_sss", "is_center_lead", "is_ta_staff", "is_federal_viewer"):
        assert User.objects.filter(**{role: True}).exists(), role
    assert User.objects.filter(is_ta_staff=True).values("center").distinct().count() >= 3
    sss = User.objects.filter(is_sss=True)
    assert sss.count() == 2
    assert sss.filter(sss_jurisdictions__code="GU").exists()
    assert sss.filter(sss_jurisdictions__region__number=4).exists()

    activities = TAActivity.objects.all()
    assert set(activities.values_list("completion_status", flat=True)) == set(
        CompletionStatus.values
    )
    assert set(activities.values_list("status", flat=True)) == set(ActivityStatus.values)
    assert activities.on_demand().exists()
    assert activities.filter(focus__is_other=True).exists()
    assert activities.filter(is_late_entry=True).count() == 1
    assert DeliverySummary.objects.filter(is_late=True).count() == 1
    assert set(DescriptionNote.objects.values_list("stage", flat=True)) == set(PlanStage.values)
    assert RequesterFeedback.objects.exists() and ResponseNote.objects.exists()
    assert GoalNote.objects.filter(kind=GoalNote.Kind.COMPLETION).exists()
    assert GoalNote.objects.filter(kind=GoalNote.Kind.UPDATE).exists()
    assert Goal.objects.closed().exists() and Goal.objects.open().exists()
    assert GoalClosureRequest.objects.filter(status=GoalClosureRequest.Status.PENDING).exists()
    closed = activities.get(completion_status=CompletionStatus.CLOSED, jurisdiction__code="FL")
    assert closed.outcome_report and closed.completion_date
    # Made through the services: history names the person, status changes are recorded.
    assert TAActivity.history.filter(history_user__isnull=False).count() >= activities.count()
    assert StatusChange.objects.filter(field="completion_status").exists()
    approved = activities.filter(status=ActivityStatus.APPROVED).first()
    assert approved.approved_by.is_federal_viewer and approved.approved_at
    # Dates are relative to today: records span the past months up to now.
    today = timezone.localdate()
    assert (today - activities.order_by("-date_opened")[0].date_opened).days < 14
    assert not DeliverySummary.objects.filter(note_date__gt=today).exists()


@pytest.mark.django_db
def test_seed_demo_password_option_sets_a_usable_password(demo_settings, client):
    output = _seed("--password", "local demo password")
    assert "local demo password" not in output
    assert not PASSWORD_LINE.search(output.split("Created demo people")[-1].split("Set")[-1])
    for email in ("staff.scbc@demo.tat.example", "federal@demo.tat.example"):
        assert _signs_in(client, email, "local demo password")


@pytest.mark.django_db
def test_seed_demo_reset_passwords_prints_new_working_ones(demo_settings, client):
    first = dict(PASSWORD_LINE.findall(_seed()))
    reset = _seed("--reset-passwords")
    new = dict(PASSWORD_LINE.findall(reset))
    email = "lead.ecqa@demo.tat.example"
    assert new[email] != first[email]
    assert _signs_in(client, email, new[email])
    assert not _signs_in(client, email, first[email])


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings, reference_data):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        _seed()
    assert not User.objects.exists()
    assert not TAActivity.objects.exists()


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_with_non_demo_data(demo_settings):
    UserFactory(email="real.person@agency.example")
    with pytest.raises(CommandError, match="not demo data"):
        _seed()
    assert User.objects.count() == 1
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_seed_demo_force_runs_with_debug_off(settings, reference_data):
    settings.DEBUG = False
    _seed("--force")
    assert TAActivity.objects.exists()

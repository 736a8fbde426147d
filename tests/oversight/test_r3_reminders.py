"""R3: `manage.py send_reminders` — what is due when (federal holidays included), who hears
of it, idempotence, dry run, preferences, the e-mails' two parts and their absolute links,
and a constant number of queries per kind.

Dates are real: Veterans Day (11/11/2026) and Thanksgiving (11/26/2026) in November,
Christmas (12/25/2026) in December, New Year's Day (Friday 01/01/2027) in January.
Response notes are written straight to the table with the dates the tests need (the
services refuse dates in the future of the real clock); the activities themselves go
through the services (`tests.factories_activities`).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import DeliverySummary, ResponseNote, TAActivity
from core.businessdays import summary_due_date
from core.models import (
    Notification,
    NotificationPreference,
    ReminderFrequency,
    ReminderKind,
    SentReminder,
)
from goals.models import GoalClosureRequest
from oversight.models import ReviewMark, SendBack
from oversight.reminders import (
    COLLECTORS,
    closure_request_reminders,
    plan_reminders,
    review_due,
    review_reminders,
    send_back_reminders,
    send_planned,
    summary_reminders,
)
from tests.factories import AdminFactory
from tests.factories_activities import World, create_activity, make_trackable

pytestmark = pytest.mark.django_db

SITE = "https://tat.example.gov"
D = dt.date


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _note(activity: TAActivity, day: dt.date, author=None) -> ResponseNote:
    return ResponseNote.objects.create(
        activity=activity,
        note_date=day,
        text="Called the State lead about QRIS standards.",
        author=author or activity.primary_staff,
    )


def _summary(activity: TAActivity, day: dt.date) -> DeliverySummary:
    return DeliverySummary.objects.create(
        activity=activity,
        note_date=day,
        text="State received a remote consultation.",
        author=activity.primary_staff,
    )


def _trackable(world: World, **overrides) -> TAActivity:
    return make_trackable(world, create_activity(world, **overrides))


def _run(today: dt.date, *args: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def _prefer(person, kind: str, frequency: str) -> None:
    NotificationPreference.objects.update_or_create(
        person=person, kind=kind, defaults={"frequency": frequency}
    )


# --- what is due when ---------------------------------------------------------------------


def test_r3_due_dates_skip_veterans_day_thanksgiving_and_christmas():
    # 10 business days after Thu 11/12/2026: Thanksgiving 11/26 is skipped -> Fri 11/27.
    assert summary_due_date(D(2026, 11, 12)) == D(2026, 11, 27)
    # after Mon 11/16 the 10th business day (12/01) is past the month's end -> 11/30.
    assert summary_due_date(D(2026, 11, 16)) == D(2026, 11, 30)
    # after Mon 12/14: Christmas 12/25 is skipped -> Tue 12/29.
    assert summary_due_date(D(2026, 12, 14)) == D(2026, 12, 29)


def test_r3_summary_coming_due_within_three_business_days_counts_thanksgiving(world):
    activity = _trackable(world)
    _note(activity, D(2026, 11, 12))  # summary due Fri 11/27
    # Fri 11/20: the next 3 business days end Wed 11/25 -> not yet.
    assert summary_reminders(today=D(2026, 11, 20)) == []
    # Mon 11/23: 11/24, 11/25, (Thanksgiving skipped) 11/27 -> due within 3 business days.
    (reminder,) = summary_reminders(today=D(2026, 11, 23))
    assert reminder.recipient_id == world.primary.pk
    assert reminder.kind == ReminderKind.SUMMARY_DUE
    assert "is due 11/27/2026" in reminder.message
    assert activity.record_number in reminder.message
    assert reminder.link == f"/activities/{activity.pk}/tracking/"


def test_r3_summary_overdue_after_its_due_date_and_in_the_next_month(world):
    activity = _trackable(world)
    _note(activity, D(2026, 11, 12))
    (overdue,) = summary_reminders(today=D(2026, 11, 30))
    assert overdue.message.startswith("Overdue:")
    assert "was due 11/27/2026" in overdue.message
    # Still overdue in December (the previous month is looked at) ...
    assert len(summary_reminders(today=D(2026, 12, 3))) == 1
    # ... and two months later it is the monthly review's business, no longer a reminder.
    assert summary_reminders(today=D(2027, 1, 4)) == []


def test_r3_christmas_and_new_year(world):
    december = _trackable(world)
    _note(december, D(2026, 12, 14))  # due Tue 12/29 (Christmas skipped)
    assert summary_reminders(today=D(2026, 12, 22)) == []  # 12/23, 12/24, 12/28
    assert len(summary_reminders(today=D(2026, 12, 23))) == 1  # 12/24, 12/28, 12/29
    late = _trackable(world)
    _note(late, D(2026, 12, 30))  # due 12/31, the month's last day
    # Mon 01/04/2027 (after New Year's Day): both December summaries are overdue.
    reminders = summary_reminders(today=D(2027, 1, 4))
    assert {r.key.split(":")[1] for r in reminders} == {str(december.pk), str(late.pk)}
    assert all(r.message.startswith("Overdue:") for r in reminders)


def test_r3_no_summary_reminder_when_summarised_not_approved_or_closed(world):
    summarised = _trackable(world)
    _note(summarised, D(2026, 11, 12))
    _summary(summarised, D(2026, 11, 20))  # a summary dated in the month: nothing due
    planning = create_activity(world)  # not approved, no final plan: no tracking (A9)
    _note(planning, D(2026, 11, 12))
    assert summary_reminders(today=D(2026, 11, 30)) == []


def test_r3_review_reminder_starts_after_the_fifth_business_day():
    # January 2027: New Year's Day (Fri 01/01) is a holiday; business days 4, 5, 6, 7, 8.
    assert not review_due(D(2027, 1, 8))
    assert review_due(D(2027, 1, 11))
    # December 2026: 1, 2, 3, 4, 7 -> from Tue 12/08.
    assert not review_due(D(2026, 12, 7))
    assert review_due(D(2026, 12, 8))


def test_r3_sss_hears_of_last_months_unreviewed_activities(world):
    first, second = _trackable(world), _trackable(world)
    for activity in (first, second):
        _summary(activity, D(2026, 11, 10))
    assert review_reminders(today=D(2026, 12, 7)) == []  # not after the 5th business day
    (reminder,) = review_reminders(today=D(2026, 12, 8))
    assert reminder.recipient_id == world.sss.pk
    assert reminder.message.startswith("2 activities of November 2026 are not reviewed yet")
    assert "Georgia (2)" in reminder.message
    assert reminder.link == "/review/?month=2026-11&status=not_reviewed"
    ReviewMark.objects.create(activity=first, month=D(2026, 11, 1), reviewed_by=world.sss)
    (reminder,) = review_reminders(today=D(2026, 12, 8))
    assert reminder.message.startswith("1 activity of November 2026 is not reviewed yet")
    ReviewMark.objects.create(activity=second, month=D(2026, 11, 1), reviewed_by=world.sss)
    assert review_reminders(today=D(2026, 12, 8)) == []


def test_r3_open_send_back_reminds_its_primary_staff(world):
    activity = _trackable(world)
    send_back = SendBack.objects.create(
        activity=activity,
        month=D(2026, 11, 1),
        about=SendBack.About.SUMMARY,
        comment="Name the center instead of the person.",
        sent_by=world.sss,
        sent_at=timezone.now() - dt.timedelta(days=2),
    )
    today = timezone.localdate()
    (reminder,) = send_back_reminders(today=today)
    assert reminder.recipient_id == world.primary.pk
    assert "Name the center instead of the person." in reminder.message
    send_back.status = SendBack.Status.ADDRESSED
    send_back.save()
    assert send_back_reminders(today=today) == []


def test_r3_pending_closure_requests_remind_every_admin(world):
    second_admin = AdminFactory(full_name="Abe Admin")
    GoalClosureRequest.objects.create(
        goal=world.goal, reason="All activities are closed.", requested_by=world.sss
    )
    reminders = closure_request_reminders(today=timezone.localdate())
    assert {r.recipient_id for r in reminders} == {world.admin.pk, second_admin.pk}
    assert all(r.link == "/goals/closure-requests/" for r in reminders)
    GoalClosureRequest.objects.update(status=GoalClosureRequest.Status.DECLINED)
    assert closure_request_reminders(today=timezone.localdate()) == []


# --- the command: idempotence, dry run, preferences, e-mails ------------------------------


@pytest.fixture
def two_due(world: World) -> list[TAActivity]:
    """Two of world.primary's activities with summaries overdue on Mon 11/30/2026."""
    activities = [_trackable(world), _trackable(world)]
    for activity in activities:
        _note(activity, D(2026, 11, 12))
    return activities


def test_r3_running_twice_on_one_day_sends_nothing_twice(world, two_due):
    out = _run(D(2026, 11, 30))
    assert len(mail.outbox) == 1  # the default is a daily digest
    assert "Summaries of TA delivered coming due or overdue: 2 found, 2 to send" in out
    assert SentReminder.objects.count() == 2
    assert Notification.objects.filter(recipient=world.primary).count() == 2
    out = _run(D(2026, 11, 30))
    assert len(mail.outbox) == 1
    assert "2 found, 0 to send, 2 already sent" in out
    assert "Sent 0 e-mails" in out
    assert SentReminder.objects.count() == 2
    assert Notification.objects.filter(recipient=world.primary).count() == 2


def test_r3_dry_run_lists_and_records_nothing(world, two_due):
    out = _run(D(2026, 11, 30), "--dry-run")
    assert f"would send to {world.primary.email}" in out
    assert "Dry run for 2026-11-30: 1 e-mails, 2 reminders would be sent" in out
    assert mail.outbox == []
    assert not SentReminder.objects.exists()
    assert not Notification.objects.exists()


def test_r3_progress_line_per_kind(world, two_due):
    out = _run(D(2026, 11, 30), "--dry-run")
    for kind in ReminderKind:
        assert f"{kind.label}: " in out


def test_r3_bad_today_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "2026-02-30")


def test_r3_preference_off_sends_neither_email_nor_notification(world, two_due):
    _prefer(world.primary, ReminderKind.SUMMARY_DUE, ReminderFrequency.OFF)
    out = _run(D(2026, 11, 30))
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not SentReminder.objects.exists()
    assert "2 off" in out


def test_r3_preference_immediately_sends_one_email_per_reminder(world, two_due):
    _prefer(world.primary, ReminderKind.SUMMARY_DUE, ReminderFrequency.IMMEDIATELY)
    _run(D(2026, 11, 30))
    assert len(mail.outbox) == 2
    assert all(message.subject.startswith("[TAT] Overdue:") for message in mail.outbox)


def test_r3_daily_digest_gathers_every_kind_in_one_email(world, two_due):
    SendBack.objects.create(
        activity=two_due[0],
        month=D(2026, 11, 1),
        about=SendBack.About.SUMMARY,
        comment="Add the delivery method.",
        sent_by=world.sss,
        sent_at=timezone.make_aware(dt.datetime(2026, 11, 25, 10)),
    )
    _run(D(2026, 11, 30))
    (message,) = [m for m in mail.outbox if m.to == [world.primary.email]]
    assert message.subject == "[TAT] Your reminders: 3 items"
    assert "Activities sent back to you" in message.body
    assert "Summaries of TA delivered coming due or overdue" in message.body


def test_r3_weekly_digest_waits_for_monday(world):
    activity = _trackable(world)
    _note(activity, D(2026, 11, 12))
    _prefer(world.primary, ReminderKind.SUMMARY_DUE, ReminderFrequency.WEEKLY)
    out = _run(D(2026, 11, 28))  # a Saturday: held, not recorded
    assert mail.outbox == []
    assert not SentReminder.objects.exists()
    assert "1 held for the weekly digest" in out
    _run(D(2026, 11, 30))  # Monday
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[TAT] Your reminders: 1 item"


def test_r3_email_has_text_and_html_parts_with_absolute_links(world, two_due):
    _run(D(2026, 11, 30))
    (message,) = mail.outbox
    assert message.to == [world.primary.email]
    link = f"{SITE}/activities/{two_due[0].pk}/tracking/"
    assert link in message.body
    assert f"{SITE}/notifications/preferences/" in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert f'href="{SITE}/notifications/"' in html
    assert "was due 11/27/2026" in html and "was due 11/27/2026" in message.body


def test_r3_notification_links_stay_site_paths(world, two_due):
    _run(D(2026, 11, 30))
    links = set(Notification.objects.values_list("link", flat=True))
    assert links == {f"/activities/{a.pk}/tracking/" for a in two_due}


# --- constant number of queries per kind --------------------------------------------------


def _build(world: World, count: int) -> None:
    for _ in range(count):
        activity = _trackable(world)
        _note(activity, D(2026, 11, 12))
        _summary(activity, D(2026, 11, 3))  # review rows of November ...
        DeliverySummary.objects.filter(activity=activity).delete()  # ... but missing
        _summary(activity, D(2026, 10, 20))
        SendBack.objects.create(
            activity=activity,
            month=D(2026, 11, 1),
            about=SendBack.About.DETAILS,
            comment="Check the dates.",
            sent_by=world.sss,
            sent_at=timezone.make_aware(dt.datetime(2026, 11, 20, 9)),
        )
        GoalClosureRequest.objects.filter(goal=world.goal).delete()
    GoalClosureRequest.objects.create(goal=world.goal, reason="Done.", requested_by=world.sss)


def _queries_per_kind(today: dt.date) -> dict[str, int]:
    counts = {}
    for kind, collect in COLLECTORS.items():
        with CaptureQueriesContext(connection) as captured:
            found = collect(today=today)
        assert found, kind  # each kind has something to find at both sizes
        counts[kind] = len(captured.captured_queries)
    return counts


def test_r3_queries_per_kind_do_not_grow_with_the_data(world, django_assert_max_num_queries):
    today = D(2026, 12, 8)  # after December's 5th business day: every kind has work
    _build(world, 2)
    small = _queries_per_kind(today)
    with django_assert_max_num_queries(16):
        small_run = plan_reminders(today=today)
    _build(world, 6)
    large = _queries_per_kind(today)
    assert large == small
    assert all(count <= 2 for count in large.values()), large
    with django_assert_max_num_queries(16):
        large_run = plan_reminders(today=today)
    assert len(large_run.to_record) > len(small_run.to_record)


def test_r3_sending_a_run_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    today = D(2026, 12, 8)
    _build(world, 5)
    run = plan_reminders(today=today)
    assert len(run.to_record) >= 10
    # savepoint, reminders INSERT, notifications INSERT, release (whatever the count)
    with django_assert_max_num_queries(6):
        send_planned(run)

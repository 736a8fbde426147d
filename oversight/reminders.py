"""Reminders (R3): what `manage.py send_reminders` tells whom, by e-mail and in-app.

Four kinds (`core.models.ReminderKind`), each collected with a fixed number of set-based
queries whatever the size of the data:

Summaries coming due or overdue (primary staff)
    A summary of TA delivered is due within 10 business days of delivery or by the last day
    of that month, whichever comes first (A10). A summary that exists was written, so the
    reminder is about summaries that do *not* exist yet. The data cannot know of TA nobody
    wrote down; as on the monthly review (R1, `oversight.selectors`), an activity *awaits a
    summary for a month* when it is open, approved and has a current final plan (tracking
    available, A9) and a TA response note is dated in that month but no summary is. The
    earliest such note is taken as the delivery date, so the summary is due on
    `summary_due_date(earliest note)` (never later than the month's last day: the home
    page's "next summary due", `TAActivity.next_summary_due`, is the same rule applied to
    today). The primary staff person is reminded when that date falls within the next
    `REMINDER_DUE_SOON_BUSINESS_DAYS` business days (coming due) or has passed (overdue).
    Only the current and the previous month are looked at: older gaps are the monthly
    review's business, so nobody is nagged forever about a year-old month. The rows come
    from `summaries_awaited`, which the TA staff's home also reads (issue 10), so the page
    and the e-mail agree.

Last month's review (SSS)
    After the 5th business day of a month, each State Systems Specialist hears how many of
    last month's review rows (R1) in their States and Territories are not reviewed yet.

Send-backs (primary staff)
    Each send-back still open a day after it was sent reminds its activity's primary staff.

Goal closure requests (administrators)
    Each pending closure request (G4) reminds every active administrator.

Idempotence: each reminder has a key naming what it is about and the ISO week it belongs
to; `core.models.SentReminder` is unique on (kind, recipient, key). So running the
command twice on one day sends nothing twice, and an item still outstanding is reminded at
most once a week (a summary coming due, then again once it is overdue).

Preferences (`core.models.NotificationPreference`, default daily digest): the command runs
once a day, so *immediately* means one e-mail per reminder at the next run; *daily digest*
gathers a person's reminders of every kind into one e-mail per day; *weekly digest* holds
them for Monday's digest (not recorded as sent until then); *off* sends neither e-mail nor
in-app notification. Every reminder sent also becomes an in-app notification.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from activities.models import (
    CompletionStatus,
    DeliverySummary,
    ResponseNote,
)
from core.businessdays import add_business_days, is_business_day, summary_due_date
from core.models import (
    DEFAULT_REMINDER_FREQUENCY,
    NotificationPreference,
    ReminderFrequency,
    ReminderKind,
    SentReminder,
)
from core.notifications import notifications_send_many
from goals.models import GoalClosureRequest
from oversight.models import SendBack
from oversight.selectors import (
    EVERY_JURISDICTION,
    STATUS_NOT_REVIEWED,
    last_full_month,
    month_bounds,
    unreviewed_per_jurisdiction,
)

REMINDER_DUE_SOON_BUSINESS_DAYS = 3
REVIEW_AFTER_BUSINESS_DAYS = 5
WEEKLY_DIGEST_WEEKDAY = 0  # Monday

KIND_ORDER = [
    ReminderKind.SUMMARY_DUE,
    ReminderKind.SEND_BACK,
    ReminderKind.MONTHLY_REVIEW,
    ReminderKind.CLOSURE_REQUEST,
]


@dataclass(frozen=True)
class Reminder:
    """One thing to tell one person (R3)."""

    kind: str
    recipient_id: int
    key: str
    message: str
    link: str  # a path on this site; e-mails make it absolute with SITE_URL


@dataclass
class KindReport:
    """The progress line of one kind: what was found and what happens to it."""

    kind: str
    found: int = 0
    already_sent: int = 0
    off: int = 0
    held_for_weekly: int = 0
    to_send: int = 0

    @property
    def label(self) -> str:
        return ReminderKind(self.kind).label

    def line(self) -> str:
        return (
            f"{self.label}: {self.found} found, {self.to_send} to send, "
            f"{self.already_sent} already sent, {self.held_for_weekly} held for the weekly "
            f"digest, {self.off} off"
        )


@dataclass
class OutgoingEmail:
    """One e-mail of a run: a single reminder (immediately) or a digest."""

    recipient: User
    reminders: list[Reminder]
    digest: bool

    @property
    def subject(self) -> str:
        if not self.digest:
            return f"[TAT] {_shorten(self.reminders[0].message, 120)}"
        count = len(self.reminders)
        return f"[TAT] Your reminders: {count} item{'s' if count != 1 else ''}"


@dataclass
class ReminderRun:
    """What one run found and will send (or, in a dry run, would send)."""

    today: dt.date
    reports: list[KindReport] = field(default_factory=list)
    emails: list[OutgoingEmail] = field(default_factory=list)
    to_record: list[Reminder] = field(default_factory=list)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def period_of(today: dt.date) -> str:
    """The ISO week a reminder belongs to, e.g. `2026-W48`."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def _record_number(pk: int) -> str:
    return f"TA-{pk:06d}"


def _activity_title(focus_name: str, is_other: bool, other_notes: str) -> str:
    """`TAActivity.title` from values (A1): the TA focus, or "Other: …" with its notes."""
    if is_other and other_notes:
        return f"Other: {other_notes[:80]}"
    return focus_name


# --- the kinds ---------------------------------------------------------------------------


def _latest_note_date_due_by(horizon: dt.date) -> dt.date:
    """The latest delivery date whose summary is due on or before `horizon` (A10).

    `summary_due_date` never decreases as the delivery date moves later, so "due by
    `horizon`" is "delivered on or before this date", which the database can filter on.
    """
    day = horizon
    while summary_due_date(day) > horizon:
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class AwaitedSummary:
    """A summary of TA delivered that does not exist yet and is due soon or overdue (A10)."""

    activity_id: int
    primary_staff_id: int
    title: str
    jurisdiction_name: str
    month: dt.date  # first day of the delivery month
    first_note: dt.date  # the earliest TA response note of that month: the delivery date
    due: dt.date
    overdue: bool

    @property
    def record_number(self) -> str:
        return _record_number(self.activity_id)


def summaries_awaited(
    *, today: dt.date, primary_staff_id: int | None = None
) -> list[AwaitedSummary]:
    """Summaries coming due within `REMINDER_DUE_SOON_BUSINESS_DAYS` business days, or
    overdue (A10, R3; the module docstring says which), of every activity or of one primary
    staff person's (the home page, issue 10). Two queries: one per month looked at."""
    horizon = add_business_days(today, REMINDER_DUE_SOON_BUSINESS_DAYS)
    latest_note = min(_latest_note_date_due_by(horizon), today)
    awaited: list[AwaitedSummary] = []
    for month in (last_full_month(today), today.replace(day=1)):
        first, last = month_bounds(month)
        until = min(last, latest_note)
        if until < first:
            continue
        notes = ResponseNote.objects.filter(
            note_date__gte=first,
            note_date__lte=min(last, today),
            activity__is_tracking_available=True,  # A9: approved, current final plan
            activity__completion_status=CompletionStatus.OPEN,
        )
        if primary_staff_id is not None:
            notes = notes.filter(activity__primary_staff_id=primary_staff_id)
        rows = (
            notes.exclude(
                Exists(
                    DeliverySummary.objects.filter(
                        activity=OuterRef("activity_id"), note_date__gte=first, note_date__lte=last
                    )
                )
            )
            .order_by()
            .values(
                "activity_id",
                "activity__primary_staff_id",
                "activity__focus__name",
                "activity__focus__is_other",
                "activity__other_focus_notes",
                "activity__jurisdiction__name",
            )
            .annotate(first_note=Min("note_date"))
            .filter(first_note__lte=until)
        )
        for row in rows:
            due = summary_due_date(row["first_note"])
            awaited.append(
                AwaitedSummary(
                    activity_id=row["activity_id"],
                    primary_staff_id=row["activity__primary_staff_id"],
                    title=_activity_title(
                        row["activity__focus__name"],
                        row["activity__focus__is_other"],
                        row["activity__other_focus_notes"],
                    ),
                    jurisdiction_name=row["activity__jurisdiction__name"],
                    month=first,
                    first_note=row["first_note"],
                    due=due,
                    overdue=due < today,
                )
            )
    return awaited


def summary_reminders(*, today: dt.date) -> list[Reminder]:
    """Primary staff: summaries coming due within 3 business days, or overdue (A10, R3).

    Two queries: one per month looked at (the previous one and the current one).
    """
    period = period_of(today)
    reminders: list[Reminder] = []
    for item in summaries_awaited(today=today):
        first, due, overdue = item.month, item.due, item.overdue
        stage = "overdue" if overdue else "due"
        when = f"was due {due:%m/%d/%Y}" if overdue else f"is due {due:%m/%d/%Y}"
        reminders.append(
            Reminder(
                kind=ReminderKind.SUMMARY_DUE,
                recipient_id=item.primary_staff_id,
                key=f"activity:{item.activity_id}:{first:%Y-%m}:{stage}:{period}",
                message=(
                    f"{'Overdue: the' if overdue else 'The'} summary of TA delivered in "
                    f"{first:%B %Y} for {item.record_number} · {item.title} "
                    f"({item.jurisdiction_name}) {when}: a TA response note is dated "
                    f"{item.first_note:%m/%d/%Y} and no summary is entered for that month."
                ),
                link=reverse("activities:tracking", args=[item.activity_id]),
            )
        )
    return reminders


def review_due(today: dt.date) -> bool:
    """R3: SSSs are reminded of last month's review after the month's 5th business day."""
    first = today.replace(day=1)
    count = 0
    day = first
    while day < today:
        if is_business_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count >= REVIEW_AFTER_BUSINESS_DAYS


def review_reminders(*, today: dt.date) -> list[Reminder]:
    """SSSs: last month's review rows (R1) not reviewed yet, after the 5th business day.

    Two queries: the unreviewed rows counted per jurisdiction, and who is the SSS of each.
    """
    if not review_due(today):
        return []
    month = last_full_month(today)
    counts = unreviewed_per_jurisdiction(month=month, scope=EVERY_JURISDICTION)
    if not counts:
        return []
    assignments = User.sss_jurisdictions.through.objects.filter(
        jurisdiction_id__in=list(counts), user__is_sss=True, user__is_active=True
    ).values_list("user_id", "jurisdiction__name", "jurisdiction_id")
    per_person: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for user_id, name, jurisdiction_id in assignments:
        per_person[user_id].append((name, counts[jurisdiction_id]))
    period = period_of(today)
    link = reverse("oversight:review") + f"?month={month:%Y-%m}&status={STATUS_NOT_REVIEWED}"
    reminders = []
    for user_id, places in sorted(per_person.items()):
        places.sort()
        total = sum(count for _, count in places)
        where = ", ".join(f"{name} ({count})" for name, count in places)
        reminders.append(
            Reminder(
                kind=ReminderKind.MONTHLY_REVIEW,
                recipient_id=user_id,
                key=f"review:{month:%Y-%m}:{period}",
                message=(
                    f"{total} activit{'ies' if total != 1 else 'y'} of {month:%B %Y} "
                    f"{'are' if total != 1 else 'is'} not reviewed yet: {where}."
                ),
                link=link,
            )
        )
    return reminders


def send_back_reminders(*, today: dt.date) -> list[Reminder]:
    """Primary staff: send-backs (R1) still open a day after they were sent. One query."""
    period = period_of(today)
    rows = (
        SendBack.objects.open()
        .filter(sent_at__date__lt=today)
        .order_by("sent_at", "id")
        .values(
            "id",
            "activity_id",
            "activity__primary_staff_id",
            "activity__focus__name",
            "activity__focus__is_other",
            "activity__other_focus_notes",
            "sent_by__full_name",
            "sent_at",
            "month",
            "comment",
        )
    )
    reminders = []
    for row in rows:
        title = _activity_title(
            row["activity__focus__name"],
            row["activity__focus__is_other"],
            row["activity__other_focus_notes"],
        )
        reminders.append(
            Reminder(
                kind=ReminderKind.SEND_BACK,
                recipient_id=row["activity__primary_staff_id"],
                key=f"send-back:{row['id']}:{period}",
                message=(
                    f"{_record_number(row['activity_id'])} · {title} was sent back for "
                    f"{row['month']:%B %Y} by {row['sent_by__full_name']} and is not marked "
                    f"addressed yet: {_shorten(row['comment'], 160)}"
                ),
                link=reverse("activities:detail", args=[row["activity_id"]]),
            )
        )
    return reminders


def closure_request_reminders(*, today: dt.date) -> list[Reminder]:
    """Administrators: goal closure requests waiting for a decision (G4). Two queries."""
    rows = list(
        GoalClosureRequest.objects.filter(status=GoalClosureRequest.Status.PENDING)
        .order_by("requested_at", "id")
        .values(
            "id",
            "requested_at",
            "requested_by__full_name",
            "goal__jurisdiction__name",
            "goal__category__number",
            "goal__category__name",
        )
    )
    if not rows:
        return []
    admins = list(
        User.objects.filter(Q(is_tat_admin=True) | Q(is_superuser=True), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    period = period_of(today)
    link = reverse("goals:closure_queue")
    reminders = []
    for row in rows:
        message = (
            f"{row['requested_by__full_name']} asked on {row['requested_at']:%m/%d/%Y} to close "
            f"the {row['goal__jurisdiction__name']} goal “{row['goal__category__number']}. "
            f"{row['goal__category__name']}”; the request is waiting for a decision."
        )
        for admin_id in admins:
            reminders.append(
                Reminder(
                    kind=ReminderKind.CLOSURE_REQUEST,
                    recipient_id=admin_id,
                    key=f"closure-request:{row['id']}:{period}",
                    message=message,
                    link=link,
                )
            )
    return reminders


COLLECTORS: dict[str, Callable[..., list[Reminder]]] = {
    ReminderKind.SUMMARY_DUE: summary_reminders,
    ReminderKind.SEND_BACK: send_back_reminders,
    ReminderKind.MONTHLY_REVIEW: review_reminders,
    ReminderKind.CLOSURE_REQUEST: closure_request_reminders,
}


# --- planning and sending ----------------------------------------------------------------


def _already_sent(kind: str, today: dt.date) -> set[tuple[int, str]]:
    """(recipient, key) pairs of `kind` sent this week: keys carry the week, so older rows
    can never match. One query."""
    monday = today - dt.timedelta(days=today.weekday())
    return set(
        SentReminder.objects.filter(kind=kind, sent_on__gte=monday).values_list(
            "recipient_id", "key"
        )
    )


def plan_reminders(
    *, today: dt.date, kinds: Iterable[str] | None = None, on_kind: Callable | None = None
) -> ReminderRun:
    """R3: everything one run would send on `today`, without sending or recording it.

    Per kind: the collector's queries plus one for what was already sent; then one query
    for the people and one for their preferences.
    """
    run = ReminderRun(today=today)
    found: list[Reminder] = []
    for kind in kinds or KIND_ORDER:
        report = KindReport(kind=kind)
        sent = _already_sent(kind, today)
        for reminder in COLLECTORS[kind](today=today):
            report.found += 1
            if (reminder.recipient_id, reminder.key) in sent:
                report.already_sent += 1
            else:
                found.append(reminder)
        run.reports.append(report)
    reports = {report.kind: report for report in run.reports}

    recipient_ids = {reminder.recipient_id for reminder in found}
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="")
    }
    preferences = {
        (person_id, kind): frequency
        for person_id, kind, frequency in NotificationPreference.objects.filter(
            person_id__in=recipient_ids
        ).values_list("person_id", "kind", "frequency")
    }
    weekly_day = today.weekday() == WEEKLY_DIGEST_WEEKDAY
    digests: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in found:
        person = people.get(reminder.recipient_id)
        report = reports[reminder.kind]
        frequency = preferences.get(
            (reminder.recipient_id, reminder.kind), DEFAULT_REMINDER_FREQUENCY
        )
        if person is None or frequency == ReminderFrequency.OFF:
            report.off += 1
            continue
        if frequency == ReminderFrequency.WEEKLY and not weekly_day:
            report.held_for_weekly += 1
            continue
        report.to_send += 1
        run.to_record.append(reminder)
        if frequency == ReminderFrequency.IMMEDIATELY:
            run.emails.append(OutgoingEmail(person, [reminder], digest=False))
        else:
            digests[person.pk].append(reminder)
    for person_id, reminders in digests.items():
        reminders.sort(key=lambda r: KIND_ORDER.index(r.kind))
        run.emails.append(OutgoingEmail(people[person_id], reminders, digest=True))
    if on_kind is not None:
        for report in run.reports:
            on_kind(report)
    return run


def absolute_url(path: str) -> str:
    """A link for an e-mail: `SITE_URL` followed by the site path."""
    return settings.SITE_URL.rstrip("/") + path


def build_message(email: OutgoingEmail, *, today: dt.date) -> mail.EmailMultiAlternatives:
    """The e-mail (plain text and HTML) for one outgoing reminder or digest."""
    groups = []
    for kind in KIND_ORDER:
        items = [
            {"message": r.message, "url": absolute_url(r.link)}
            for r in email.reminders
            if r.kind == kind
        ]
        if items:
            groups.append({"label": ReminderKind(kind).label, "items": items})
    context = {
        "recipient": email.recipient,
        "digest": email.digest,
        "groups": groups,
        "today": today,
        "site_name": settings.TAT_SITE_NAME,
        "notifications_url": absolute_url(reverse("workspace:notifications")),
        "preferences_url": absolute_url(reverse("workspace:notification_preferences")),
    }
    message = mail.EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string("email/reminders.txt", context),
        to=[email.recipient.email],
    )
    message.attach_alternative(render_to_string("email/reminders.html", context), "text/html")
    return message


def send_planned(run: ReminderRun) -> int:
    """Send a planned run: record every reminder (SentReminder), create the in-app
    notifications and send the e-mails, in one transaction (a failure records nothing).
    Returns the number of e-mails sent."""
    with transaction.atomic():
        SentReminder.objects.bulk_create(
            [
                SentReminder(kind=r.kind, recipient_id=r.recipient_id, key=r.key, sent_on=run.today)
                for r in run.to_record
            ],
            batch_size=500,
        )
        notifications_send_many(
            messages=((r.recipient_id, r.message, r.link) for r in run.to_record)
        )
        messages = [build_message(email, today=run.today) for email in run.emails]
        if not messages:
            return 0
        with mail.get_connection() as connection:
            return connection.send_messages(messages) or 0

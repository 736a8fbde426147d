"""A16, issue #12 door 1: asking to join a TA activity, and the answer.

Joining gives edit rights, so only staff whose center already takes part, the State's SSS and
administrators join directly (`activity_join`). Anyone else who enters data asks: the request
waits for the activity's primary staff person (or an administrator), who accepts — the asker
becomes collaborating staff and their center a collaborating center, in the activity's
history as the answerer's change — or declines, saying why. Everyone concerned is told
(notifications); every request and answer keeps its history (AU1).
"""

from __future__ import annotations

import rules
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from activities.models import JoinRequest, TAActivity
from activities.services._common import clean_text, lock_activity, require_open
from activities.services.messages import JOIN_NOTHING_TO_ADD, JOIN_ON_DEMAND
from activities.services.records import participation_changes
from core.concurrency import lock_for_update
from core.notifications import notification_send
from core.services import save_tracked

JOIN_DIRECTLY = "You may join this TA activity yourself: use “Join this activity”."
JOIN_REQUEST_PENDING = "You already asked to join this TA activity; wait for the answer."
JOIN_REQUEST_DECIDED = "This request was already answered ({status})."
DECLINE_NOTE_REQUIRED = "Say why you decline, so the person who asked knows."
JOIN_DECISIONS = ("accept", "decline")

REQUESTED_NOTICE = "{person} asks to join {record} ({title}). Accept or decline the request."
ACCEPTED_NOTICE = "{person} accepted your request to join {record} ({title})."
ACCEPTED_SSS_NOTICE = "{person} joined {record} ({title}) as collaborating staff."
DECLINED_NOTICE = "{person} declined your request to join {record} ({title}): {note}"


def _who(user: User) -> str:
    return user.full_name or user.email


def _requests_link(activity: TAActivity) -> str:
    return reverse("activities:join_requests", args=[activity.pk])


def join_request_check(*, actor: User, activity: TAActivity) -> None:
    """Refuse what `join_request_create` would refuse, saving nothing."""
    require(actor, "activities.request_join", activity)
    require_open(activity)
    if not activity.is_goal_driven:
        raise ValidationError({"strategic_area": JOIN_ON_DEMAND})
    if not participation_changes(activity, actor):
        raise ValidationError({NON_FIELD_ERRORS: JOIN_NOTHING_TO_ADD})
    if rules.has_perm("activities.join_taactivity", actor, activity):
        raise ValidationError({NON_FIELD_ERRORS: JOIN_DIRECTLY})
    pending = activity.join_requests.filter(
        requested_by=actor, status=JoinRequest.Status.PENDING
    ).exists()
    if pending:
        raise ValidationError({NON_FIELD_ERRORS: JOIN_REQUEST_PENDING})


@transaction.atomic
def join_request_create(*, actor: User, activity: TAActivity, note: str = "") -> JoinRequest:
    """Ask to join an open goal-driven activity; its primary staff person is told."""
    activity = lock_activity(activity)
    join_request_check(actor=actor, activity=activity)
    join_request = JoinRequest(activity=activity, requested_by=actor, note=clean_text(note))
    save_tracked(join_request, actor=actor, reason="Asked to join")
    deciders = {activity.primary_staff_id: activity.primary_staff} if activity.primary_staff else {}
    deciders.pop(actor.pk, None)
    message = REQUESTED_NOTICE.format(
        person=_who(actor), record=activity.record_number, title=activity.title
    )
    for recipient in deciders.values():
        notification_send(recipient=recipient, message=message, link=_requests_link(activity))
    return join_request


def _lock_pending(actor: User, join_request: JoinRequest) -> tuple[JoinRequest, TAActivity]:
    activity = lock_activity(join_request.activity)
    join_request = lock_for_update(JoinRequest, join_request.pk)
    require(actor, "activities.decide_join_request", activity)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: JOIN_REQUEST_DECIDED.format(
                    status=join_request.get_status_display()
                )
            }
        )
    return join_request, activity


def _decide(join_request: JoinRequest, actor: User, status: str, note: str) -> JoinRequest:
    join_request.status = status
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.decision_note = note
    reason = "Request to join accepted" if status == JoinRequest.Status.ACCEPTED else "Declined"
    save_tracked(join_request, actor=actor, reason=reason)
    return join_request


@transaction.atomic
def join_request_accept(*, actor: User, join_request: JoinRequest, note: str = "") -> JoinRequest:
    """The primary staff person (or an administrator) lets the asker take part: they become
    collaborating staff, their center a collaborating center; the asker and the State's SSSs
    are told."""
    join_request, activity = _lock_pending(actor, join_request)
    require_open(activity)
    person = join_request.requested_by
    changed = participation_changes(activity, person)
    if changed:
        save_tracked(
            activity, actor=actor, reason="Request to join accepted", bump_version=True, m2m=changed
        )
    _decide(join_request, actor, JoinRequest.Status.ACCEPTED, clean_text(note))
    facts = {"person": _who(actor), "record": activity.record_number, "title": activity.title}
    link = activity.get_absolute_url()
    if person.pk != actor.pk:
        notification_send(recipient=person, message=ACCEPTED_NOTICE.format(**facts), link=link)
    joined = ACCEPTED_SSS_NOTICE.format(**{**facts, "person": _who(person)})
    for specialist in User.objects.filter(
        is_sss=True, is_active=True, sss_jurisdictions=activity.jurisdiction_id
    ).exclude(pk__in={actor.pk, person.pk}):
        notification_send(recipient=specialist, message=joined, link=link)
    return join_request


@transaction.atomic
def join_request_decline(*, actor: User, join_request: JoinRequest, note: str) -> JoinRequest:
    """The primary staff person (or an administrator) declines, saying why; the asker is
    told."""
    join_request, activity = _lock_pending(actor, join_request)
    note = clean_text(note)
    if not note:
        raise ValidationError({"decision_note": DECLINE_NOTE_REQUIRED})
    _decide(join_request, actor, JoinRequest.Status.DECLINED, note)
    person = join_request.requested_by
    if person.pk != actor.pk:
        message = DECLINED_NOTICE.format(
            person=_who(actor), record=activity.record_number, title=activity.title, note=note
        )
        notification_send(recipient=person, message=message[:500], link=_requests_link(activity))
    return join_request

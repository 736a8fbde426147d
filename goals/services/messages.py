"""The sentences the goals services refuse with (rules G1–G4), word for word as people
read them; tests and pages refer to them by name."""

from __future__ import annotations

import datetime as dt

# The Child Care and Development Block Grant Act dates from 1990: no goal or note is older.
EARLIEST_DATE = dt.date(1990, 1, 1)
MAX_DAYS_AHEAD = 365

READINESS_INVALID = "Choose least ready, somewhat ready or most ready."
CATEGORY_REQUIRED = "Choose a goal category."
CATEGORY_INACTIVE = "The goal category “{category}” is no longer offered; choose another one."
CATEGORY_LOCKED = (
    "The goal category cannot change once TA activities are recorded under the goal "
    "({count} so far)."
)
RELATED_SAME = "The related goal category must differ from the goal category."
RELATED_INACTIVE = (
    "The goal category “{category}” is no longer offered; choose another related category."
)
DATE_INVALID = "Enter a valid date."
START_DATE_TOO_FAR = (
    "The start date cannot be more than a year in the future ({limit:%m/%d/%Y}); use the date "
    "the decision was made with the State or Territory, or an approximate date."
)
START_DATE_TOO_EARLY = "The start date cannot be before {earliest:%m/%d/%Y}."
STRATEGIC_AREAS_REQUIRED = "Choose at least one strategic area."
STRATEGIC_AREAS_FOR_NEW_CATEGORY = (
    "Choose the strategic areas of the new goal category; the current ones belong to “{category}”."
)
STRATEGIC_AREA_WRONG_CATEGORY = (
    "“{item}” is not a strategic area of the goal category “{category}”."
)
STRATEGIC_AREA_INACTIVE = "The strategic area “{item}” is no longer offered."
STRATEGIC_AREA_DUPLICATE = "The strategic area “{item}” is listed more than once."
STRATEGIC_AREA_ALREADY_ON_GOAL = "The goal already has the strategic area “{item}”."
STRATEGIC_AREA_HAS_ACTIVITIES = (
    "“{item}” cannot be removed: {count} TA activities are recorded under it."
)
STRATEGIC_AREA_LAST = (
    "A goal needs at least one strategic area: add another one before removing “{item}”."
)
DUPLICATE_CATEGORY = (
    "{jurisdiction} already has an open goal in “{category}” (started {start:%m/%d/%Y}). "
    "Add strategic areas to that goal instead, or confirm that a second goal is needed."
)
GOAL_CLOSED_READ_ONLY = (
    "This goal is closed and can no longer be changed. Ask a TAT administrator to reopen it."
)
GOAL_NOT_OPEN = "This goal is already closed."
GOAL_NOT_CLOSED = "This goal is open; only a closed goal can be reopened."
NOTE_TEXT_REQUIRED = "Enter the note."
NOTE_DATE_IN_FUTURE = "The note date cannot be in the future."
NOTE_DATE_TOO_EARLY = "The note date cannot be before {earliest:%m/%d/%Y}."
NOTE_KIND_INVALID = "Choose update or completion."
NOTE_COMPLETION_ADMIN_ONLY = (
    "Completion notes are added by a TAT administrator when the goal is closed."
)
CLOSURE_REASON_REQUIRED = "Explain why the goal should be closed."
CLOSURE_ALREADY_PENDING = (
    "Closure of this goal was already requested by {who} on {when:%m/%d/%Y}; that request is "
    "waiting for a TAT administrator."
)
CLOSE_NOTE_REQUIRED = (
    "Enter the explanatory note; it is added to the goal update and completion notes."
)
CLOSE_OPEN_ACTIVITIES = (
    "The goal cannot be closed while TA activities under it are open. Close or cancel these "
    "first: {activities}."
)
CLOSURE_REQUEST_OTHER_GOAL = "This closure request is for another goal."
CLOSURE_REQUEST_NOT_PENDING = "This closure request was already decided ({status})."
DECLINE_NOTE_REQUIRED = "Explain why the request is declined."
REOPEN_REASON_REQUIRED = "Explain why the goal is reopened."

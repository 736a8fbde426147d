"""Writes for goals, their strategic areas, notes and closure (rules G1–G4, C1, AU1).

One module per rule family, all re-exported here so callers keep `goals.services.<name>`:

- `goals`: goal_create, goal_update (G1 fields, G2 duplicates, G3 notice, C1)
- `strategic_areas`: strategic_area_add, strategic_areas_add, notes, removal (G1, G2, C1)
- `notes`: goal update notes (G1; completion notes are an administrator's)
- `closure`: closure requests, close, decline, reopen (G4) — status tables
- `messages`: the sentences every refusal uses; `common`: shared checks and notices

Every function is keyword-only, runs in one transaction, checks permission with
`accounts.permissions.require` and refuses bad input with `ValidationError` naming the
field. A refused call saves nothing. Saves go through `core.services.save_tracked`, so the
history names who made the change even outside a web request.
"""

from goals.services.closure import (
    CLOSURE_REQUEST_STATUS,
    GOAL_STATUS,
    goal_close,
    goal_close_check,
    goal_closure_decline,
    goal_reopen,
    goal_reopen_check,
    goal_request_closure,
)
from goals.services.common import DuplicateGoalCategory, OpenActivitiesRemain, StrategicAreaChoice
from goals.services.goals import GOAL_UPDATE_FIELDS, goal_create, goal_update, goal_update_check
from goals.services.messages import (
    CATEGORY_INACTIVE,
    CATEGORY_LOCKED,
    CATEGORY_REQUIRED,
    CLOSE_NOTE_REQUIRED,
    CLOSE_OPEN_ACTIVITIES,
    CLOSURE_ALREADY_PENDING,
    CLOSURE_REASON_REQUIRED,
    CLOSURE_REQUEST_NOT_PENDING,
    CLOSURE_REQUEST_OTHER_GOAL,
    DATE_INVALID,
    DECLINE_NOTE_REQUIRED,
    DUPLICATE_CATEGORY,
    EARLIEST_DATE,
    GOAL_CLOSED_READ_ONLY,
    GOAL_NOT_CLOSED,
    GOAL_NOT_OPEN,
    MAX_DAYS_AHEAD,
    NOTE_COMPLETION_ADMIN_ONLY,
    NOTE_DATE_IN_FUTURE,
    NOTE_DATE_TOO_EARLY,
    NOTE_KIND_INVALID,
    NOTE_TEXT_REQUIRED,
    READINESS_INVALID,
    RELATED_INACTIVE,
    RELATED_SAME,
    REOPEN_REASON_REQUIRED,
    START_DATE_TOO_EARLY,
    START_DATE_TOO_FAR,
    STRATEGIC_AREA_ALREADY_ON_GOAL,
    STRATEGIC_AREA_DUPLICATE,
    STRATEGIC_AREA_HAS_ACTIVITIES,
    STRATEGIC_AREA_INACTIVE,
    STRATEGIC_AREA_LAST,
    STRATEGIC_AREA_WRONG_CATEGORY,
    STRATEGIC_AREAS_FOR_NEW_CATEGORY,
    STRATEGIC_AREAS_REQUIRED,
)
from goals.services.notes import goal_note_add, goal_note_check, goal_note_update
from goals.services.strategic_areas import (
    StrategicAreasAdded,
    strategic_area_add,
    strategic_area_remove,
    strategic_area_update_notes,
    strategic_areas_add,
)

__all__ = [
    "EARLIEST_DATE",
    "MAX_DAYS_AHEAD",
    "READINESS_INVALID",
    "CATEGORY_REQUIRED",
    "CATEGORY_INACTIVE",
    "CATEGORY_LOCKED",
    "RELATED_SAME",
    "RELATED_INACTIVE",
    "DATE_INVALID",
    "START_DATE_TOO_FAR",
    "START_DATE_TOO_EARLY",
    "STRATEGIC_AREAS_REQUIRED",
    "STRATEGIC_AREAS_FOR_NEW_CATEGORY",
    "STRATEGIC_AREA_WRONG_CATEGORY",
    "STRATEGIC_AREA_INACTIVE",
    "STRATEGIC_AREA_DUPLICATE",
    "STRATEGIC_AREA_ALREADY_ON_GOAL",
    "STRATEGIC_AREA_HAS_ACTIVITIES",
    "STRATEGIC_AREA_LAST",
    "DUPLICATE_CATEGORY",
    "GOAL_CLOSED_READ_ONLY",
    "GOAL_NOT_OPEN",
    "GOAL_NOT_CLOSED",
    "NOTE_TEXT_REQUIRED",
    "NOTE_DATE_IN_FUTURE",
    "NOTE_DATE_TOO_EARLY",
    "NOTE_KIND_INVALID",
    "NOTE_COMPLETION_ADMIN_ONLY",
    "CLOSURE_REASON_REQUIRED",
    "CLOSURE_ALREADY_PENDING",
    "CLOSE_NOTE_REQUIRED",
    "CLOSE_OPEN_ACTIVITIES",
    "CLOSURE_REQUEST_OTHER_GOAL",
    "CLOSURE_REQUEST_NOT_PENDING",
    "DECLINE_NOTE_REQUIRED",
    "REOPEN_REASON_REQUIRED",
    "CLOSURE_REQUEST_STATUS",
    "GOAL_STATUS",
    "GOAL_UPDATE_FIELDS",
    "DuplicateGoalCategory",
    "OpenActivitiesRemain",
    "StrategicAreaChoice",
    "StrategicAreasAdded",
    "goal_close",
    "goal_close_check",
    "goal_closure_decline",
    "goal_create",
    "goal_note_add",
    "goal_note_check",
    "goal_note_update",
    "goal_reopen",
    "goal_reopen_check",
    "goal_request_closure",
    "goal_update",
    "goal_update_check",
    "strategic_area_add",
    "strategic_area_remove",
    "strategic_area_update_notes",
    "strategic_areas_add",
]

"""The importer's own messages and the template column each service field is reported on
(the services' own messages pass through unchanged)."""

from __future__ import annotations

DEFAULT_SOURCE = "legacy"

# Messages of the importer itself (the services' own messages pass through unchanged).
UNKNOWN_KIND = "“{value}” is not a kind of row; use one of: {kinds}."
REQUIRED = "This column is required for a {kind} row."
EXTERNAL_ID_TWICE = "External ID “{value}” appears twice for {kind} rows (first on row {first})."
ALREADY_IMPORTED_CHANGED = (
    "External ID “{value}” was already imported from source “{source}” with different "
    "values. The importer adds records; it does not change them — correct the record in the "
    "app, or give the row a new external ID."
)
BAD_DATE = "“{value}” is not a date; write YYYY-MM-DD (or MM/DD/YYYY)."
BAD_BOOL = "“{value}” is not yes or no."
BAD_CHOICE = "“{value}” is not one of: {choices}."
UNKNOWN_REFERENCE = "No {what} “{value}” is on file."
UNKNOWN_PERSON = (
    "No person with sign-in e-mail “{value}” is on file. Add the person (Users in the "
    "administration) before importing; the importer does not create accounts."
)
UNKNOWN_REQUESTER = "No requester with e-mail “{value}” is on file or in this file."
UNKNOWN_PARENT = "No {kind} with external ID “{value}” is in this file or imported before."
PARENT_FAILED = "The {kind} “{value}” was not imported (see its own row), so this row waits."
GOAL_WITHOUT_AREAS = "A goal needs at least one strategic_area row naming it (G1)."
STRATEGIC_AREA_NOT_ON_GOAL = "The goal “{goal}” has no strategic area “{value}” in this file."
ONE_PLACE = "Give either jurisdiction or region, not both."
JURISDICTION_OR_GOAL = "Give goal_external_id (goal-driven) or jurisdiction (on-demand)."

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})

# Service field → template column, per kind (a field not listed keeps its name).
FIELD_COLUMNS: dict[str, dict[str, str]] = {
    "goal": {
        "category": "goal_category",
        "strategic_areas": "strategic_area",
        "note": "closure_note",
    },
    "goal_note": {"kind": "note_kind"},
    "activity": {
        "requesters": "requester_emails",
        "primary_staff": "primary_staff_email",
        "collaborating_staff": "collaborating_staff_emails",
        "reason": "cancel_reason",
        "tracking": "status",
    },
    "summary": {"delivery_date": "note_date", "tracking": "activity_external_id"},
    "feedback": {"feedback_date": "note_date", "tracking": "activity_external_id"},
    "response_note": {},
    "plan_note": {},
    "requester": {},
    "strategic_area": {"item": "strategic_area"},
}

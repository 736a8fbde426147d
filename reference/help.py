"""Field help from the guide (HL1), for forms and templates.

Keys name a field as `<entity>.<field>`; the catalogue ships in reference/data/reference.json
and administrators edit the texts on the field help pages (`administration`). Fetch all the
keys a page needs with one `field_help_map` call rather than one query per field.
"""

from __future__ import annotations

from collections.abc import Iterable

from reference.models import FieldHelp

# Every key shipped with the data file, grouped as in the guide's tables.
GOAL_KEYS = (
    "goal.start_date",
    "goal.readiness",
    "goal.category",
    "goal.related_category",
    "strategic_area.item",
    "strategic_area.notes",
    "goal.update_notes",
)
ACTIVITY_KEYS = (
    "activity.focus",
    "activity.other_focus_notes",
    "activity.date_opened",
    "activity.priority",
    "activity.requesters",
    "activity.add_requester",
    "activity.primary_center",
    "activity.primary_staff",
    "activity.collaborating",
    "activity.other_collaborators",
    "activity.other_collaborators_details",
    "activity.description_notes",
    "activity.description_stage",
    "activity.activity_type",
    "activity.status",
    "activity.outcome_plan",
)
TRACKING_KEYS = (
    "summary.text",
    "summary.methods_types",
    "feedback.text",
    "activity.completion_status",
    "activity.completion_date",
    "activity.outcome_plan_tracking",
    "activity.outcome_report",
)
RESPONSE_NOTE_KEYS = ("response_note.text",)
SEARCH_KEYS = (
    "search.record_number",
    "search.jurisdiction",
    "search.region",
    "search.goal_category",
    "search.strategic_area",
    "search.primary_center",
    "search.collaborating_center",
    "search.staff",
    "search.activity_type",
    "search.activity_status",
    "search.completion_status",
    "search.other_collaborators",
    "search.date_opened",
    "search.date_closed",
    "search.response_note_date",
    "search.summary_date",
)
ALL_KEYS = GOAL_KEYS + ACTIVITY_KEYS + TRACKING_KEYS + RESPONSE_NOTE_KEYS + SEARCH_KEYS


def field_help(key: str) -> FieldHelp | None:
    """The help entry for one field, or None when the catalogue has no such key."""
    return FieldHelp.objects.filter(key=key).first()


def field_help_map(keys: Iterable[str]) -> dict[str, FieldHelp]:
    """Help entries for many fields in one query, by key; unknown keys are absent."""
    wanted = set(keys)
    if not wanted:
        return {}
    return {h.key: h for h in FieldHelp.objects.filter(key__in=wanted)}


def field_help_with_prefix(prefix: str) -> dict[str, FieldHelp]:
    """Every help entry whose key starts with `prefix` (e.g. "search."), in one query."""
    return {h.key: h for h in FieldHelp.objects.filter(key__startswith=prefix)}

"""The import template (issue 11): the kinds of row, their columns, what each column means and
one example row per kind. `import_records` reads it, `export_records` writes it, and the Help
page offers it for download, so the three can never disagree.

One table, one row per record, a `kind` column saying what the row is. Every row has an
`external_id` (unique within its kind); child rows name their parent by its external id
(`goal_external_id`, `activity_external_id`). A column a kind does not use stays empty.
Lists (several requesters, centers, delivery methods…) are separated by semicolons.
"""

from __future__ import annotations

from dataclasses import dataclass

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    file_name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    example: dict[str, str]


COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        Column("kind", "What the row is: one of the kinds listed in the template."),
        Column("external_id", "Your own unique ID for the row (unique within its kind)."),
        Column("goal_external_id", "The external_id of the goal this row belongs to."),
        Column("activity_external_id", "The external_id of the TA activity this row belongs to."),
        Column("name", "Requester's name."),
        Column("title", "Requester's title."),
        Column("email", "Requester's e-mail address (unique, any letter case)."),
        Column("jurisdiction", "State or Territory code, e.g. GA."),
        Column("region", "ACF Region number 1–10 (a requester of a Region, not a State)."),
        Column("approved_by", "Who approved adding the requester: ccdf_administrator or rpm."),
        Column("approved_by_name", "Name of the CCDF Administrator or RPM who approved."),
        Column("goal_category", "Goal category number (1–9) or its exact name."),
        Column("related_category", "Related goal category number or name (optional)."),
        Column("readiness", "Readiness to implement: least, somewhat or most."),
        Column("start_date", "Goal start date, YYYY-MM-DD (or MM/DD/YYYY)."),
        Column("start_date_is_approximate", "yes or no."),
        Column("status", "Goal: open or closed. Activity: planning, approved, on_hold, denied."),
        Column("closure_note", "Closed goal: the administrator's explanatory note (G4)."),
        Column("strategic_area", "Strategic area: its key or exact name in the goal category."),
        Column("notes", "Strategic area notes."),
        Column("note_kind", "Goal note: update or completion."),
        Column("note_date", "The date the note speaks of (summary: the delivery date)."),
        Column("text", "The note's text."),
        Column("focus", "TA focus: its key or exact name (A1)."),
        Column("other_focus_notes", "Required when the TA focus is Other (A1)."),
        Column("date_opened", "Date TA was requested, YYYY-MM-DD (A2)."),
        Column("priority", "low, medium or high (A3)."),
        Column("activity_type", "universal, targeted or tailored (A3)."),
        Column("requester_emails", "Requesters' e-mails, separated by ; (A4)."),
        Column("primary_center", "Primary center code, e.g. SCBC (A5)."),
        Column("primary_staff_email", "Primary staff person's sign-in e-mail (A5)."),
        Column("collaborating_centers", "Collaborating center codes, separated by ;."),
        Column("collaborating_staff_emails", "Collaborating staff e-mails, separated by ;."),
        Column("other_collaborators", "Other collaborator types (key or name), separated by ;."),
        Column("other_collaborators_details", "Required when Other is among them (A5)."),
        Column("outcome_plan", "State/Territory outcome plan (A8, required)."),
        Column("requested_by_ccdf_administrator", "yes or no (A7)."),
        Column("requester_approver_role", "ccdf_administrator or rpm, when the answer is no."),
        Column("requester_approver_name", "Name of that approver."),
        Column("requester_approval_date", "Date that approver approved, YYYY-MM-DD."),
        Column("cor_name", "COR's name (needed for status approved)."),
        Column("cor_approval_date", "COR approval date, YYYY-MM-DD."),
        Column("completion_status", "open, closed or cancelled (A12)."),
        Column("completion_date", "Closed: the completion date, YYYY-MM-DD."),
        Column("outcome_report", "State/Territory outcome report (needed to close)."),
        Column("cancel_reason", "Cancelled: why."),
        Column("stage", "Plan stage: initial, intermediate, final (A6)."),
        Column("delivery_methods", "Delivery methods (key or name), separated by ; (A10)."),
        Column("ta_types", "TA types (key or name), separated by ; (A10)."),
        Column("giver_name", "Name of the person giving feedback (A11)."),
        Column("giver_title", "Their title or role (A11)."),
    )
}

KINDS: tuple[Kind, ...] = (
    Kind(
        "requester",
        "Requester",
        "requesters.csv",
        ("name", "title", "email", "jurisdiction", "region", "approved_by", "approved_by_name"),
        ("name", "email", "approved_by"),
        {
            "external_id": "R-1",
            "name": "Dana Example",
            "title": "CCDF Administrator",
            "email": "dana.example@state.example.gov",
            "jurisdiction": "GA",
            "approved_by": "ccdf_administrator",
            "approved_by_name": "Dana Example",
        },
    ),
    Kind(
        "goal",
        "Goal",
        "goals.csv",
        (
            "jurisdiction",
            "goal_category",
            "related_category",
            "readiness",
            "start_date",
            "start_date_is_approximate",
            "status",
            "closure_note",
        ),
        ("jurisdiction", "goal_category", "readiness", "start_date"),
        {
            "external_id": "G-1",
            "jurisdiction": "GA",
            "goal_category": "7",
            "readiness": "somewhat",
            "start_date": "2025-10-01",
            "start_date_is_approximate": "no",
            "status": "open",
        },
    ),
    Kind(
        "strategic_area",
        "Strategic area of a goal",
        "strategic_areas.csv",
        ("goal_external_id", "strategic_area", "notes"),
        ("goal_external_id", "strategic_area"),
        {
            "external_id": "SA-1",
            "goal_external_id": "G-1",
            "strategic_area": "quality-tiered-qris",
            "notes": "Revise QRIS standards.",
        },
    ),
    Kind(
        "goal_note",
        "Goal update or completion note",
        "goal_notes.csv",
        ("goal_external_id", "note_kind", "note_date", "text"),
        ("goal_external_id", "note_date", "text"),
        {
            "external_id": "GN-1",
            "goal_external_id": "G-1",
            "note_kind": "update",
            "note_date": "2025-11-15",
            "text": "Workgroup formed.",
        },
    ),
    Kind(
        "activity",
        "TA activity",
        "activities.csv",
        (
            "goal_external_id",
            "strategic_area",
            "jurisdiction",
            "focus",
            "other_focus_notes",
            "date_opened",
            "priority",
            "activity_type",
            "status",
            "requester_emails",
            "primary_center",
            "primary_staff_email",
            "collaborating_centers",
            "collaborating_staff_emails",
            "other_collaborators",
            "other_collaborators_details",
            "outcome_plan",
            "requested_by_ccdf_administrator",
            "requester_approver_role",
            "requester_approver_name",
            "requester_approval_date",
            "cor_name",
            "cor_approval_date",
            "completion_status",
            "completion_date",
            "outcome_report",
            "cancel_reason",
        ),
        ("focus", "date_opened", "priority", "activity_type", "outcome_plan"),
        {
            "external_id": "A-1",
            "goal_external_id": "G-1",
            "strategic_area": "quality-tiered-qris",
            "focus": "quality-qris-standards",
            "date_opened": "2025-10-06",
            "priority": "high",
            "activity_type": "tailored",
            "status": "approved",
            "requester_emails": "dana.example@state.example.gov",
            "primary_center": "SCBC",
            "primary_staff_email": "staff.person@center.example.org",
            "outcome_plan": "Revised QRIS standards adopted.",
            "requested_by_ccdf_administrator": "yes",
            "cor_name": "Pat COR",
            "cor_approval_date": "2025-10-08",
            "completion_status": "open",
        },
    ),
    Kind(
        "plan_note",
        "TA activity description note (plan)",
        "plan_notes.csv",
        ("activity_external_id", "stage", "note_date", "text"),
        ("activity_external_id", "stage", "note_date", "text"),
        {
            "external_id": "P-1",
            "activity_external_id": "A-1",
            "stage": "final",
            "note_date": "2025-10-07",
            "text": "Three workgroup sessions, then a draft of the standards.",
        },
    ),
    Kind(
        "summary",
        "Summary of TA delivered",
        "summaries.csv",
        ("activity_external_id", "note_date", "text", "delivery_methods", "ta_types"),
        ("activity_external_id", "note_date", "text"),
        {
            "external_id": "S-1",
            "activity_external_id": "A-1",
            "note_date": "2025-10-20",
            "text": "Facilitated the first workgroup session.",
            "delivery_methods": "Remote/virtual",
            "ta_types": "Meeting planning and facilitation",
        },
    ),
    Kind(
        "feedback",
        "Requester feedback",
        "feedback.csv",
        ("activity_external_id", "note_date", "giver_name", "giver_title", "text"),
        ("activity_external_id", "note_date", "giver_name", "giver_title", "text"),
        {
            "external_id": "F-1",
            "activity_external_id": "A-1",
            "note_date": "2025-10-22",
            "giver_name": "Dana Example",
            "giver_title": "CCDF Administrator",
            "text": "The session was very helpful.",
        },
    ),
    Kind(
        "response_note",
        "TA response note",
        "response_notes.csv",
        ("activity_external_id", "note_date", "text"),
        ("activity_external_id", "text"),
        {
            "external_id": "RN-1",
            "activity_external_id": "A-1",
            "note_date": "2025-10-09",
            "text": "Called the State lead to schedule the sessions.",
        },
    ),
)
KINDS_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}

# Every column of the one-table template, in a stable order.
TEMPLATE_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(["kind", "external_id", *[c for kind in KINDS for c in kind.columns]]).keys()
)


def kind_columns(kind: Kind) -> tuple[str, ...]:
    """The columns of one kind's own table (the export's CSV for that kind)."""
    return ("kind", "external_id", *kind.columns)

"""What TA activity services say to people (A1–A16), word for word, and the exceptions a
page can act on: `DuplicateRequester` (A4), `ExistingOpenActivity` (A16),
`TrackingUnavailable` (A9) and `ActivityReadOnly` (A13).

Every sentence here is shown to people as it is; forms reuse them as their "required"
messages so a person reads the same sentence whichever layer noticed the gap first.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError

from activities.models import Requester, TAActivity

REQUESTER_NAME_REQUIRED = "Enter the requester's name."
REQUESTER_EMAIL_REQUIRED = "Enter the requester's e-mail address."
REQUESTER_PLACE_REQUIRED = "Choose either a State or Territory or a Region for the requester."
REQUESTER_PLACE_BOTH = "Choose a State or Territory or a Region for the requester, not both."
REQUESTER_APPROVAL_REQUIRED = (
    "Record who approved adding this requester: the CCDF Administrator or the Regional "
    "Program Manager (RPM)."
)
DUPLICATE_REQUESTER = (
    "A requester with this e-mail address is already on file ({name}); choose that "
    "requester instead of adding a new one."
)

JURISDICTION_REQUIRED = "Choose the State or Territory this TA activity is for."
JURISDICTION_NOT_GOAL = (
    "The strategic area belongs to a goal of {goal_jurisdiction}, not of {jurisdiction}."
)
GOAL_CLOSED = "This strategic area's goal is closed; TA activities cannot be added to it."

FOCUS_REQUIRED = "Choose a TA focus."
FOCUS_INACTIVE = "“{focus}” is no longer offered; choose another TA focus."
FOCUS_NOT_IN_CATEGORY = (
    "“{focus}” is not a TA focus of the goal category “{category}”; choose one from its "
    "list or “Other”."
)
OTHER_FOCUS_NOTES_REQUIRED = "Describe the TA focus: “Other” requires other TA focus notes."
OTHER_FOCUS_NOTES_LOCKED = "Other TA focus notes can only be entered when the TA focus is “Other”."

DATE_OPENED_REQUIRED = "Enter the date opened (the date TA was requested)."
DATE_OPENED_FUTURE = "The date opened cannot be in the future."

PRIORITY_INVALID = "Choose a priority level: low, medium or high."
ACTIVITY_TYPE_INVALID = "Choose a TA activity type: universal, targeted or tailored/individualized."

REQUESTERS_REQUIRED = "Choose at least one requester."
REQUESTER_OUTSIDE = (
    "{requester} is not a contact of {jurisdiction} or of its region; choose requesters "
    "from that State or Territory or its region."
)
REQUESTER_INACTIVE = "{requester} is no longer an active requester."

PRIMARY_CENTER_REQUIRED = "Choose the primary center."
PRIMARY_CENTER_INACTIVE = "{center} is no longer an active center."
PRIMARY_STAFF_REQUIRED = "Choose the primary staff person."
PRIMARY_STAFF_INACTIVE = "{person} no longer has an active account."
PRIMARY_STAFF_NOT_MEMBER = "{person} is not a member of {center}, the primary center."
COLLABORATING_CENTER_IS_PRIMARY = (
    "{center} is the primary center; it cannot also be a collaborating center."
)
COLLABORATING_CENTER_INACTIVE = "{center} is no longer an active center."
COLLABORATING_STAFF_IS_PRIMARY = (
    "{person} is the primary staff person; list other staff as collaborating."
)
COLLABORATING_STAFF_INACTIVE = "{person} no longer has an active account."
OTHER_COLLABORATOR_INACTIVE = "“{item}” is no longer offered as an other collaborator."
OTHER_COLLABORATORS_DETAILS_REQUIRED = (
    "Give details on the other collaborators: “{item}” was chosen (names, titles and "
    "organizations)."
)

OUTCOME_PLAN_REQUIRED = "Enter the State/Territory outcome plan."

NOTE_TEXT_REQUIRED = "Enter the note's text."
NOTE_DATE_REQUIRED = "Enter the note's date."
NOTE_DATE_FUTURE = "The note's date cannot be in the future."
STAGE_INVALID = "Choose a TA activity description type: initial, intermediate or final plan."
STAGE_ARCHIVED_NOT_CHOSEN = (
    "“Archived final plan” cannot be chosen: a final plan is archived automatically when a "
    "new final plan is added."
)
DESCRIPTION_NOTES_ONE_FINAL = "Only one final plan can be entered at a time."

STATUS_INVALID = "Choose a TA activity status: planning in progress, approved, on hold or denied."
STATUS_UNCHANGED = "The TA activity status is already “{status}”."
STATUS_NOT_ALLOWED = "The TA activity status cannot change from “{source}” to “{target}”."

# A7: approvals on record (the guide, "Requesters" and "TA activity status").
REQUESTED_DIRECTLY_REQUIRED = (
    "Say whether the CCDF Administrator or his or her staff requested this activity directly."
)
REQUESTER_APPROVER_ROLE_INVALID = (
    "Choose who approved the activity: the CCDF Administrator or the Regional Program "
    "Manager (RPM)."
)
REQUESTER_APPROVAL_NOT_NEEDED = (
    "Leave this blank: the activity was requested directly by the CCDF Administrator or his "
    "or her staff, so no other approval is recorded."
)
REQUESTER_APPROVAL_DATE_FUTURE = "The date the activity was approved cannot be in the future."
REQUESTER_APPROVAL_DATE_BEFORE_OPENED = (
    "The activity cannot be approved before it was requested: the date opened is {opened}."
)
APPROVAL_NEEDS_REQUESTED_DIRECTLY = (
    "Before the activity can be marked approved, record whether the CCDF Administrator or "
    "his or her staff requested it directly (edit the activity)."
)
APPROVAL_NEEDS_APPROVER_ROLE = (
    "Before the activity can be marked approved, record who approved it, the CCDF "
    "Administrator or the RPM: it was not requested directly by the CCDF Administrator or "
    "his or her staff."
)
APPROVAL_NEEDS_APPROVER_NAME = (
    "Before the activity can be marked approved, enter the name of the CCDF Administrator "
    "or RPM who approved it."
)
APPROVAL_NEEDS_APPROVAL_DATE = (
    "Before the activity can be marked approved, enter the date the CCDF Administrator or "
    "RPM approved it."
)
COR_NAME_REQUIRED = "Enter the name of the COR who approved the activity."
COR_APPROVAL_DATE_REQUIRED = "Enter the date the COR approved the activity."
COR_APPROVAL_DATE_FUTURE = "The COR approval date cannot be in the future."
COR_APPROVAL_DATE_BEFORE_OPENED = (
    "The COR cannot approve the activity before it was requested: the date opened is {opened}."
)

TRACKING_REASON_NO_FINAL = "no current final plan"
TRACKING_REASON_NOT_APPROVED = "status is not approved"
TRACKING_UNAVAILABLE = (
    "Tracking (summaries, feedback, completion and outcome report) is available only when "
    "the activity has a current final plan and its status is approved: {reasons}."
)

DELIVERY_DATE_REQUIRED = "Enter the date TA was delivered."
DELIVERY_DATE_FUTURE = "The delivery date cannot be in the future."
DELIVERY_DATE_BEFORE_OPENED = "The delivery date cannot be before the date opened ({opened})."
DELIVERY_METHOD_INACTIVE = "“{item}” is no longer offered as a delivery method."
TA_TYPE_INACTIVE = "“{item}” is no longer offered as a TA type."

FEEDBACK_DATE_REQUIRED = "Enter the date the feedback was received."
FEEDBACK_DATE_FUTURE = "The feedback date cannot be in the future."
GIVER_NAME_REQUIRED = "Enter the full name of the person giving the feedback."
GIVER_TITLE_REQUIRED = "Enter the title or role of the person giving the feedback."

COMPLETION_DATE_REQUIRED = "Enter the completion date."
COMPLETION_DATE_FUTURE = "The completion date cannot be in the future."
COMPLETION_DATE_BEFORE_OPENED = "The completion date cannot be before the date opened ({opened})."
OUTCOME_REPORT_REQUIRED = "Enter the State/Territory outcome report before closing."
CANCEL_AFTER_DELIVERY = (
    "TA has been delivered on this activity (a summary of TA delivered exists), so it "
    "cannot be cancelled: use Closed instead."
)
REASON_REQUIRED = "Give the reason."
ALREADY_OPEN = "This TA activity is already open."
READ_ONLY = (
    "This TA activity is {status}; it is read-only (except for requester feedback) until "
    "an administrator or its primary staff person reopens it."
)
EXISTING_OPEN_ACTIVITY = (
    "This strategic area already has an open TA activity ({records}). Join it instead, or "
    "confirm that a separate activity is needed."
)
JOIN_NOTHING_TO_ADD = "You and your center already take part in this TA activity."
JOIN_ON_DEMAND = (
    "This is an on-demand TA activity: only an activity under a strategic area can be joined. "
    "Ask its primary staff person to add you as collaborating staff."
)
JOINED_NOTICE = "{person} joined {record} ({title}) as collaborating staff."


# --- Exceptions a page can act on ------------------------------------------------------


class DuplicateRequester(ValidationError):
    """A4: the e-mail address is already on file; `existing` is that requester."""

    def __init__(self, existing: Requester) -> None:
        super().__init__(
            {"email": DUPLICATE_REQUESTER.format(name=existing)}, code="duplicate_requester"
        )
        self.existing = existing


class ExistingOpenActivity(ValidationError):
    """A16: the strategic area has open activities (`activities`) the actor may join."""

    def __init__(self, activities: Sequence[TAActivity]) -> None:
        records = ", ".join(activity.record_number for activity in activities)
        super().__init__(
            {"strategic_area": EXISTING_OPEN_ACTIVITY.format(records=records)},
            code="existing_open_activity",
        )
        self.activities = list(activities)


class TrackingUnavailable(ValidationError):
    """A9: tracking data was refused; `reasons` lists what is missing."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__(
            {"tracking": TRACKING_UNAVAILABLE.format(reasons="; ".join(reasons))},
            code="tracking_unavailable",
        )
        self.reasons = list(reasons)


class ActivityReadOnly(ValidationError):
    """A13: the activity is closed or cancelled and must be reopened first."""

    def __init__(self, activity: TAActivity) -> None:
        status = activity.get_completion_status_display().lower()
        super().__init__({"completion_status": READ_ONLY.format(status=status)}, code="read_only")

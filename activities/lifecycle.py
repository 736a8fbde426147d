"""Where a TA activity is in its life (issue 10): plan → approved → tracking → closed, with
cancelled as a branch, and what is still missing for the next step.

Nothing here is a rule of its own: each gap comes from the predicate the services enforce —
`approval_gaps` (A7), `tracking_available` (A9), `outcome_report_missing` (A12) — and this
module only names the gaps in a few words for the record's step indicator. It reads what
the record page has already prefetched (description notes, summaries): no extra query there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from activities.models import ActivityStatus, CompletionStatus, TAActivity
from activities.services import outcome_report_missing, tracking_available
from activities.services.messages import TRACKING_REASON_NO_FINAL, TRACKING_REASON_NOT_APPROVED
from activities.services.validation import approval_gaps
from core.services import FieldErrors

PLAN, APPROVED, TRACKING, CLOSED, CANCELLED = "plan", "approved", "tracking", "closed", "cancelled"
STEP_LABELS = {
    PLAN: "Plan",
    APPROVED: "Approved",
    TRACKING: "Tracking",
    CLOSED: "Closed",
    CANCELLED: "Cancelled",
}
MAIN_PATH = (PLAN, APPROVED, TRACKING, CLOSED)

# Field of an A7 gap → the few words the step indicator shows (the rule is approval_gaps').
APPROVAL_GAP_WORDS = {
    "requested_by_ccdf_administrator": (
        "needs to record whether the CCDF Administrator requested it directly (A7)"
    ),
    "requester_approver_role": "needs the CCDF Administrator's or RPM's approval on record (A7)",
    "requester_approver_name": "needs the CCDF Administrator's or RPM's approval on record (A7)",
    "requester_approval_date": "needs the CCDF Administrator's or RPM's approval on record (A7)",
    "cor_name": "needs the COR's approval on record, name and date (A7)",
    "cor_approval_date": "needs the COR's approval on record, name and date (A7)",
}
NEEDS_FINAL_PLAN = "needs a final plan (a description note of type “Final plan”, A6)"
NEEDS_APPROVED_STATUS = "needs its status marked “Approved” (A7; now “{status}”)"
NEEDS_SUMMARY = "needs a summary of TA delivered for the TA provided (A10)"
NEEDS_OUTCOME_REPORT = "needs the State/Territory outcome report (A12)"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "complete", "current" or "" (not reached)


@dataclass(frozen=True)
class LifeStage:
    steps: list[Step]
    current: str  # a key of STEP_LABELS
    next_step: str  # the label of the next step, "" when at the end
    missing: list[str] = field(default_factory=list)

    @property
    def current_label(self) -> str:
        return STEP_LABELS[self.current]

    @property
    def position(self) -> int:
        """1-based number of the current step (the step indicator's counter)."""
        return next(i for i, step in enumerate(self.steps, 1) if step.state == "current")


def _approval_missing(activity: TAActivity) -> list[str]:
    errors = FieldErrors()
    approval_gaps(
        activity,
        cor_name=activity.cor_name,
        cor_approval_date=activity.cor_approval_date,
        errors=errors,
    )
    words: list[str] = []
    for name in errors.by_field:
        phrase = APPROVAL_GAP_WORDS.get(name, "")
        if phrase and phrase not in words:
            words.append(phrase)
    return words


def _has_summaries(activity: TAActivity) -> bool:
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "summaries" in cache:
        return bool(cache["summaries"])
    return activity.summaries.exists()


def _reached(activity: TAActivity, reasons: list[str]) -> str:
    """The furthest step of the main path the record has reached (while open)."""
    approved = TRACKING_REASON_NOT_APPROVED not in reasons
    if approved and not reasons:
        return TRACKING
    if approved and activity.status == ActivityStatus.APPROVED:
        return APPROVED
    return PLAN


def _steps(path: tuple[str, ...], current: str) -> list[Step]:
    index = path.index(current)
    return [
        Step(key, STEP_LABELS[key], "complete" if i < index else "current" if i == index else "")
        for i, key in enumerate(path)
    ]


def activity_life_stage(activity: TAActivity) -> LifeStage:
    """The record's step indicator: the steps, the current one, and what the next needs."""
    available, reasons = tracking_available(activity)
    reached = _reached(activity, reasons)
    if activity.completion_status == CompletionStatus.CLOSED:
        return LifeStage(_steps(MAIN_PATH, CLOSED), CLOSED, "")
    if activity.completion_status == CompletionStatus.CANCELLED:
        # The branch: the steps it went through, then Cancelled instead of Closed.
        path = (*MAIN_PATH[: MAIN_PATH.index(reached) + 1], CANCELLED)
        return LifeStage(_steps(path, CANCELLED), CANCELLED, "")

    missing: list[str] = []
    if reached == PLAN:
        if TRACKING_REASON_NO_FINAL in reasons:
            missing.append(NEEDS_FINAL_PLAN)
        missing += _approval_missing(activity)
        missing.append(NEEDS_APPROVED_STATUS.format(status=activity.get_status_display()))
        next_step = STEP_LABELS[APPROVED]
    elif reached == APPROVED:
        missing.append(NEEDS_FINAL_PLAN)
        next_step = STEP_LABELS[TRACKING]
    else:
        if not _has_summaries(activity):
            missing.append(NEEDS_SUMMARY)
        if outcome_report_missing(activity.outcome_report):
            missing.append(NEEDS_OUTCOME_REPORT)
        next_step = STEP_LABELS[CLOSED]
    return LifeStage(_steps(MAIN_PATH, reached), reached, next_step, missing)

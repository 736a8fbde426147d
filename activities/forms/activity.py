"""The TA activity form (the guide's "Creating a New TA Activity" table): create (with the
first description note, A6, the status, A7, and the A16 confirmation) and edit (C1). It
offers the goal category's TA focus areas (A1), the jurisdiction's and its region's
requesters (A4), and centers and staff (A5); `activities.services` enforces the rules.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from activities import selectors
from activities.forms._common import (
    ADDABLE_STAGES,
    BLANK_CHOICE,
    DateInput,
    TATForm,
    choices,
    requester_label,
    staff_label,
    with_current,
)
from activities.models import (
    COR_APPROVAL_HELP,
    REQUESTER_APPROVAL_HELP,
    ActivityStatus,
    ActivityType,
    Priority,
    Requester,
    RequesterApproverRole,
    TAActivity,
)
from activities.selectors import staff_for_center, staff_queryset
from activities.services import messages
from core.forms import ModelMultipleChoiceField
from reference.models import Center, CollaboratorType, FocusArea, Jurisdiction

REQUESTED_DIRECTLY_CHOICES = [
    ("yes", "Yes: the CCDF Administrator or his or her staff requested it"),
    ("no", "No: another partner requested it; the CCDF Administrator or the RPM approves it"),
]
REQUESTED_DIRECTLY_INVALID = "Choose Yes or No."
APPROVER_ROLE_INVALID = "Choose the CCDF Administrator or the Regional Program Manager (RPM)."


def requested_directly_value(answer: bool | None) -> str | None:
    """The form's value of `TAActivity.requested_by_ccdf_administrator` (None: not recorded)."""
    return None if answer is None else ("yes" if answer else "no")


def cor_name_field() -> forms.CharField:
    return forms.CharField(
        label="COR's name",
        required=False,
        max_length=150,
        help_text="Required to mark the activity approved: the contracting office "
        "representative (COR) who approved it. " + COR_APPROVAL_HELP,
    )


def cor_approval_date_field() -> forms.DateField:
    return forms.DateField(
        label="COR approval date",
        required=False,
        widget=DateInput(),
        help_text="Required to mark the activity approved: the date the COR approved it (not "
        "the date it is recorded here; not before the date opened).",
    )


class ActivityForm(TATForm):
    """Create or edit a TA activity (the guide's "Creating a New TA Activity" table).

    `jurisdiction` decides the requester list (A4); `category` the TA focus list (A1) —
    None for an on-demand activity, which offers every category's focus areas.
    """

    focus = forms.ModelChoiceField(
        label="TA focus",
        queryset=FocusArea.objects.all(),
        error_messages={"required": messages.FOCUS_REQUIRED},
    )
    other_focus_notes = forms.CharField(
        label="Other TA focus notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    date_opened = forms.DateField(
        label="Date opened",
        widget=DateInput(),
        error_messages={"required": messages.DATE_OPENED_REQUIRED},
    )
    priority = forms.ChoiceField(
        label="Priority level",
        choices=[BLANK_CHOICE, *Priority.choices],
        error_messages={"required": messages.PRIORITY_INVALID},
    )
    requesters = ModelMultipleChoiceField(
        label="Requesters",
        queryset=Requester.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"data-tat-filterable": "requesters"}),
        error_messages={"required": messages.REQUESTERS_REQUIRED},
    )
    primary_center = forms.ModelChoiceField(
        label="Primary center",
        queryset=Center.objects.all(),
        error_messages={"required": messages.PRIMARY_CENTER_REQUIRED},
    )
    primary_staff = forms.ModelChoiceField(
        label="Primary staff person",
        queryset=User.objects.all(),
        error_messages={"required": messages.PRIMARY_STAFF_REQUIRED},
    )
    collaborating_centers = ModelMultipleChoiceField(
        label="Collaborating centers",
        queryset=Center.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    collaborating_staff = ModelMultipleChoiceField(
        label="Collaborating staff",
        queryset=User.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-tat-filterable": "staff"}),
    )
    other_collaborators = ModelMultipleChoiceField(
        label="Other collaborators",
        queryset=CollaboratorType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_collaborators_details = forms.CharField(
        label="Details on other collaborators",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activity_type = forms.ChoiceField(
        label="TA activity type",
        choices=[BLANK_CHOICE, *ActivityType.choices],
        error_messages={"required": messages.ACTIVITY_TYPE_INVALID},
    )
    outcome_plan = forms.CharField(
        label="State/Territory outcome plan",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": messages.OUTCOME_PLAN_REQUIRED},
    )
    # A7: approvals on record (the guide, "Requesters"); the service decides what is required.
    requested_by_ccdf_administrator = forms.TypedChoiceField(
        label="Requested directly by the CCDF Administrator or his or her staff?",
        choices=REQUESTED_DIRECTLY_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=REQUESTER_APPROVAL_HELP,
        error_messages={"invalid_choice": REQUESTED_DIRECTLY_INVALID},
    )
    requester_approver_role = forms.ChoiceField(
        label="Approved by",
        choices=[BLANK_CHOICE, *RequesterApproverRole.choices],
        required=False,
        help_text="Only when the answer above is No: the CCDF Administrator or the RPM who "
        "approved the activity. Required before the activity can be marked approved.",
        error_messages={"invalid_choice": APPROVER_ROLE_INVALID},
    )
    requester_approver_name = forms.CharField(
        label="Approver's name",
        required=False,
        max_length=150,
        help_text="Only when the answer above is No: the approver's full name.",
    )
    requester_approval_date = forms.DateField(
        label="Date approved",
        required=False,
        widget=DateInput(),
        help_text="Only when the answer above is No: the date the CCDF Administrator or the "
        "RPM approved the activity (not before the date opened).",
    )

    def __init__(
        self,
        *args: Any,
        jurisdiction: Jurisdiction,
        category: Any = None,
        activity: TAActivity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction
        self.category = category
        self.activity = activity
        current = activity if activity is not None and activity.pk else None

        # A1: the category's TA focus areas and "Other"; on-demand: every category's.
        focus_qs = FocusArea.objects.filter(active=True).select_related("category")
        if category is not None:
            focus_qs = focus_qs.filter(Q(category=category) | Q(is_other=True))
        focus_items = with_current(
            focus_qs.in_offer_order(),
            [current.focus] if current else [],
        )
        self.other_focus = next((item for item in focus_items if item.is_other), None)
        self.fields["focus"].widget.choices = self._focus_choices(focus_items, category)
        if self.other_focus is not None:
            self.fields["focus"].widget.attrs.update(
                {
                    "data-tat-other-value": str(self.other_focus.pk),
                    "aria-controls": self["other_focus_notes"].auto_id,
                }
            )

        # A4: the jurisdiction's and its region's contacts.
        requester_items = with_current(
            selectors.requesters_for_jurisdiction(jurisdiction),
            current.requesters.all() if current else [],
        )
        self.fields["requesters"].widget.choices = choices(requester_items, requester_label)

        # A5: centers and staff; the primary staff list follows the chosen center.
        centers = with_current(
            Center.objects.filter(active=True),
            ([current.primary_center] + list(current.collaborating_centers.all()))
            if current
            else [],
        )
        self.fields["primary_center"].widget.choices = [BLANK_CHOICE, *choices(centers)]
        self.fields["primary_center"].widget.attrs.update(
            {
                "hx-get": reverse("activities:staff_options"),
                "hx-target": f"#{self['primary_staff'].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "aria-controls": self["primary_staff"].auto_id,
            }
        )
        self.fields["collaborating_centers"].widget.choices = choices(centers)
        chosen_center = self.chosen_center()
        primary_staff_items = with_current(
            staff_for_center(chosen_center),
            [current.primary_staff]
            if current and current.primary_center_id == getattr(chosen_center, "pk", None)
            else [],
        )
        self.fields["primary_staff"].widget.choices = [
            (
                "",
                "- Select -" if chosen_center else "- Choose the primary center first -",
            ),
            *choices(primary_staff_items, lambda person: person.full_name),
        ]
        staff_items = with_current(
            staff_queryset(), current.collaborating_staff.all() if current else []
        )
        self.fields["collaborating_staff"].widget.choices = choices(staff_items, staff_label)

        collaborator_items = with_current(
            CollaboratorType.objects.filter(active=True),
            current.other_collaborators.all() if current else [],
        )
        self.fields["other_collaborators"].widget.choices = choices(collaborator_items)

    @staticmethod
    def _focus_choices(items: list[FocusArea], category: Any) -> list[Any]:
        if category is not None:
            return [BLANK_CHOICE, *choices(items)]
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        other: list[tuple[str, str]] = []
        for item in items:
            if item.is_other or item.category_id is None:
                other.append((str(item.pk), item.name))
            else:
                groups[str(item.category)].append((str(item.pk), item.name))
        return [BLANK_CHOICE, *groups.items(), *other]

    def chosen_center(self) -> Center | None:
        """The primary center as submitted (or as initially set), for the staff list."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("primary_center"))
        else:
            value = self.initial.get("primary_center")
            value = getattr(value, "pk", value)
        if not value:
            return None
        return selectors.center_by_id(value)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "focus": data["focus"],
            "other_focus_notes": data["other_focus_notes"],
            "date_opened": data["date_opened"],
            "priority": data["priority"],
            "activity_type": data["activity_type"],
            "requesters": list(data["requesters"]),
            "primary_center": data["primary_center"],
            "primary_staff": data["primary_staff"],
            "collaborating_centers": list(data["collaborating_centers"]),
            "collaborating_staff": list(data["collaborating_staff"]),
            "other_collaborators": list(data["other_collaborators"]),
            "other_collaborators_details": data["other_collaborators_details"],
            "outcome_plan": data["outcome_plan"],
            "requested_by_ccdf_administrator": data["requested_by_ccdf_administrator"],
            "requester_approver_role": data["requester_approver_role"],
            "requester_approver_name": data["requester_approver_name"],
            "requester_approval_date": data["requester_approval_date"],
        }


class ActivityCreateForm(ActivityForm):
    """A new activity also takes its first description note (A6) and its status (A7)."""

    description_stage = forms.ChoiceField(
        label="TA activity description type",
        choices=[("", "- No description note yet -"), *ADDABLE_STAGES],
        required=False,
    )
    description_notes = forms.CharField(
        label="TA activity description notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    status = forms.ChoiceField(
        label="TA activity status",
        choices=ActivityStatus.choices,
        initial=ActivityStatus.PLANNING,
        error_messages={"required": messages.STATUS_INVALID},
    )
    cor_name = cor_name_field()
    cor_approval_date = cor_approval_date_field()
    confirm_separate = forms.BooleanField(
        label=(
            "I have reviewed the open TA activity above; the new work cannot be part of it "
            "and needs a separate activity."
        ),
        required=False,
    )

    field_order = [
        "focus",
        "other_focus_notes",
        "date_opened",
        "priority",
        "requesters",
        "requested_by_ccdf_administrator",
        "requester_approver_role",
        "requester_approver_name",
        "requester_approval_date",
        "primary_center",
        "primary_staff",
        "collaborating_centers",
        "collaborating_staff",
        "other_collaborators",
        "other_collaborators_details",
        "description_stage",
        "description_notes",
        "activity_type",
        "status",
        "cor_name",
        "cor_approval_date",
        "outcome_plan",
        "confirm_separate",
    ]

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        stage = self.cleaned_data["description_stage"]
        text = self.cleaned_data["description_notes"]
        fields["description_notes"] = [(stage, text)] if (stage or text.strip()) else []
        fields["status"] = self.cleaned_data["status"]
        fields["cor_name"] = self.cleaned_data["cor_name"]
        fields["cor_approval_date"] = self.cleaned_data["cor_approval_date"]
        fields["join_existing_confirmed"] = self.cleaned_data["confirm_separate"]
        return fields


class ActivityEditForm(ActivityForm):
    """Edit an activity's fields; `version` is the version the person started from (C1)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

"""Forms of the TA activity pages. They check the shape of the input only (a date is a
date, a choice is on its list); every rule (A1–A16) is enforced by `activities.services`,
whose errors the views put back on these forms, at the field they name.

A required field's "required" message is the service's own message, so a person reads the
same sentence whichever layer noticed the gap first.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from accounts.models import User
from activities import selectors, services
from activities.models import (
    ActivityStatus,
    ActivityType,
    DeliverySummary,
    DescriptionNote,
    PlanStage,
    Priority,
    Requester,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from core.forms import ModelMultipleChoiceField
from goals.models import StrategicArea
from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FocusArea,
    Jurisdiction,
    TAType,
)

BLANK_CHOICE = ("", "- Select -")
ADDABLE_STAGES = [
    (PlanStage.INITIAL.value, PlanStage.INITIAL.label),
    (PlanStage.INTERMEDIATE.value, PlanStage.INTERMEDIATE.label),
    (PlanStage.FINAL.value, PlanStage.FINAL.label),
]
# The new-requester fields inside the activity form carry this prefix.
REQUESTER_PREFIX = "new_requester"


class DateInput(forms.DateInput):
    """A native date picker: browsers show it localized, the value is ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TATForm(forms.Form):
    """Our forms leave "required" to the server, so the error summary (not a browser
    bubble) tells what is missing."""

    use_required_attribute = False


def staff_queryset() -> QuerySet[User]:
    """People who can be primary or collaborating staff: active center staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_ta_staff=True) | Q(is_center_lead=True) | Q(is_sss=True))
        .select_related("center")
        .order_by("full_name", "pk")
    )


def staff_for_center(center: Center | None) -> QuerySet[User]:
    """The primary staff list follows the primary center (A5)."""
    if center is None:
        return User.objects.none()
    return staff_queryset().filter(center=center)


def _choices(items: Any, label: Any = str) -> list[tuple[str, str]]:
    return [(str(item.pk), label(item)) for item in items]


def _with_current(queryset: QuerySet, current: Any) -> list[Any]:
    """The offered items plus those already on the record (deactivated items stay)."""
    items = list(queryset)
    offered = {item.pk for item in items}
    items += [item for item in current if item.pk not in offered]
    return items


def _staff_label(person: User) -> str:
    center = f" ({person.center.code})" if person.center_id else ""
    return f"{person.full_name}{center}"


def _requester_label(requester: Requester) -> str:
    place = requester.jurisdiction or (requester.region and requester.region.short_name) or ""
    title = f", {requester.title}" if requester.title else ""
    return f"{requester.name}{title} — {place} ({requester.email})"


class ActivityForm(TATForm):
    """Create or edit a TA activity (the guide's "Creating a New TA Activity" table).

    `jurisdiction` decides the requester list (A4); `category` the TA focus list (A1) —
    None for an on-demand activity, which offers every category's focus areas.
    """

    focus = forms.ModelChoiceField(
        label="TA focus",
        queryset=FocusArea.objects.all(),
        error_messages={"required": services.FOCUS_REQUIRED},
    )
    other_focus_notes = forms.CharField(
        label="Other TA focus notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    date_opened = forms.DateField(
        label="Date opened",
        widget=DateInput(),
        error_messages={"required": services.DATE_OPENED_REQUIRED},
    )
    priority = forms.ChoiceField(
        label="Priority level",
        choices=[BLANK_CHOICE, *Priority.choices],
        error_messages={"required": services.PRIORITY_INVALID},
    )
    requesters = ModelMultipleChoiceField(
        label="Requesters",
        queryset=Requester.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"data-tat-filterable": "requesters"}),
        error_messages={"required": services.REQUESTERS_REQUIRED},
    )
    primary_center = forms.ModelChoiceField(
        label="Primary center",
        queryset=Center.objects.all(),
        error_messages={"required": services.PRIMARY_CENTER_REQUIRED},
    )
    primary_staff = forms.ModelChoiceField(
        label="Primary staff person",
        queryset=User.objects.all(),
        error_messages={"required": services.PRIMARY_STAFF_REQUIRED},
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
        error_messages={"required": services.ACTIVITY_TYPE_INVALID},
    )
    outcome_plan = forms.CharField(
        label="State/Territory outcome plan",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.OUTCOME_PLAN_REQUIRED},
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
        focus_items = _with_current(
            focus_qs.order_by("category__number", "is_other", "sort_order", "name"),
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
        requester_items = _with_current(
            selectors.requesters_for_jurisdiction(jurisdiction),
            current.requesters.all() if current else [],
        )
        self.fields["requesters"].widget.choices = _choices(requester_items, _requester_label)

        # A5: centers and staff; the primary staff list follows the chosen center.
        centers = _with_current(
            Center.objects.filter(active=True),
            ([current.primary_center] + list(current.collaborating_centers.all()))
            if current
            else [],
        )
        self.fields["primary_center"].widget.choices = [BLANK_CHOICE, *_choices(centers)]
        self.fields["primary_center"].widget.attrs.update(
            {
                "hx-get": reverse("activities:staff_options"),
                "hx-target": f"#{self['primary_staff'].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "aria-controls": self["primary_staff"].auto_id,
            }
        )
        self.fields["collaborating_centers"].widget.choices = _choices(centers)
        chosen_center = self.chosen_center()
        primary_staff_items = _with_current(
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
            *_choices(primary_staff_items, lambda person: person.full_name),
        ]
        staff_items = _with_current(
            staff_queryset(), current.collaborating_staff.all() if current else []
        )
        self.fields["collaborating_staff"].widget.choices = _choices(staff_items, _staff_label)

        collaborator_items = _with_current(
            CollaboratorType.objects.filter(active=True),
            current.other_collaborators.all() if current else [],
        )
        self.fields["other_collaborators"].widget.choices = _choices(collaborator_items)

    @staticmethod
    def _focus_choices(items: list[FocusArea], category: Any) -> list[Any]:
        if category is not None:
            return [BLANK_CHOICE, *_choices(items)]
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
        try:
            return Center.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

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
        error_messages={"required": services.STATUS_INVALID},
    )
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
        "outcome_plan",
        "confirm_separate",
    ]

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        stage = self.cleaned_data["description_stage"]
        text = self.cleaned_data["description_notes"]
        fields["description_notes"] = [(stage, text)] if (stage or text.strip()) else []
        fields["status"] = self.cleaned_data["status"]
        fields["join_existing_confirmed"] = self.cleaned_data["confirm_separate"]
        return fields


class ActivityEditForm(ActivityForm):
    """Edit an activity's fields; `version` is the version the person started from (C1)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class RequesterForm(TATForm):
    """Add a new requester (A4): a contact of the State/Territory or of its region."""

    PLACE_JURISDICTION = "jurisdiction"
    PLACE_REGION = "region"

    name = forms.CharField(
        label="Requester's name",
        max_length=150,
        error_messages={"required": services.REQUESTER_NAME_REQUIRED},
    )
    title = forms.CharField(label="Title", max_length=150, required=False)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={"required": services.REQUESTER_EMAIL_REQUIRED},
    )
    place = forms.ChoiceField(
        label="Contact of",
        widget=forms.RadioSelect,
        error_messages={"required": services.REQUESTER_PLACE_REQUIRED},
    )
    approved_by = forms.ChoiceField(
        label="Approved by",
        choices=Requester.ApprovedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.REQUESTER_APPROVAL_REQUIRED},
    )
    approved_by_name = forms.CharField(
        label="Approver's name",
        max_length=150,
        required=False,
        help_text="Name of the CCDF Administrator or RPM who approved adding this requester.",
    )

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", REQUESTER_PREFIX)
        super().__init__(*args, **kwargs)
        self.jurisdiction = jurisdiction
        self.fields["place"].choices = [
            (self.PLACE_JURISDICTION, jurisdiction.name),
            (self.PLACE_REGION, f"{jurisdiction.region.short_name} (regional contact)"),
        ]
        self.fields["place"].initial = self.PLACE_JURISDICTION

    def has_input(self) -> bool:
        """Whether any of the requester fields was filled in."""
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("name", "title", "email", "approved_by_name")
        )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        in_region = data["place"] == self.PLACE_REGION
        return {
            "name": data["name"],
            "title": data["title"],
            "email": data["email"],
            "jurisdiction": None if in_region else self.jurisdiction,
            "region": self.jurisdiction.region if in_region else None,
            "approved_by": data["approved_by"],
            "approved_by_name": data["approved_by_name"],
        }


class DescriptionNoteForm(TATForm):
    """A6: a TA activity description note at a plan stage."""

    stage = forms.ChoiceField(
        label="TA activity description type",
        choices=[BLANK_CHOICE, *ADDABLE_STAGES],
        error_messages={"required": services.STAGE_INVALID},
    )
    note_date = forms.DateField(label="Date", widget=DateInput(), required=False)
    text = forms.CharField(
        label="TA activity description notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": services.NOTE_TEXT_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)


class StatusForm(TATForm):
    """A7: move the TA activity status (approved records who and when)."""

    status = forms.ChoiceField(
        label="New TA activity status",
        widget=forms.RadioSelect,
        error_messages={"required": services.STATUS_INVALID},
    )
    reason = forms.CharField(
        label="Reason or comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, activity: TAActivity, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        allowed = services.STATUS_TRANSITIONS.get(activity.status, frozenset())
        self.fields["status"].choices = [
            (value, label) for value, label in ActivityStatus.choices if value in allowed
        ]
        self.fields["version"].initial = activity.version


class SummaryForm(TATForm):
    """A10: a summary of TA delivered."""

    delivery_date = forms.DateField(
        label="Delivery date",
        widget=DateInput(),
        help_text="The date the TA was delivered; the summary is due within 10 business days "
        "of it or by the last day of that month, whichever comes first.",
        error_messages={"required": services.DELIVERY_DATE_REQUIRED},
    )
    text = forms.CharField(
        label="Summary of TA delivered",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.NOTE_TEXT_REQUIRED},
    )
    delivery_methods = ModelMultipleChoiceField(
        label="TA delivery methods",
        queryset=DeliveryMethod.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ta_types = ModelMultipleChoiceField(
        label="TA types",
        queryset=TAType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, note: DeliverySummary | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "summary")
        super().__init__(*args, **kwargs)
        methods = note.delivery_methods.all() if note else []
        types = note.ta_types.all() if note else []
        self.fields["delivery_methods"].widget.choices = _choices(
            _with_current(DeliveryMethod.objects.filter(active=True), methods)
        )
        self.fields["ta_types"].widget.choices = _choices(
            _with_current(TAType.objects.filter(active=True), types)
        )


class FeedbackForm(TATForm):
    """A11: requester feedback or a closing comment."""

    feedback_date = forms.DateField(
        label="Date received",
        widget=DateInput(),
        error_messages={"required": services.FEEDBACK_DATE_REQUIRED},
    )
    giver_name = forms.CharField(
        label="Full name of the person giving the feedback",
        max_length=150,
        error_messages={"required": services.GIVER_NAME_REQUIRED},
    )
    giver_title = forms.CharField(
        label="Their title or role",
        max_length=150,
        error_messages={"required": services.GIVER_TITLE_REQUIRED},
    )
    text = forms.CharField(
        label="Requester feedback/closing comments",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.NOTE_TEXT_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "feedback")
        super().__init__(*args, **kwargs)


class ResponseNoteForm(TATForm):
    """A14: a TA response note (author and time are captured automatically)."""

    note_date = forms.DateField(
        label="Date of the work",
        widget=DateInput(),
        required=False,
        help_text="Leave empty for today.",
    )
    text = forms.CharField(
        label="TA response note",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.NOTE_TEXT_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "response")
        super().__init__(*args, **kwargs)


class OutcomeReportForm(TATForm):
    """The outcome report on the tracking tab (tracking data, A9)."""

    outcome_report = forms.CharField(
        label="State/Territory outcome report",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "outcome")
        super().__init__(*args, **kwargs)


class CloseForm(TATForm):
    """A12: close an activity — the guide's closing checklist ends here."""

    completion_date = forms.DateField(
        label="Completion date",
        widget=DateInput(),
        error_messages={"required": services.COMPLETION_DATE_REQUIRED},
    )
    outcome_report = forms.CharField(
        label="State/Territory outcome report",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": services.OUTCOME_REPORT_REQUIRED},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(TATForm):
    """Cancel (A12) or reopen (A13): a reason is required."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": services.REASON_REQUIRED},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class JoinForm(TATForm):
    """A16: join an open activity instead of adding a second one."""

    note = forms.CharField(
        label="Note for the TA response notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example what your center will contribute. Recorded as a TA response "
        "note by you.",
    )


# --- Editing a note (its author or an administrator) ----------------------------------------

NOTE_KINDS: dict[str, type] = {
    "plan": DescriptionNote,
    "summary": DeliverySummary,
    "feedback": RequesterFeedback,
    "response": ResponseNote,
}


class NoteEditForm(TATForm):
    note_date = forms.DateField(
        label="Date",
        widget=DateInput(),
        error_messages={"required": services.NOTE_DATE_REQUIRED},
    )
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": services.NOTE_TEXT_REQUIRED},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryEditForm(NoteEditForm, SummaryForm):
    delivery_date = None  # the note's own date field is the delivery date

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note_date"].label = "Delivery date"
        self.fields["note_date"].error_messages["required"] = services.DELIVERY_DATE_REQUIRED
        self.fields["text"].label = "Summary of TA delivered"

    def extra_fields(self) -> dict[str, Any]:
        return {
            "delivery_methods": list(self.cleaned_data["delivery_methods"]),
            "ta_types": list(self.cleaned_data["ta_types"]),
        }


class FeedbackEditForm(NoteEditForm):
    giver_name = FeedbackForm.base_fields["giver_name"]
    giver_title = FeedbackForm.base_fields["giver_title"]
    field_order = ["note_date", "giver_name", "giver_title", "text", "version"]

    def extra_fields(self) -> dict[str, Any]:
        return {
            "giver_name": self.cleaned_data["giver_name"],
            "giver_title": self.cleaned_data["giver_title"],
        }


def note_edit_form_class(kind: str) -> type[NoteEditForm]:
    return {"summary": SummaryEditForm, "feedback": FeedbackEditForm}.get(kind, NoteEditForm)


def strategic_area_label(strategic_area: StrategicArea) -> str:
    return f"{strategic_area.goal.category} — {strategic_area.item.name}"

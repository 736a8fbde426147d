"""The forms of the record page's actions: description notes (A6), status (A7), summaries
(A10), feedback (A11), response notes (A14), outcome report (A9), closing, cancelling and
reopening (A12, A13), joining (A16), and correcting a note (its author or an administrator,
C1). They check the shape of the input only; the services enforce the rules.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.urls import reverse

from activities.forms._common import (
    ADDABLE_STAGES,
    BLANK_CHOICE,
    DateInput,
    TATForm,
    choices,
    with_current,
)
from activities.forms.activity import cor_approval_date_field, cor_name_field
from activities.models import (
    ActivityStatus,
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from activities.services import messages
from activities.services.status import STATUS_TRANSITIONS
from core.forms import ModelMultipleChoiceField
from reference.models import DeliveryMethod, TAType

# R2: the note's text is checked as it is written (htmx, after typing stops and on leaving
# the field); the findings go into the aria-live region `activities/_doc_findings.html`
# renders next to the field. The page's <form> adds {"activity": pk} through `hx-vals`.
DOCUMENTATION_CHECK_TRIGGER = "blur, keyup changed delay:800ms"


class DocumentationChecksMixin:
    """Adds the R2 live-check attributes to the form's `text` field."""

    documentation_kind = ""  # "plan", "summary", "feedback", "response" ("" = from the page)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound = self["text"]  # type: ignore[index]
        trigger = DOCUMENTATION_CHECK_TRIGGER
        if self.documentation_kind in ("summary", "feedback"):
            # the delivery methods, TA types and the giver's name are checked too
            trigger += ", change from:closest form"
        if bound.value():
            trigger = "load, " + trigger  # a text already there (an edit, a re-shown form)
        values = {"prefix": self.prefix or ""}  # type: ignore[attr-defined]
        if self.documentation_kind:
            values["kind"] = self.documentation_kind
        bound.field.widget.attrs.update(
            {
                "hx-post": reverse("activities:documentation_checks"),
                "hx-trigger": trigger,
                "hx-target": f"#{bound.auto_id}-findings",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                "hx-vals": json.dumps(values),
            }
        )


class DescriptionNoteForm(DocumentationChecksMixin, TATForm):
    """A6: a TA activity description note at a plan stage."""

    documentation_kind = "plan"

    stage = forms.ChoiceField(
        label="TA activity description type",
        choices=[BLANK_CHOICE, *ADDABLE_STAGES],
        error_messages={"required": messages.STAGE_INVALID},
    )
    note_date = forms.DateField(label="Date", widget=DateInput(), required=False)
    text = forms.CharField(
        label="TA activity description notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": messages.NOTE_TEXT_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)


class StatusForm(TATForm):
    """A7: move the TA activity status; approved records the COR's name and approval date
    (required by the service when the new status is approved)."""

    status = forms.ChoiceField(
        label="New TA activity status",
        widget=forms.RadioSelect,
        error_messages={"required": messages.STATUS_INVALID},
    )
    cor_name = cor_name_field()
    cor_approval_date = cor_approval_date_field()
    reason = forms.CharField(
        label="Reason or comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, activity: TAActivity, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(activity.status, frozenset())
        self.fields["status"].choices = [
            (value, label) for value, label in ActivityStatus.choices if value in allowed
        ]
        self.fields["version"].initial = activity.version
        if ActivityStatus.APPROVED not in allowed:  # the COR's approval is asked for approval only
            del self.fields["cor_name"]
            del self.fields["cor_approval_date"]

    @property
    def status_values(self) -> list[str]:
        """The statuses offered (the template asks for the COR's approval when "approved" is
        among them)."""
        return [value for value, _ in self.fields["status"].choices]


class SummaryForm(DocumentationChecksMixin, TATForm):
    """A10: a summary of TA delivered."""

    documentation_kind = "summary"

    delivery_date = forms.DateField(
        label="Delivery date",
        widget=DateInput(),
        help_text="The date the TA was delivered; the summary is due within 10 business days "
        "of it or by the last day of that month, whichever comes first.",
        error_messages={"required": messages.DELIVERY_DATE_REQUIRED},
    )
    text = forms.CharField(
        label="Summary of TA delivered",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": messages.NOTE_TEXT_REQUIRED},
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
        self.fields["delivery_methods"].widget.choices = choices(
            with_current(DeliveryMethod.objects.filter(active=True), methods)
        )
        self.fields["ta_types"].widget.choices = choices(
            with_current(TAType.objects.filter(active=True), types)
        )


class FeedbackForm(DocumentationChecksMixin, TATForm):
    """A11: requester feedback or a closing comment."""

    documentation_kind = "feedback"

    feedback_date = forms.DateField(
        label="Date received",
        widget=DateInput(),
        error_messages={"required": messages.FEEDBACK_DATE_REQUIRED},
    )
    giver_name = forms.CharField(
        label="Full name of the person giving the feedback",
        max_length=150,
        error_messages={"required": messages.GIVER_NAME_REQUIRED},
    )
    giver_title = forms.CharField(
        label="Their title or role",
        max_length=150,
        error_messages={"required": messages.GIVER_TITLE_REQUIRED},
    )
    text = forms.CharField(
        label="Requester feedback/closing comments",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": messages.NOTE_TEXT_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "feedback")
        super().__init__(*args, **kwargs)


class ResponseNoteForm(DocumentationChecksMixin, TATForm):
    """A14: a TA response note (author and time are captured automatically)."""

    documentation_kind = "response"

    note_date = forms.DateField(
        label="Date of the work",
        widget=DateInput(),
        required=False,
        help_text="Leave empty for today.",
    )
    text = forms.CharField(
        label="TA response note",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": messages.NOTE_TEXT_REQUIRED},
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
        error_messages={"required": messages.COMPLETION_DATE_REQUIRED},
    )
    outcome_report = forms.CharField(
        label="State/Territory outcome report",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": messages.OUTCOME_REPORT_REQUIRED},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(TATForm):
    """Cancel (A12) or reopen (A13): a reason is required."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": messages.REASON_REQUIRED},
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


class NoteEditForm(DocumentationChecksMixin, TATForm):
    note_date = forms.DateField(
        label="Date",
        widget=DateInput(),
        error_messages={"required": messages.NOTE_DATE_REQUIRED},
    )
    text = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": messages.NOTE_TEXT_REQUIRED},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryEditForm(NoteEditForm, SummaryForm):
    delivery_date = None  # the note's own date field is the delivery date

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note_date"].label = "Delivery date"
        self.fields["note_date"].error_messages["required"] = messages.DELIVERY_DATE_REQUIRED
        self.fields["text"].label = "Summary of TA delivered"

    def extra_fields(self) -> dict[str, Any]:
        return {
            "delivery_methods": list(self.cleaned_data["delivery_methods"]),
            "ta_types": list(self.cleaned_data["ta_types"]),
        }


class FeedbackEditForm(NoteEditForm):
    documentation_kind = "feedback"
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

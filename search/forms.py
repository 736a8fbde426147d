"""The search form (S1): validates the criteria in the URL's query string.

A malformed value (a date such as 2026-02-30, a record number with letters, an id that
names nothing) becomes an error on its field; the page never fails with a 500. Criteria
that are well formed but contradict each other are explained by `search.contradictions`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q

from accounts.models import User
from activities.models import ActivityStatus, ActivityType, CompletionStatus
from reference.models import (
    Center,
    CollaboratorType,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
)
from search import fulltext
from search.criteria import (
    CRITERION_LABELS,
    REQUESTED_DIRECTLY_CHOICES,
    DateRange,
    SearchCriteria,
    describe_value,
    parse_record_number,
    record_number,
)
from search.widgets import FastModelChoiceField, FastSelect

RECORD_NUMBER_INVALID = "Enter a TA record number such as TA-000123 or 123."
CHOICE_INVALID = "Choose {what} from the list; the value in the address is not one of them."
DATE_INVALID = "Enter a real date as YYYY-MM-DD or MM/DD/YYYY (for example 2026-02-28)."
STRATEGIC_AREA_NEEDS_CATEGORY = (
    "Choose a goal category first: a strategic area is searched within its goal category."
)
TEXT_NO_WORDS = "Enter at least one word (letters or numbers) to search the notes for."

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]

# (criterion, from-field, to-field) of the date ranges, in the guide's order.
# The guide's "TA response note" and "Summary of TA delivered" ranges search the date a
# note was entered (`response_entered_*`, `summary_entered_*`). `response_*` and
# `summary_*` keep what they meant in every saved search and link made before: the date
# of the response note and the summary's delivery date (docs/adr/0006-…-entry-date.md).
DATE_RANGES = (
    ("date_opened", "opened_from", "opened_to"),
    ("date_closed", "closed_from", "closed_to"),
    ("response_note_entered", "response_entered_from", "response_entered_to"),
    ("summary_entered", "summary_entered_from", "summary_entered_to"),
    ("response_note_date", "response_from", "response_to"),
    ("summary_date", "summary_from", "summary_to"),
    ("cor_approval_date", "cor_approved_from", "cor_approved_to"),
)

# criterion → the query-string parameters that carry it (for removable chips).
CRITERION_PARAMS: dict[str, tuple[str, ...]] = {
    "record": ("record",),
    "jurisdiction": ("jurisdiction",),
    "region": ("region",),
    "category": ("category", "strategic_area"),
    "strategic_area": ("strategic_area",),
    "focus": ("focus",),
    "primary_center": ("primary_center",),
    "collaborating_center": ("collaborating_center",),
    "staff": ("staff",),
    "activity_type": ("activity_type",),
    "status": ("status",),
    "completion_status": ("completion_status",),
    "other_collaborator": ("other_collaborator",),
    "requested_directly": ("requested_directly",),
    "cor_name": ("cor_name",),
    **{name: (start, end) for name, start, end in DATE_RANGES},
    "text": ("q",),
}


def _choice(
    queryset: Any,
    label: str,
    what: str,
    label_fields: tuple[str, ...] = ("name",),
    row_label: Any = None,
    data_field: str = "",
    empty_label: str = "Any",
) -> FastModelChoiceField:
    return FastModelChoiceField(
        queryset,
        label_fields=label_fields,
        row_label=row_label,
        data_field=data_field,
        required=False,
        label=label,
        empty_label=empty_label,
        error_messages={"invalid_choice": CHOICE_INVALID.format(what=what)},
    )


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID},
    )


# The filters other pages share with the search (the dashboard, the compliance report): one
# definition of each field, so their labels, lists and errors are the search page's.
def region_field(empty_label: str = "Any") -> FastModelChoiceField:
    return _choice(
        Region.objects.all(),
        "Region",
        "one region",
        label_fields=("numeral", "city"),
        row_label=lambda v: f"Region {v[0]} ({v[1]})",
        empty_label=empty_label,
    )


def jurisdiction_field(empty_label: str = "Any") -> FastModelChoiceField:
    return _choice(
        Jurisdiction.objects.select_related("region"),
        "State or Territory",
        "one State or Territory",
        empty_label=empty_label,
    )


def category_field(empty_label: str = "Any") -> FastModelChoiceField:
    return _choice(
        GoalCategory.objects.all(),
        "Goal category or related goal category",
        "a goal category",
        label_fields=("number", "name"),
        row_label=lambda v: f"{v[0]}. {v[1]}",
        empty_label=empty_label,
    )


def primary_center_field(empty_label: str = "Any") -> FastModelChoiceField:
    return _choice(
        Center.objects.all(),
        "Primary center",
        "one center",
        label_fields=("name", "code"),
        row_label=lambda v: f"{v[0]} ({v[1]})",
        empty_label=empty_label,
    )


date_field = _date


def _enum(choices: list[tuple[str, str]], label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "Any"), *choices],
        required=False,
        label=label,
        widget=FastSelect(),
        error_messages={"invalid_choice": CHOICE_INVALID.format(what=what)},
    )


def staff_queryset():
    """People who can be primary or collaborating staff on an activity."""
    return User.objects.filter(Q(is_ta_staff=True) | Q(is_center_lead=True) | Q(is_sss=True)).only(
        "id", "full_name", "email"
    )


class SearchForm(forms.Form):
    record = forms.CharField(
        label="TA record number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    jurisdiction = jurisdiction_field()
    region = region_field()
    category = category_field()
    strategic_area = _choice(
        StrategicAreaItem.objects.select_related("category").order_by(
            "category__number", "sort_order", "name"
        ),
        "Strategic area",
        "a strategic area",
        data_field="category_id",
    )
    focus = _choice(
        FocusArea.objects.in_offer_order(),
        "TA focus",
        "a TA focus",
        label_fields=("name", "category__number"),
        row_label=lambda v: f"{v[0]} (category {v[1]})" if v[1] else v[0],
    )
    primary_center = primary_center_field()
    collaborating_center = _choice(
        Center.objects.all(),
        "Collaborating center",
        "one center",
        label_fields=("name", "code"),
        row_label=lambda v: f"{v[0]} ({v[1]})",
    )
    staff = _choice(
        staff_queryset().order_by("full_name", "email"),
        "Primary or collaborating staff",
        "a staff member",
        label_fields=("full_name", "email"),
        row_label=lambda v: v[0] or v[1],
    )
    activity_type = _enum(ActivityType.choices, "TA activity type", "a TA activity type")
    status = _enum(ActivityStatus.choices, "TA activity status", "a TA activity status")
    completion_status = _enum(CompletionStatus.choices, "Completion status", "a completion status")
    other_collaborator = _choice(
        CollaboratorType.objects.all(),
        "Other collaborators",
        "an other-collaborator type",
    )
    opened_from = _date("Date opened: from")
    opened_to = _date("Date opened: to")
    closed_from = _date("Date closed: from")
    closed_to = _date("Date closed: to")
    response_entered_from = _date("TA response note, date entered: from")
    response_entered_to = _date("TA response note, date entered: to")
    summary_entered_from = _date("Summary of TA delivered, date entered: from")
    summary_entered_to = _date("Summary of TA delivered, date entered: to")
    response_from = _date("TA response note, date of the note: from")
    response_to = _date("TA response note, date of the note: to")
    summary_from = _date("Summary of TA delivered, delivery date: from")
    summary_to = _date("Summary of TA delivered, delivery date: to")
    requested_directly = _enum(
        REQUESTED_DIRECTLY_CHOICES,
        "Requested directly by the CCDF Administrator or staff",
        "yes, no or not recorded",
    )
    cor_name = forms.CharField(label="COR's name contains", required=False, max_length=150)
    cor_approved_from = _date("COR approval date: from")
    cor_approved_to = _date("COR approval date: to")
    q = forms.CharField(label="Words in notes", required=False, max_length=200)

    def clean_record(self) -> int | None:
        raw = self.cleaned_data.get("record", "")
        if not raw.strip():
            return None
        number = parse_record_number(raw)
        if number is None:
            raise forms.ValidationError(RECORD_NUMBER_INVALID)
        return number

    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data.get("q", "").split())
        if text and not fulltext.words(text):
            raise forms.ValidationError(TEXT_NO_WORDS)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("strategic_area")
            and not data.get("category")
            and "category" not in self.errors
        ):
            self.add_error("strategic_area", STRATEGIC_AREA_NEEDS_CATEGORY)
        return data

    def criteria(self) -> SearchCriteria:
        """The validated criteria; call only when the form is valid."""
        data = self.cleaned_data
        ranges = {
            name: DateRange(data.get(start), data.get(end)) for name, start, end in DATE_RANGES
        }
        return SearchCriteria(
            record=data.get("record"),
            jurisdiction=data.get("jurisdiction"),
            region=data.get("region"),
            category=data.get("category"),
            strategic_area=data.get("strategic_area"),
            focus=data.get("focus"),
            primary_center=data.get("primary_center"),
            collaborating_center=data.get("collaborating_center"),
            staff=data.get("staff"),
            activity_type=data.get("activity_type", ""),
            status=data.get("status", ""),
            completion_status=data.get("completion_status", ""),
            other_collaborator=data.get("other_collaborator"),
            requested_directly=data.get("requested_directly", ""),
            cor_name=" ".join(data.get("cor_name", "").split()),
            text=data.get("q", ""),
            **ranges,
        )


def criteria_query_string(criteria: SearchCriteria) -> str:
    """The canonical query string of some criteria (saved searches, links)."""
    return urlencode(_criteria_params(criteria))


def _criteria_params(criteria: SearchCriteria) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for name in CRITERION_LABELS:
        value = getattr(criteria, name)
        if not value:
            continue
        if isinstance(value, DateRange):
            _, start, end = next(r for r in DATE_RANGES if r[0] == name)
            if value.start:
                params.append((start, value.start.isoformat()))
            if value.end:
                params.append((end, value.end.isoformat()))
        elif name == "record":
            params.append(("record", record_number(value)))
        elif name == "text":
            params.append(("q", value))
        elif hasattr(value, "pk"):
            params.append((name, str(value.pk)))
        else:
            params.append((name, str(value)))
    return params


def criteria_chips(criteria: SearchCriteria, extra: dict[str, str]) -> list[dict[str, str]]:
    """The active criteria as removable chips: a label, a value and the URL without it.

    `extra` holds the non-criterion parameters to keep (the sort order); the page number
    is dropped because removing a criterion changes the results.
    """
    params = _criteria_params(criteria)
    chips = []
    for name, label in CRITERION_LABELS.items():
        value = getattr(criteria, name)
        if not value:
            continue
        dropped = set(CRITERION_PARAMS[name])  # removing the category removes its area too
        kept = [(key, val) for key, val in params if key not in dropped]
        kept.extend(extra.items())
        chips.append(
            {
                "name": name,
                "label": label,
                "value": describe_value(name, value),
                "remove_query": urlencode(kept),
            }
        )
    return chips

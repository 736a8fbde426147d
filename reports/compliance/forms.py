"""The compliance report's month and filters, read from the URL. The filters use the search
page's parameter names and values (`region`, `jurisdiction`, `primary_center`: ids), the
month the review page's form (`month=YYYY-MM`). A malformed value is an error naming its
field; never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from oversight.forms import parse_month
from oversight.selectors import last_full_month
from reference.models import Center, Jurisdiction, Region
from reports.compliance.figures import ComplianceFilters
from search.forms import CHOICE_INVALID
from search.widgets import FastModelChoiceField

MONTH_HINT = "The month reported on, as YYYY-MM (for example 2026-11). Empty: the last full month."
MONTH_FUTURE = "Choose this month or an earlier one: a month to come has no TA delivered to report."
JURISDICTION_OUTSIDE_REGION = (
    "{jurisdiction} is in {actual}, not {chosen}: choose a State or Territory of that region, "
    "or no region."
)


def _choice(queryset: Any, label: str, what: str, **kwargs: Any) -> FastModelChoiceField:
    return FastModelChoiceField(
        queryset,
        required=False,
        label=label,
        empty_label="All",
        error_messages={"invalid_choice": CHOICE_INVALID.format(what=what)},
        **kwargs,
    )


class ComplianceFilterForm(forms.Form):
    use_required_attribute = False

    month = forms.CharField(label="Month", required=False, max_length=20, help_text=MONTH_HINT)
    region = _choice(
        Region.objects.all(),
        "Region",
        "one region",
        label_fields=("numeral", "city"),
        row_label=lambda v: f"Region {v[0]} ({v[1]})",
    )
    jurisdiction = _choice(
        Jurisdiction.objects.select_related("region").order_by("name"),
        "State or Territory",
        "one State or Territory",
        label_fields=("name",),
    )
    primary_center = _choice(
        Center.objects.all(),
        "Primary center",
        "one center",
        label_fields=("name", "code"),
        row_label=lambda v: f"{v[0]} ({v[1]})",
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.default_month = last_full_month(today)
        self.fields["month"].widget.attrs.update(
            {"placeholder": f"{self.default_month:%Y-%m}", "inputmode": "numeric"}
        )

    def clean_month(self) -> dt.date:
        raw = self.cleaned_data.get("month", "")
        if not raw.strip():
            return self.default_month
        try:
            # The review page's parser; a month to come is refused below, in this report's
            # own words.
            first = parse_month(raw, today=dt.date.max)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if first > self.today.replace(day=1):
            raise forms.ValidationError(MONTH_FUTURE)
        return first

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        jurisdiction, region = data.get("jurisdiction"), data.get("region")
        if jurisdiction is not None and region is not None and jurisdiction.region_id != region.pk:
            self.add_error(
                "jurisdiction",
                JURISDICTION_OUTSIDE_REGION.format(
                    jurisdiction=jurisdiction.name,
                    actual=jurisdiction.region.short_name,
                    chosen=region.short_name,
                ),
            )
        return data

    def filters(self) -> ComplianceFilters:
        """The validated month and filters; call only when the form is valid."""
        data = self.cleaned_data
        return ComplianceFilters(
            month=data["month"],
            region=data.get("region"),
            jurisdiction=data.get("jurisdiction"),
            primary_center=data.get("primary_center"),
        )

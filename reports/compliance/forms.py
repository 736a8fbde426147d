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
from reports.compliance.figures import ComplianceFilters
from search.forms import jurisdiction_field, primary_center_field, region_field

MONTH_HINT = "The month reported on, as YYYY-MM (for example 2026-11). Empty: the last full month."
MONTH_FUTURE = "Choose this month or an earlier one: a month to come has no TA delivered to report."
JURISDICTION_OUTSIDE_REGION = (
    "{jurisdiction} is in {actual}, not {chosen}: choose a State or Territory of that region, "
    "or no region."
)


class ComplianceFilterForm(forms.Form):
    use_required_attribute = False

    month = forms.CharField(label="Month", required=False, max_length=20, help_text=MONTH_HINT)
    region = region_field("All")
    jurisdiction = jurisdiction_field("All")
    primary_center = primary_center_field("All")

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

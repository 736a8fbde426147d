"""Forms of the monthly review (R1). They check the shape of the input only (a month is
YYYY-MM, a filter is on its list); `oversight.services` enforces the rules."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from accounts.models import User
from oversight.models import SendBack
from oversight.selectors import STATUS_CHOICES, ReviewFilters, last_full_month
from reference.models import Center, Jurisdiction, Region

MONTH_FORMAT = "Enter the month as YYYY-MM, for example 2026-11."
MONTH_FUTURE = "Choose this month or an earlier one; a month to come has nothing to review."
MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
EARLIEST_YEAR = 2000

# The guide's words for the review (HL1: help text quotes the guide).
MONTH_HINT = "The month reviewed, as YYYY-MM (for example 2026-11)."
COMMENT_HINT = (
    "When information is not complete or accurately described, the SCBC State Systems "
    "Specialist will work with the primary TA contact to modify the information. Say what "
    "to change; name centers or roles, not people."
)
ABOUT_HINT = "The part of the record to change; the comment shows on that tab until addressed."
REPLY_HINT = "Optional: what you changed, for the State Systems Specialist."


def parse_month(raw: str | None, *, today: dt.date) -> dt.date:
    """A YYYY-MM text as the first day of that month; ValueError with a readable sentence."""
    match = MONTH_PATTERN.match(raw or "")
    if not match:
        raise ValueError(MONTH_FORMAT)
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12) or year < EARLIEST_YEAR:
        raise ValueError(MONTH_FORMAT)
    first = dt.date(year, month, 1)
    if first > today.replace(day=1):
        raise ValueError(MONTH_FUTURE)
    return first


class ReviewFilterForm(forms.Form):
    """The review page's month and filters, all in the URL (a GET form)."""

    use_required_attribute = False

    month = forms.CharField(label="Month", required=False, max_length=20, help_text=MONTH_HINT)
    jurisdiction = forms.ChoiceField(label="State or Territory", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    center = forms.ChoiceField(label="Primary center", required=False)
    sss = forms.ChoiceField(label="State Systems Specialist", required=False)
    status = forms.ChoiceField(label="Review status", required=False, choices=STATUS_CHOICES)

    def __init__(
        self,
        *args: Any,
        today: dt.date,
        jurisdictions: list[Jurisdiction],
        regions: list[Region],
        centers: list[Center],
        specialists: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.default_month = last_full_month(today)
        self.fields["month"].widget.attrs.update(
            {"placeholder": f"{self.default_month:%Y-%m}", "inputmode": "numeric"}
        )
        self._jurisdictions = {j.code: j for j in jurisdictions}
        self._regions = {str(r.number): r for r in regions}
        self._centers = {c.code: c for c in centers}
        self._specialists = {str(u.pk): u for u in specialists}
        every = ("", "All")
        self.fields["jurisdiction"].choices = [every] + [(j.code, j.name) for j in jurisdictions]
        self.fields["region"].choices = [every] + [(str(r.number), str(r)) for r in regions]
        self.fields["center"].choices = [every] + [(c.code, str(c)) for c in centers]
        self.fields["sss"].choices = [every] + [
            (str(u.pk), u.full_name or u.email) for u in specialists
        ]
        if not regions:
            for name in ("region", "center", "sss"):
                del self.fields[name]

    def clean_month(self) -> dt.date:
        raw = self.cleaned_data.get("month", "")
        if not raw.strip():
            return self.default_month
        try:
            return parse_month(raw, today=self.today)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def filters(self) -> ReviewFilters:
        data = self.cleaned_data
        return ReviewFilters(
            month=data["month"],
            jurisdiction=self._jurisdictions.get(data.get("jurisdiction") or ""),
            region=self._regions.get(data.get("region") or ""),
            center=self._centers.get(data.get("center") or ""),
            sss=self._specialists.get(data.get("sss") or ""),
            status=data.get("status") or "",
        )


class SendBackForm(forms.Form):
    """Send an activity back to its primary staff (R1)."""

    use_required_attribute = False

    about = forms.ChoiceField(
        label="What it concerns",
        choices=[("", "- Select -"), *SendBack.About.choices],
        help_text=ABOUT_HINT,
    )
    comment = forms.CharField(
        label="Comment to the primary staff",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=COMMENT_HINT,
    )


class AddressForm(forms.Form):
    """Mark a send-back addressed, with an optional reply (R1)."""

    use_required_attribute = False

    reply = forms.CharField(
        label="Reply (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=REPLY_HINT,
    )

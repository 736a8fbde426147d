"""The form of the API token page (issue #11): the shape of input only; the service checks
the rules (name given, expiry after today and within the maximum)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

NAME_HINT = "What will use the token, such as “Monthly report script”. Only you see it."
EXPIRES_HINT = "The token stops working at the end of this day (mm/dd/yyyy). At most a year."


def default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=90)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=100, help_text=NAME_HINT)
    expires = forms.DateField(
        label="Expires on",
        help_text=EXPIRES_HINT,
        input_formats=["%m/%d/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%m/%d/%Y"),
    )

"""The requester form inside the activity form (rule A4): a new contact of the State or
Territory or of its region, with who approved adding it. `requester_create` enforces the
rule (and refuses an e-mail address already on file).
"""

from __future__ import annotations

from typing import Any

from django import forms

from activities.forms._common import TATForm
from activities.models import Requester
from activities.services import messages
from reference.models import Jurisdiction

# The new-requester fields inside the activity form carry this prefix.
REQUESTER_PREFIX = "new_requester"


class RequesterForm(TATForm):
    """Add a new requester (A4): a contact of the State/Territory or of its region."""

    PLACE_JURISDICTION = "jurisdiction"
    PLACE_REGION = "region"

    name = forms.CharField(
        label="Requester's name",
        max_length=150,
        error_messages={"required": messages.REQUESTER_NAME_REQUIRED},
    )
    title = forms.CharField(label="Title", max_length=150, required=False)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={"required": messages.REQUESTER_EMAIL_REQUIRED},
    )
    place = forms.ChoiceField(
        label="Contact of",
        widget=forms.RadioSelect,
        error_messages={"required": messages.REQUESTER_PLACE_REQUIRED},
    )
    approved_by = forms.ChoiceField(
        label="Approved by",
        choices=Requester.ApprovedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": messages.REQUESTER_APPROVAL_REQUIRED},
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

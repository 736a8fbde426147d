"""Forms of the reference-list pages: the shape of the input only. The rules (unique
names and codes, active category, C1 version) live in `reference.services.lists`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from core.forms import TextLimitMixin
from reference.lists import ReferenceList
from reference.models import GoalCategory
from reference.services.lists import CODE_RE, ERR_CODE_FORMAT

ERR_DIRECTION = "Choose up or down."


class ReferenceItemForm(TextLimitMixin, forms.Form):
    """Add or edit one item of `ref_list`; the extra fields depend on the list."""

    number = forms.IntegerField(
        label="Section number",
        min_value=1,
        max_value=99,
        help_text="The Plan Preprint section number (1–99); categories are listed by it.",
        error_messages={"invalid": "Enter a whole number from 1 to 99."},
    )
    category = forms.ModelChoiceField(
        label="Goal category",
        queryset=GoalCategory.objects.none(),
        empty_label="- Select -",
        help_text="The category whose list this item joins. It cannot change later.",
        error_messages={"invalid_choice": "Choose one of the active goal categories."},
    )
    name = forms.CharField(label="Name", max_length=200)
    code = forms.CharField(
        label="Short code",
        max_length=20,
        help_text="Letters, digits and hyphens, such as SCBC. Shown beside the center's name.",
        validators=[RegexValidator(CODE_RE, ERR_CODE_FORMAT)],
    )
    definition = forms.CharField(
        label="Definition (help text)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown to people as this item's help text.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, ref_list: ReferenceList, adding: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ref_list = ref_list
        if not ref_list.numbered:
            del self.fields["number"]
        if not ref_list.has_code:
            del self.fields["code"]
        if ref_list.by_category and adding:
            self.fields["category"].queryset = GoalCategory.objects.active().order_by("number")
        else:
            del self.fields["category"]
        if adding:
            del self.fields["version"]


class FieldHelpForm(TextLimitMixin, forms.Form):
    label = forms.CharField(label="Label", max_length=120)
    definition = forms.CharField(
        label="Definition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown under the field on every form that has it (HL1).",
    )
    best_practice = forms.CharField(
        label="Best practice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown with the definition, behind “more help”.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", "Up"), ("down", "Down")],
        error_messages={"required": ERR_DIRECTION, "invalid_choice": ERR_DIRECTION},
    )


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", "Active"), ("0", "Inactive")],
        coerce=lambda v: v == "1",
        error_messages={
            "required": "Choose active or inactive.",
            "invalid_choice": "Choose active or inactive.",
        },
    )

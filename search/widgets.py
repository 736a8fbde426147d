"""A <select> that renders its options in Python rather than one template per option.

The search form offers every staff member (hundreds of options); Django's template-per-
option rendering would cost more than the search itself. Output is the same markup.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A single <select>; `option_data` names an attribute of each choice's model instance
    written as `data-<name>` on its <option> (e.g. a strategic area's category)."""

    def __init__(self, attrs: dict[str, Any] | None = None, option_data: str = "") -> None:
        super().__init__(attrs)
        self.option_data = option_data

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = "" if value is None else str(value)
        parts = [f"<select{flatatt(final_attrs)}>"]
        data_name = escape(self.option_data.replace("_", "-"))
        for option_value, label in self.choices:
            instance = getattr(option_value, "instance", None)
            key = str(getattr(option_value, "value", option_value))
            data = ""
            if self.option_data and instance is not None:
                data = f' data-{data_name}="{escape(getattr(instance, self.option_data))}"'
            chosen = " selected" if key == selected else ""
            parts.append(f'<option value="{escape(key)}"{data}{chosen}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped

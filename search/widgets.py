"""Choice fields for the search form that render hundreds of options cheaply.

The search form offers every staff member (thousands at scale) and every reference item.
Django's ModelChoiceField builds a model instance per option and renders each <option>
through a template; here the options come from one `values_list` query and are written as
plain strings. The markup is the same; validation is ModelChoiceField's own.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A single <select>; choices may carry a third item written as `data-<data_name>`."""

    def __init__(self, attrs: dict[str, Any] | None = None, data_name: str = "") -> None:
        super().__init__(attrs)
        self.data_name = data_name

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = "" if value is None else str(value)
        data_attr = f" data-{html.escape(self.data_name)}=" if self.data_name else ""
        parts = [f"<select{flatatt(final_attrs)}>"]
        for choice in self.choices:
            key = str(choice[0])
            data = ""
            if data_attr and len(choice) > 2 and choice[2] is not None:
                data = f'{data_attr}"{html.escape(str(choice[2]))}"'
            chosen = " selected" if key == selected else ""
            parts.append(
                f'<option value="{html.escape(key)}"{data}{chosen}>'
                f"{html.escape(str(choice[1]))}</option>"
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 # nosec B308 B703 # every value above is escaped


class _RowIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        field: FastModelChoiceField = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for row in self.queryset.values_list("pk", *field.row_fields):
            yield (row[0], field.row_label(row[1:]), *row[1 + len(field.label_fields) :])


class FastModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are read as rows: `label_fields` feed
    `row_label(values) -> str`; `data_field` (optional) goes on each option as data."""

    iterator = _RowIterator

    def __init__(
        self,
        queryset: Any,
        *,
        label_fields: tuple[str, ...],
        row_label: Callable[[tuple[Any, ...]], str] | None = None,
        data_field: str = "",
        **kwargs: Any,
    ) -> None:
        self.label_fields = label_fields
        self.data_field = data_field
        self.row_fields = label_fields + ((data_field,) if data_field else ())
        self.row_label = row_label or (lambda values: str(values[0]))
        kwargs.setdefault("widget", FastSelect(data_name=data_field.replace("_", "-")))
        super().__init__(queryset, **kwargs)

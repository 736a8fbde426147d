"""Form pieces shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections
from django.db.models import QuerySet
from django.forms.utils import ErrorDict, pretty_name
from django.http import HttpRequest

from core.concurrency import CONFLICT_MESSAGE
from core.limits import text_max_length, too_long_message


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, except that an id beyond the database's integer range is refused as
    an invalid choice (DESIGN §5). Django's own field looks such ids up with `__in`, which
    overflows: OverflowError on SQLite, NumericValueOutOfRange on PostgreSQL, so a 500."""

    def _check_values(self, value: Any) -> QuerySet:
        meta = self.queryset.model._meta
        model_field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        internal_type = model_field.get_internal_type()
        if internal_type.endswith(("AutoField", "IntegerField")):
            low, high = connections[self.queryset.db].ops.integer_field_range(internal_type)
            for raw in value if isinstance(value, list | tuple) else ():
                try:
                    number = int(raw)
                except (TypeError, ValueError):
                    continue  # Django's own check names it an invalid value
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": raw},
                    )
        return super()._check_values(value)


class TextLengthValidator:
    """The field's maximum, refused with the field's label and both numbers (door 8)."""

    code = "text_too_long"

    def __init__(self, label: str, limit: int) -> None:
        self.label = label
        self.limit = limit

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and len(value) > self.limit:
            raise ValidationError(
                too_long_message(self.label, len(value), self.limit), code=self.code
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLengthValidator) and (self.label, self.limit) == (
            other.label,
            other.limit,
        )


def limit_free_text(form: forms.BaseForm) -> forms.BaseForm:
    """Give every free-text field of `form` (a CharField on a Textarea) a maximum: its own
    `max_length` or `TAT_TEXT_MAX_LENGTH`, as a `maxlength` attribute for the browser and a
    check at the field, so the error shows there before any service is called (issue 12,
    door 8). Idempotent; fields added later are limited when the form is cleaned."""
    for name, field in form.fields.items():
        if not (isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)):
            continue
        limit = field.max_length or text_max_length()
        field.max_length = limit
        field.widget.attrs["maxlength"] = str(limit)
        field.validators = [v for v in field.validators if not isinstance(v, TextLengthValidator)]
        # Django's own MaxLengthValidator would repeat the message in other words.
        field.validators = [v for v in field.validators if getattr(v, "code", "") != "max_length"]
        field.validators.append(TextLengthValidator(str(field.label or pretty_name(name)), limit))
    return form


class TextLimitMixin:
    """Put first in a form's bases: `limit_free_text` on construction and before cleaning."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_free_text(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        limit_free_text(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


def apply_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    field_map: dict[str, str | None] | None = None,
) -> forms.BaseForm:
    """Put a service's ValidationError on `form`: each message at the field it names
    (renamed through `field_map`), at the top of the form when the form has no such field.
    """
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return form
    for name, messages in error.message_dict.items():
        target = field_map.get(name, name)
        if target == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
    return form


def without_errors(form: forms.BaseForm) -> forms.BaseForm:
    """Show a bound form's values without validating it (an intermediate step, not a save)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    return form


def conflict_form(
    form_class: type[forms.BaseForm],
    request: HttpRequest,
    current_version: int,
    **kwargs: Any,
) -> forms.BaseForm:
    """C1: the person's own typing, bound again with the stored version to save over, and
    the conflict message at the top. Nothing they typed is lost."""
    data = request.POST.copy()
    prefix = kwargs.get("prefix")
    data[f"{prefix}-version" if prefix else "version"] = str(current_version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, CONFLICT_MESSAGE)
    return form

"""Form pieces shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import QuerySet


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

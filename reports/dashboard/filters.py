"""The dashboard's filters, read from the URL with the search page's parameter names.

`region`, `jurisdiction`, `category`, `primary_center`, `opened_from` and `opened_to` mean
what they mean on the search page (S1): the dashboard's activities are exactly the search
results for the same parameters, so a link from a chart to the search lists the same
records. `map` chooses what shades the tile-grid map (open activities or late summaries).
A malformed value becomes an error on its field, named on the page; never a 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms

from reference.models import Center, GoalCategory, Jurisdiction, Region
from search.criteria import DateRange, SearchCriteria
from search.forms import (
    CHOICE_INVALID,
    category_field,
    date_field,
    jurisdiction_field,
    primary_center_field,
    region_field,
)
from search.widgets import FastSelect

MAP_OPEN = "open"
MAP_LATE = "late"
MAP_CHOICES = [
    (MAP_OPEN, "Open TA activities"),
    (MAP_LATE, "Late summaries of TA delivered (last 12 months)"),
]
CHART_NEEDED = "Choose which chart to download ({keys})."
DATES_REVERSED = "The “to” date is before the “from” date: enter an end on or after the start."
DATE_OUT_OF_RANGE = "Enter a date between 01/01/1900 and 12/31/2999."
FILTER_PARAMS = ("region", "jurisdiction", "category", "primary_center", "opened_from", "opened_to")


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard counts: the activities matching every filter (AND)."""

    region: Region | None = None
    jurisdiction: Jurisdiction | None = None
    category: GoalCategory | None = None
    primary_center: Center | None = None
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.region,
                self.jurisdiction,
                self.category,
                self.primary_center,
                self.opened_from,
                self.opened_to,
            )
        )

    def criteria(self) -> SearchCriteria:
        """The same filters as search criteria (the one definition of what each means)."""
        return SearchCriteria(
            region=self.region,
            jurisdiction=self.jurisdiction,
            category=self.category,
            primary_center=self.primary_center,
            date_opened=DateRange(self.opened_from, self.opened_to),
        )

    def query_params(self) -> list[tuple[str, str]]:
        """The filters as URL parameters (links to CSV files and to the search page)."""
        params: list[tuple[str, str]] = []
        for name in FILTER_PARAMS:
            value = getattr(self, name)
            if value is None:
                continue
            params.append(
                (name, value.isoformat() if isinstance(value, dt.date) else str(value.pk))
            )
        return params

    def query_string(self) -> str:
        return urlencode(self.query_params())


class DashboardFilterForm(forms.Form):
    region = region_field("All")
    jurisdiction = jurisdiction_field("All")
    category = category_field("All")
    primary_center = primary_center_field("All")
    opened_from = date_field("Date opened: from")
    opened_to = date_field("Date opened: to")
    map = forms.ChoiceField(
        label="Shade the map by",
        choices=MAP_CHOICES,
        required=False,
        widget=FastSelect(),
        error_messages={"invalid_choice": CHOICE_INVALID.format(what="what shades the map")},
    )

    # The download: `?format=csv&chart=<key>` (keys: reports.dashboard.figures.CHART_KEYS).
    format = forms.ChoiceField(
        label="Download format",
        choices=[("csv", "CSV")],
        required=False,
        widget=FastSelect(),
        error_messages={"invalid_choice": "Choose “csv” as the download format."},
    )
    chart = forms.ChoiceField(
        label="Chart to download",
        choices=[],
        required=False,
        widget=FastSelect(),
        error_messages={"invalid_choice": CHOICE_INVALID.format(what="a chart")},
    )

    def __init__(self, *args: Any, charts: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chart_keys = tuple(charts or {})
        self.fields["chart"].choices = [("", "- Select a chart -"), *(charts or {}).items()]

    def _clean_date(self, name: str) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not (dt.date(1900, 1, 1) <= value <= dt.date(2999, 12, 31)):
            raise forms.ValidationError(DATE_OUT_OF_RANGE)
        return value

    def clean_opened_from(self) -> dt.date | None:
        return self._clean_date("opened_from")

    def clean_opened_to(self) -> dt.date | None:
        return self._clean_date("opened_to")

    def clean_map(self) -> str:
        return self.cleaned_data.get("map") or MAP_OPEN

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and end < start:
            self.add_error("opened_to", DATES_REVERSED)
        if data.get("format") and not data.get("chart") and "chart" not in self.errors:
            self.add_error("chart", CHART_NEEDED.format(keys=", ".join(self.chart_keys)))
        return data

    def filters(self) -> DashboardFilters:
        """The validated filters; call only when the form is valid."""
        data = self.cleaned_data
        return DashboardFilters(
            region=data.get("region"),
            jurisdiction=data.get("jurisdiction"),
            category=data.get("category"),
            primary_center=data.get("primary_center"),
            opened_from=data.get("opened_from"),
            opened_to=data.get("opened_to"),
        )

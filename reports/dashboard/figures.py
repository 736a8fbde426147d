"""The dashboard's numbers: one `Figure` per chart, each with its table and CSV rows.

Every figure counts the activities matching the filters, which are the search page's
criteria (`search.selectors.activities_for_search`), so a chart and the search agree.
With no filter, a region or a State, the figures are sums of the precomputed counts
(`reports.dashboard.rollup`, one row per State and month); with other filters they are
grouped counts of the records (by day, summed into months here: plain GROUP BYs, no
per-row date functions). Both give the same numbers (tests/reports/test_dashboard_rollup.py)
and the number of queries does not depend on the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from activities.models import (
    ActivityStatus,
    CompletionStatus,
)
from reference.models import Center, DeliveryMethod, GoalCategory, Jurisdiction
from reports.dashboard import charts, tilegrid
from reports.dashboard.filters import MAP_LATE, DashboardFilters
from reports.dashboard.sources import can_use_counts, from_counts, from_records

MONTHS = 12
NO_CATEGORY = "No goal category"


@dataclass
class Row:
    label: str
    values: list[Any]  # numbers; None where there is nothing to count (a rate of no summaries)
    cells: list[str] = field(default_factory=list)  # the table's text of each value
    href: str = ""


@dataclass
class Figure:
    key: str
    title: str
    summary: str
    row_heading: str
    columns: list[str]
    rows: list[Row]
    kind: str  # "bars", "stacked", "grouped", "heat", "map"
    chart: Any = None
    csv_header: list[str] = field(default_factory=list)
    csv_rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if not row.cells:
                row.cells = ["" if v is None else f"{v:,}" for v in row.values]
        if not self.csv_header:
            self.csv_header = [self.row_heading, *self.columns]
            self.csv_rows = [[row.label, *row.values] for row in self.rows]


@dataclass
class Dashboard:
    filters: DashboardFilters
    months: list[dt.date]
    figures: list[Figure]
    activity_count: int
    open_count: int

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def month_window(filters: DashboardFilters, today: dt.date) -> list[dt.date]:
    """The first days of the 12 months ending with the filter's last month (or this one)."""
    end = filters.opened_to if filters.opened_to and filters.opened_to < today else today
    year, month = end.year, end.month
    months = []
    for _ in range(MONTHS):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _month_label(first: dt.date) -> str:
    return f"{first:%b %Y}"


def _month_key(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _search_url(filters: DashboardFilters, **extra: str) -> str:
    """The search page listing a bar's activities (same parameters, one more criterion)."""
    return f"{reverse('search:search')}?{urlencode([*filters.query_params(), *extra.items()])}"


def dashboard_figures(
    filters: DashboardFilters, *, today: dt.date, map_by: str = "open"
) -> Dashboard:
    """Every figure of the dashboard for the filters (a constant number of queries).

    Reusable: `reports.selectors.dashboard_figures` (the workspace homes show some of them).
    """
    months = month_window(filters, today)
    first, last = months[0], _month_end(months[-1])
    if can_use_counts(filters):
        raw = from_counts(filters, first, last)
    else:
        raw = from_records(filters, first, last)
    (
        open_by_place_status,
        by_category_center,
        opened,
        closed,
        by_day_center,
        by_day_method,
        late_by_place,
    ) = raw
    # Reference lists (4 small queries).
    places = list(
        Jurisdiction.objects.order_by("name").values_list("id", "code", "name", "region_id")
    )
    categories = list(
        GoalCategory.objects.order_by("number").values_list("id", "number", "name", "active")
    )
    centers = list(Center.objects.order_by("name").values_list("id", "code", "name", "active"))
    methods = list(
        DeliveryMethod.objects.order_by("sort_order", "name").values_list("id", "name", "active")
    )

    open_count = sum(n for _, _, n in open_by_place_status)
    activity_count = sum(n for *_, n in by_category_center)
    figures = [
        _open_by_status(open_by_place_status, filters),
        _by_category(by_category_center, categories),
        _by_center(by_category_center, centers),
        _delivered_per_month(by_day_center, by_day_method, methods, months),
        _on_time_rate(by_day_center, centers, months),
        _opened_closed(opened, closed, months),
        _tile_map(open_by_place_status, late_by_place, places, filters, map_by, months),
    ]
    return Dashboard(
        filters=filters,
        months=months,
        figures=figures,
        activity_count=activity_count,
        open_count=open_count,
    )


def _open_by_status(rows: Iterable[tuple[int, str, int]], filters: DashboardFilters) -> Figure:
    counts: dict[str, int] = defaultdict(int)
    for _, status, n in rows:
        counts[status] += n
    table = [
        Row(
            label=label,
            values=[counts.get(value, 0)],
            href=_search_url(filters, status=value, completion_status=CompletionStatus.OPEN),
        )
        for value, label in ActivityStatus.choices
    ]
    total = sum(counts.values())
    if total:
        top = max(table, key=lambda r: r.values[0])
        summary = (
            f"{_plural(total, 'open TA activity', 'open TA activities')}; the largest group "
            f"is “{top.label}” with {top.values[0]:,}."
        )
    else:
        summary = "No open TA activities match the filters."
    return Figure(
        key="open-by-status",
        title="Open TA activities by status",
        summary=summary,
        row_heading="TA activity status",
        columns=["Open TA activities"],
        rows=table,
        kind="bars",
        chart=charts.bar_chart([(r.label, r.values) for r in table], ["Open TA activities"]),
    )


def _open_closed_rows(
    counts: dict[int | None, dict[str, int]], items: list[tuple[int | None, str]]
) -> list[Row]:
    rows = []
    for key, label in items:
        by_completion = counts.get(key, {})
        open_n = by_completion.get(CompletionStatus.OPEN, 0)
        done_n = sum(n for status, n in by_completion.items() if status != CompletionStatus.OPEN)
        rows.append(Row(label=label, values=[open_n, done_n, open_n + done_n]))
    return rows


_OPEN_CLOSED = ["Open", "Closed or cancelled"]


def _stacked_figure(key: str, title: str, row_heading: str, rows: list[Row], what: str) -> Figure:
    total = sum(r.values[2] for r in rows)
    if total:
        top = max(rows, key=lambda r: r.values[2])
        summary = (
            f"{_plural(total, 'TA activity', 'TA activities')} in all; the most, "
            f"{top.values[2]:,} ({top.values[0]:,} open), {what} “{top.label}”."
        )
    else:
        summary = "No TA activities match the filters."
    return Figure(
        key=key,
        title=title,
        summary=summary,
        row_heading=row_heading,
        columns=[*_OPEN_CLOSED, "All"],
        rows=rows,
        kind="stacked",
        chart=charts.bar_chart([(r.label, r.values[:2]) for r in rows], _OPEN_CLOSED, stacked=True),
    )


def _by_category(
    rows: Iterable[tuple[int | None, int, str, int]], categories: list[tuple[int, int, str, bool]]
) -> Figure:
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for category_id, _, completion, n in rows:
        counts[category_id][completion] += n
    items: list[tuple[int | None, str]] = [
        (pk, f"{number}. {name}")
        for pk, number, name, active in categories
        if active or pk in counts
    ]
    if None in counts:
        items.append((None, NO_CATEGORY))
    return _stacked_figure(
        "by-category",
        "TA activities by goal category",
        "Goal category",
        _open_closed_rows(counts, items),
        "in",
    )


def _by_center(
    rows: Iterable[tuple[int | None, int, str, int]], centers: list[tuple[int, str, str, bool]]
) -> Figure:
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, center_id, completion, n in rows:
        counts[center_id][completion] += n
    items: list[tuple[int | None, str]] = [
        (pk, f"{name} ({code})") for pk, code, name, active in centers if active or pk in counts
    ]
    return _stacked_figure(
        "by-center",
        "TA activities by primary center",
        "Primary center",
        _open_closed_rows(counts, items),
        "led by",
    )


def _delivered_per_month(
    by_day_center: list[tuple[dt.date, int, bool, int]],
    by_day_method: list[tuple[dt.date, int, int]],
    methods: list[tuple[int, str, bool]],
    months: list[dt.date],
) -> Figure:
    deliveries: dict[dt.date, int] = defaultdict(int)
    for day, _, _, n in by_day_center:
        deliveries[_month_key(day)] += n
    named: dict[tuple[dt.date, int], int] = defaultdict(int)
    for day, method_id, n in by_day_method:
        named[(_month_key(day), method_id)] += n
    used = {method_id for _, method_id in named}
    method_items = [(pk, name) for pk, name, active in methods if active or pk in used]
    names = [name for _, name in method_items]
    rows = [
        Row(
            label=_month_label(month),
            values=[
                *(named.get((month, pk), 0) for pk, _ in method_items),
                deliveries.get(month, 0),
            ],
        )
        for month in months
    ]
    total = sum(deliveries.values())
    if total:
        busiest = max(rows, key=lambda r: r.values[-1])
        summary = (
            f"{_plural(total, 'summary', 'summaries')} of TA delivered in the 12 months; "
            f"the most in {busiest.label} ({busiest.values[-1]:,})."
        )
    else:
        summary = "No summaries of TA delivered in the 12 months for these filters."
    return Figure(
        key="delivered-per-month",
        title="TA delivered per month, by delivery method",
        summary=summary,
        row_heading="Month delivered",
        columns=[*names, "Summaries of TA delivered"],
        rows=rows,
        kind="stacked",
        chart=charts.bar_chart([(r.label, r.values[:-1]) for r in rows], names, stacked=True),
        note=(
            "Each bar adds up the delivery methods named in the month's summaries: a summary "
            "naming two methods counts once under each, so a bar may be longer than the "
            "month's number of summaries (last column of the table)."
        ),
    )


def _on_time_rate(
    by_day_center: list[tuple[dt.date, int, bool, int]],
    centers: list[tuple[int, str, str, bool]],
    months: list[dt.date],
) -> Figure:
    totals: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])  # on time, all
    for day, center_id, is_late, n in by_day_center:
        cell = totals[(center_id, _month_key(day))]
        cell[1] += n
        if not is_late:
            cell[0] += n
    used = {center_id for center_id, _ in totals}
    items = [(pk, code, name) for pk, code, name, active in centers if active or pk in used]
    labels = [_month_label(m) for m in months]
    grid_rows = []
    rows = []
    csv_rows: list[list[Any]] = []
    for pk, code, name in items:
        cells = [tuple(totals.get((pk, month), (0, 0))) for month in months]
        grid_rows.append((code, cells))
        values = [round(100 * on / all_) if all_ else None for on, all_ in cells]
        texts = [
            f"{v} % ({on:,} of {all_:,})" if v is not None else "no summaries"
            for v, (on, all_) in zip(values, cells, strict=True)
        ]
        rows.append(Row(label=f"{name} ({code})", values=values, cells=texts))
        for month, (on, all_) in zip(months, cells, strict=True):
            csv_rows.append(
                [
                    name,
                    code,
                    f"{month:%Y-%m}",
                    all_,
                    on,
                    all_ - on,
                    round(100 * on / all_, 1) if all_ else "",
                ]
            )
    on_time = sum(c[0] for c in totals.values())
    everything = sum(c[1] for c in totals.values())
    if everything:
        summary = (
            f"{round(100 * on_time / everything)} % of the "
            f"{_plural(everything, 'summary', 'summaries')} "
            "of the 12 months were entered by their due date (A10)."
        )
    else:
        summary = "No summaries of TA delivered in the 12 months for these filters."
    return Figure(
        key="on-time-rate",
        title="Summaries entered on time, per center and month",
        summary=summary,
        row_heading="Primary center",
        columns=labels,
        rows=rows,
        kind="heat",
        chart=charts.heat_grid(grid_rows, labels, what="on time"),
        csv_header=[
            "Primary center",
            "Center code",
            "Month delivered",
            "Summaries",
            "On time",
            "Late",
            "On-time rate (%)",
        ],
        csv_rows=csv_rows,
        note=(
            "A summary is on time when it was entered by its due date: 10 business days "
            "after the delivery or the month's last day, whichever comes first (A10). "
            "Cells show the percentage; a dash means no summaries."
        ),
    )


def _opened_closed(
    opened: list[tuple[dt.date, int]], closed: list[tuple[dt.date, int]], months: list[dt.date]
) -> Figure:
    opened_by_month: dict[dt.date, int] = defaultdict(int)
    for day, n in opened:
        opened_by_month[_month_key(day)] += n
    closed_by_month: dict[dt.date, int] = defaultdict(int)
    for day, n in closed:
        closed_by_month[_month_key(day)] += n
    series = ["Opened", "Closed"]
    rows = [
        Row(label=_month_label(m), values=[opened_by_month.get(m, 0), closed_by_month.get(m, 0)])
        for m in months
    ]
    total_opened, total_closed = sum(opened_by_month.values()), sum(closed_by_month.values())
    summary = (
        f"In the 12 months, {_plural(total_opened, 'TA activity was', 'TA activities were')} "
        f"opened and {total_closed:,} closed."
    )
    return Figure(
        key="opened-closed",
        title="TA activities opened and closed per month",
        summary=summary,
        row_heading="Month",
        columns=series,
        rows=rows,
        kind="grouped",
        chart=charts.bar_chart([(r.label, r.values) for r in rows], series),
    )


def _tile_map(
    open_by_place_status: list[tuple[int, str, int]],
    late_by_place: dict[int, int],
    places: list[tuple[int, str, str, int]],
    filters: DashboardFilters,
    map_by: str,
    months: list[dt.date],
) -> Figure:
    open_by_place: dict[int, int] = defaultdict(int)
    for place_id, _, n in open_by_place_status:
        open_by_place[place_id] += n

    def in_filter(place_id: int, region_id: int) -> bool:
        if filters.jurisdiction and filters.jurisdiction.pk != place_id:
            return False
        return not (filters.region and filters.region.pk != region_id)

    late = map_by == MAP_LATE
    unit = "late summaries" if late else "open TA activities"
    tiles = []
    rows = []
    for pk, code, name, region_id in places:
        href = reverse("workspace:jurisdiction", args=[code])
        if in_filter(pk, region_id):
            open_n, late_n = open_by_place.get(pk, 0), late_by_place.get(pk, 0)
            rows.append(Row(label=f"{name} ({code})", values=[open_n, late_n], href=href))
            tiles.append((code, name, late_n if late else open_n, href))
        else:
            tiles.append((code, name, None, href))
    shown = sum(r.values[1 if late else 0] for r in rows)
    if rows:
        top = max(rows, key=lambda r: r.values[1 if late else 0])
        summary = (
            f"{shown:,} {unit} across "
            f"{_plural(len(rows), 'State or Territory', 'States and Territories')}; "
            f"the most in {top.label} ({top.values[1 if late else 0]:,})."
        )
    else:
        summary = "No State or Territory matches the filters."
    return Figure(
        key="map",
        title=f"Map of the States and Territories: {unit}",
        summary=summary,
        row_heading="State or Territory",
        columns=[
            "Open TA activities",
            f"Late summaries ({_month_label(months[0])} – {_month_label(months[-1])})",
        ],
        rows=rows,
        kind="map",
        chart=tilegrid.tile_map(tiles, unit=unit),
        note=(
            "Each tile links to the State's or Territory's page. Late summaries: summaries of "
            "TA delivered in the 12 months that were entered after their due date (A10)."
        ),
    )


# key → title, in the page's order (the CSV download form's choices).
CHART_TITLES = {
    "open-by-status": "Open TA activities by status",
    "by-category": "TA activities by goal category",
    "by-center": "TA activities by primary center",
    "delivered-per-month": "TA delivered per month, by delivery method",
    "on-time-rate": "Summaries entered on time, per center and month",
    "opened-closed": "TA activities opened and closed per month",
    "map": "Map of the States and Territories",
}
CHART_KEYS = tuple(CHART_TITLES)

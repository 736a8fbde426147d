"""Geometry of the dashboard's SVG charts: where each bar, tick and cell goes.

The templates in `templates/reports/dashboard/` draw the SVG from these plain numbers;
nothing here writes markup. Series are told apart by patterns as well as shades (readable
in grayscale and printed), every bar carries its value as text, and the SVGs scale with a
`viewBox`, so they stay sharp at 200 % zoom. Why templates and not a charting library:
docs/adr/0007-dashboard-charts.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 230
PLOT_X = LABEL_WIDTH + 10
VALUE_ROOM = 70
PLOT_WIDTH = WIDTH - PLOT_X - VALUE_ROOM
LABEL_CHARS = 32
LEGEND_ROW = 22
TICK_ROOM = 22

# Series fills, each a <pattern> in templates/reports/dashboard/_patterns.html: dark solid,
# light with diagonal lines, dots, grey with horizontal lines, mid blue with cross-hatch,
# white with vertical lines, grey with dots, light with horizontal lines. Distinct without
# colour (a ninth series would repeat the first pattern; the legend still names each).
PATTERN_COUNT = 8


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ticks(maximum: float, *, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum` (steps of 1, 2 or 5 × 10ⁿ)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(int(round(top / step)) + 1)]


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    pattern: int
    value: int
    title: str
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def value_text(self) -> str:
        return f"{self.value:,}"


@dataclass
class BarRow:
    label: str
    full_label: str
    y: float
    label_y: float
    segments: list[Segment]
    value_text: str
    value_x: float
    value_y: float


@dataclass
class Tick:
    x: float
    text: str
    y: float = 0.0  # the label's baseline, where the chart needs it


@dataclass
class LegendItem:
    x: float
    y: float
    pattern: int
    text: str

    @property
    def text_x(self) -> float:
        return round(self.x + 26, 1)

    @property
    def text_y(self) -> float:
        return self.y + 12


@dataclass
class BarChart:
    height: float
    rows: list[BarRow]
    ticks: list[Tick]
    legend: list[LegendItem]
    plot_top: float
    plot_bottom: float
    stacked: bool = False
    width: int = WIDTH
    label_x: int = PLOT_X - 10

    @property
    def tick_y(self) -> float:
        return round(self.plot_top - 6, 1)


def _legend(series: list[str], top: float) -> tuple[list[LegendItem], float]:
    items: list[LegendItem] = []
    if len(series) < 2:
        return items, top
    x, y = 0.0, top
    for index, name in enumerate(series):
        width = 26 + 7.2 * len(name) + 18
        if x and x + width > WIDTH:
            x, y = 0.0, y + LEGEND_ROW
        items.append(LegendItem(x=round(x, 1), y=y, pattern=index % PATTERN_COUNT, text=name))
        x += width
    return items, y + LEGEND_ROW + 4


def bar_chart(
    rows: list[tuple[str, list[int]]], series: list[str], *, stacked: bool = False
) -> BarChart:
    """Horizontal bars, one row per label: one bar per series side by side, or stacked.

    A stacked row's value text is its total; a grouped row shows each bar's value.
    """
    legend, top = _legend(series, 0)
    top += TICK_ROOM
    maximum = max(
        (sum(values) if stacked else max(values, default=0) for _, values in rows), default=0
    )
    ticks = nice_ticks(maximum)
    scale = PLOT_WIDTH / ticks[-1]
    bar_height = 20 if stacked or len(series) == 1 else 14
    bars_per_row = 1 if stacked else len(series)
    row_height = bars_per_row * bar_height + 12
    out_rows: list[BarRow] = []
    y = top + 6
    for label, values in rows:
        segments: list[Segment] = []
        x = float(PLOT_X)
        for index, value in enumerate(values):
            width = value * scale
            bar_y = y if stacked else y + index * bar_height
            segments.append(
                Segment(
                    x=round(x, 2),
                    y=round(bar_y, 1),
                    width=round(width, 2),
                    height=bar_height - 2,
                    pattern=index % PATTERN_COUNT,
                    value=value,
                    title=f"{label}, {series[index]}: {value:,}",
                    label_x=round(x + width + 4, 1),
                    label_y=round(bar_y + bar_height - 4, 1),
                )
            )
            if stacked:
                x += width
        if stacked:
            total = sum(values)
            value_text = f"{total:,}"
            value_x = PLOT_X + total * scale + 6
        else:
            value_text = ""
            value_x = 0.0
        out_rows.append(
            BarRow(
                label=short_label(label),
                full_label=label,
                y=round(y, 1),
                label_y=round(y + (bars_per_row * bar_height) / 2 + 4, 1),
                segments=segments,
                value_text=value_text,
                value_x=round(value_x, 1),
                value_y=round(y + bar_height / 2 + 3, 1),
            )
        )
        y += row_height
    return BarChart(
        height=round(y + 6),
        rows=out_rows,
        ticks=[Tick(x=round(PLOT_X + t * scale, 1), text=f"{t:,.0f}") for t in ticks],
        legend=legend,
        plot_top=round(top, 1),
        plot_bottom=round(y, 1),
        stacked=stacked,
    )


# --- heat grid (on-time rate per center per month) ----------------------------------------

HEAT_LABEL_WIDTH = 110
HEAT_CELL_WIDTH = 48
HEAT_CELL_HEIGHT = 30
# (lowest rate of the band, fill, text colour, legend text): darker is better; text keeps
# at least 4.5:1 contrast on its fill.
HEAT_BANDS = [
    (95, "#162e51", "#ffffff", "95 % or more"),
    (85, "#005ea2", "#ffffff", "85–94 %"),
    (70, "#73b3e7", "#1b1b1b", "70–84 %"),
    (50, "#d9e8f6", "#1b1b1b", "50–69 %"),
    (0, "#ffffff", "#1b1b1b", "under 50 %"),
]


@dataclass
class HeatCell:
    x: float
    y: float
    fill: str
    text_fill: str
    text: str
    title: str
    empty: bool

    @property
    def text_x(self) -> float:
        return self.x + HEAT_CELL_WIDTH / 2 - 1

    @property
    def text_y(self) -> float:
        return self.y + 19

    @property
    def legend_text_x(self) -> float:
        return self.x + 28


@dataclass
class HeatRow:
    label: str
    y: float
    cells: list[HeatCell]

    @property
    def label_y(self) -> float:
        return self.y + 19


@dataclass
class HeatGrid:
    width: float
    height: float
    columns: list[Tick]
    rows: list[HeatRow]
    legend: list[HeatCell]
    label_width: int = HEAT_LABEL_WIDTH
    label_x: int = HEAT_LABEL_WIDTH - 8


def heat_band(rate: float) -> tuple[str, str]:
    for lowest, fill, text_fill, _ in HEAT_BANDS:
        if rate >= lowest:
            return fill, text_fill
    return HEAT_BANDS[-1][1], HEAT_BANDS[-1][2]


def heat_grid(
    rows: list[tuple[str, list[tuple[int, int]]]], columns: list[str], *, what: str
) -> HeatGrid:
    """Cells of (on time, total) per row and column, shaded by the rate, the rate as text."""
    legend: list[HeatCell] = []
    x = 0.0
    for _, fill, text_fill, text in HEAT_BANDS:
        legend.append(
            HeatCell(x=x, y=0, fill=fill, text_fill=text_fill, text=text, title="", empty=False)
        )
        x += 118
    legend.append(
        HeatCell(
            x=x, y=0, fill="#ffffff", text_fill="#1b1b1b", text="no summaries", title="", empty=True
        )
    )
    top = LEGEND_ROW + 10 + 18
    out_rows: list[HeatRow] = []
    y = float(top)
    for label, cells in rows:
        out_cells = []
        for index, (on_time, total) in enumerate(cells):
            cx = HEAT_LABEL_WIDTH + index * HEAT_CELL_WIDTH
            if total:
                rate = 100 * on_time / total
                fill, text_fill = heat_band(rate)
                text = f"{rate:.0f}"
                title = f"{label}, {columns[index]}: {rate:.0f} % {what} ({on_time:,} of {total:,})"
                empty = False
            else:
                fill, text_fill, text, empty = "#ffffff", "#1b1b1b", "–", True
                title = f"{label}, {columns[index]}: no summaries"
            out_cells.append(
                HeatCell(
                    x=cx, y=y, fill=fill, text_fill=text_fill, text=text, title=title, empty=empty
                )
            )
        out_rows.append(HeatRow(label=short_label(label, 14), y=y, cells=out_cells))
        y += HEAT_CELL_HEIGHT
    width = max(HEAT_LABEL_WIDTH + len(columns) * HEAT_CELL_WIDTH + 4, x + 120)
    return HeatGrid(
        width=round(width),
        height=round(y + 6),
        columns=[
            Tick(x=HEAT_LABEL_WIDTH + i * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH / 2, text=name)
            for i, name in enumerate(columns)
        ],
        rows=out_rows,
        legend=legend,
    )

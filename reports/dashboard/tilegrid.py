"""The tile-grid map of the 56 States and Territories: one square per place.

The layout is the usual square tile grid of the 50 States and DC (Alaska top left, Maine
top right, Hawaii and Texas on the bottom row); the five Territories sit in a row beneath
it, the Pacific ones (American Samoa, Guam, Northern Mariana Islands) under Hawaii and the
Caribbean ones (Puerto Rico, U.S. Virgin Islands) under Florida.
"""

from __future__ import annotations

from dataclasses import dataclass

# code → (column, row)
STATE_TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0),
    "WI": (5, 1), "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2),
    "MI": (6, 2), "NY": (8, 2), "MA": (9, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3),
    "OH": (6, 3), "PA": (7, 3), "NJ": (8, 3), "CT": (9, 3), "RI": (10, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4),
    "WV": (6, 4), "VA": (7, 4), "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5),
    "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6),
    "HI": (0, 7), "TX": (3, 7), "FL": (8, 7),
}  # fmt: skip
TERRITORY_TILES: dict[str, tuple[int, int]] = {
    "AS": (0, 8), "GU": (1, 8), "MP": (2, 8), "PR": (8, 8), "VI": (9, 8),
}  # fmt: skip
TILES = {**STATE_TILES, **TERRITORY_TILES}

TILE = 56
GAP = 4
TERRITORY_GAP = 22  # extra space above the Territories' row
COLUMNS = 11
ROWS = 9
LEGEND_HEIGHT = 40

# (fill, text colour) by band, lightest (zero) to darkest; text keeps 4.5:1 contrast.
BANDS = [
    ("#f0f0f0", "#1b1b1b"),
    ("#d9e8f6", "#1b1b1b"),
    ("#73b3e7", "#1b1b1b"),
    ("#005ea2", "#ffffff"),
    ("#162e51", "#ffffff"),
]
OUTSIDE_FILTER = ("#ffffff", "#1b1b1b")


@dataclass
class Tile:
    code: str
    name: str
    x: float
    y: float
    value: int | None  # None: outside the filters
    fill: str
    text_fill: str
    href: str
    label: str  # the link's accessible name

    @property
    def text_x(self) -> float:
        return self.x + TILE / 2

    @property
    def code_y(self) -> float:
        return self.y + 23

    @property
    def value_y(self) -> float:
        return self.y + 43

    @property
    def value_text(self) -> str:
        return "–" if self.value is None else f"{self.value:,}"


@dataclass
class LegendBand:
    x: float
    fill: str
    text_fill: str
    text: str
    dashed: bool = False

    @property
    def text_x(self) -> float:
        return self.x + 28


@dataclass
class TileMap:
    width: int
    height: int
    tiles: list[Tile]
    legend: list[LegendBand]
    legend_y: int
    tile: int = TILE


def band_limits(maximum: int) -> list[tuple[int, int]]:
    """Value ranges of the four non-zero bands: [1, a], [a+1, b], … up to `maximum`."""
    if maximum <= 0:
        return []
    cuts = sorted({max(1, round(maximum * share)) for share in (0.25, 0.5, 0.75, 1.0)})
    limits: list[tuple[int, int]] = []
    low = 1
    for cut in cuts:
        if cut >= low:
            limits.append((low, cut))
            low = cut + 1
    return limits


def band_of(value: int, limits: list[tuple[int, int]]) -> int:
    if value <= 0:
        return 0
    for index, (low, high) in enumerate(limits):
        if low <= value <= high:
            # fewer than four ranges (small maxima) take the darkest shades
            return len(BANDS) - len(limits) + index
    return len(BANDS) - 1


def tile_map(places: list[tuple[str, str, int | None, str]], *, unit: str) -> TileMap:
    """Tiles of (code, name, value or None when outside the filters, link) for every place."""
    maximum = max((value or 0 for _, _, value, _ in places), default=0)
    limits = band_limits(maximum)
    tiles: list[Tile] = []
    for code, name, value, href in places:
        if code not in TILES:
            continue
        column, row = TILES[code]
        x = column * (TILE + GAP)
        y = LEGEND_HEIGHT + row * (TILE + GAP) + (TERRITORY_GAP if code in TERRITORY_TILES else 0)
        if value is None:
            fill, text_fill = OUTSIDE_FILTER
            label = f"{name}: outside the filters"
        else:
            fill, text_fill = BANDS[band_of(value, limits)]
            label = f"{name}: {value:,} {unit}"
        tiles.append(
            Tile(
                code=code,
                name=name,
                x=x,
                y=y,
                value=value,
                fill=fill,
                text_fill=text_fill,
                href=href,
                label=label,
            )
        )
    legend = [LegendBand(x=0, fill=BANDS[0][0], text_fill=BANDS[0][1], text="0")]
    for index, (low, high) in enumerate(limits):
        fill, text_fill = BANDS[band_of(high, limits)]
        text = f"{low:,}" if low == high else f"{low:,}–{high:,}"
        legend.append(LegendBand(x=(index + 1) * 96, fill=fill, text_fill=text_fill, text=text))
    if any(tile.value is None for tile in tiles):
        legend.append(
            LegendBand(
                x=len(legend) * 96,
                fill=OUTSIDE_FILTER[0],
                text_fill=OUTSIDE_FILTER[1],
                text="not in filter",
                dashed=True,
            )
        )
    width = COLUMNS * (TILE + GAP)
    height = LEGEND_HEIGHT + ROWS * (TILE + GAP) + TERRITORY_GAP
    return TileMap(width=width, height=height, tiles=tiles, legend=legend, legend_y=0)

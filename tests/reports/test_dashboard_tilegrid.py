"""The tile-grid map's layout (issue #10): all 56 States and Territories, one square each,
the Territories beside the grid, and the shading bands."""

from __future__ import annotations

import json
from pathlib import Path

from reports.dashboard import tilegrid

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "data" / "reference.json"


def test_every_state_and_territory_of_the_reference_list_has_one_tile() -> None:
    codes = {item["code"] for item in json.loads(REFERENCE.read_text())["jurisdictions"]}
    assert len(codes) == 56
    assert set(tilegrid.TILES) == codes
    assert len(tilegrid.STATE_TILES) == 51
    assert set(tilegrid.TERRITORY_TILES) == {"PR", "VI", "GU", "AS", "MP"}
    assert len(set(tilegrid.TILES.values())) == 56  # no two tiles on one square


def test_territories_sit_in_their_own_row_below_the_states() -> None:
    state_rows = {row for _, row in tilegrid.STATE_TILES.values()}
    assert {row for _, row in tilegrid.TERRITORY_TILES.values()} == {max(state_rows) + 1}


def test_usual_layout_corners() -> None:
    assert tilegrid.TILES["AK"] == (0, 0)
    assert tilegrid.TILES["ME"][1] == 0 and tilegrid.TILES["ME"][0] == max(
        col for col, _ in tilegrid.STATE_TILES.values()
    )
    assert tilegrid.TILES["HI"][1] == tilegrid.TILES["TX"][1] == tilegrid.TILES["FL"][1]


def test_bands_cover_every_value_and_darken_with_it() -> None:
    limits = tilegrid.band_limits(40)
    assert limits[0][0] == 1 and limits[-1][1] == 40
    bands = [tilegrid.band_of(v, limits) for v in range(0, 41)]
    assert bands[0] == 0 and bands[-1] == len(tilegrid.BANDS) - 1
    assert bands == sorted(bands)
    assert tilegrid.band_of(1, tilegrid.band_limits(1)) == len(tilegrid.BANDS) - 1


def test_tiles_outside_the_filters_show_a_dash_and_say_so() -> None:
    drawn = tilegrid.tile_map(
        [("GA", "Georgia", 3, "/states/GA/"), ("GU", "Guam", None, "/states/GU/")],
        unit="open TA activities",
    )
    tiles = {t.code: t for t in drawn.tiles}
    assert tiles["GA"].label == "Georgia: 3 open TA activities"
    assert tiles["GU"].label == "Guam: outside the filters"
    assert drawn.legend[-1].text == "not in filter"

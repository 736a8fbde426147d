"""The dashboard (issue #10): charts, the tile-grid map, their tables and CSV files.

Reusable reads (the workspace homes may show the same figures):

- `dashboard_figures(filters, *, today, map_by="open") -> Dashboard` — every figure for
  some `DashboardFilters` (region, jurisdiction, category, primary_center, opened_from,
  opened_to; the search page's criteria). `Dashboard.figure(key)` gives one `Figure`
  (key in `CHART_KEYS`) with its `title`, one-sentence `summary`, table (`row_heading`,
  `columns`, `rows`), CSV rows and chart geometry. The number of queries is constant.
- `DashboardFilters(region=…)` — e.g. a federal viewer's region.
- Templates: `{% include "reports/dashboard/_figure.html" with figure=… %}` draws one
  figure with its table and CSV link.

Modules: `filters` (the URL's filters), `figures` (the figures), `sources` (their counts:
precomputed or from the records), `rollup` (keeping the precomputed counts current),
`charts` and `tilegrid` (SVG geometry), `csv` (downloads), `views`.
"""

from reports.dashboard.figures import CHART_KEYS, Dashboard, Figure, dashboard_figures
from reports.dashboard.filters import DashboardFilterForm, DashboardFilters

__all__ = [
    "CHART_KEYS",
    "Dashboard",
    "DashboardFilterForm",
    "DashboardFilters",
    "Figure",
    "dashboard_figures",
]

"""Reads of the reports app that other floors reuse (the workspace homes).

`dashboard_figures(filters, *, today, map_by="open")` returns every dashboard figure for
some `DashboardFilters`; see `reports.dashboard` for what a figure holds.
"""

from reports.dashboard import CHART_KEYS, Dashboard, DashboardFilters, Figure, dashboard_figures

__all__ = ["CHART_KEYS", "Dashboard", "DashboardFilters", "Figure", "dashboard_figures"]

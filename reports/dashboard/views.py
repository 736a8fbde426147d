"""The dashboard page and its CSV downloads (read-only, every signed-in person)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import require
from reports.dashboard.csv import figure_csv_response
from reports.dashboard.figures import CHART_TITLES, dashboard_figures
from reports.dashboard.filters import FILTER_PARAMS, MAP_CHOICES, DashboardFilterForm


def _today() -> dt.date:
    return timezone.localdate()


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Charts, the tile-grid map, their tables; `?format=csv&chart=<key>` downloads one.

    Every signed-in person reads every record (`tat.view`); the page only reads.
    """
    require(request.user, "tat.view")
    form = DashboardFilterForm(request.GET, charts=CHART_TITLES)
    # the filters as typed, carried by the download form
    kept = [(name, request.GET[name]) for name in (*FILTER_PARAMS, "map") if request.GET.get(name)]
    if not form.is_valid():
        return render(
            request,
            "reports/dashboard.html",
            {"form": form, "board": None, "map_choices": MAP_CHOICES, "kept": kept},
            status=400,
        )
    today = _today()
    map_by = form.cleaned_data["map"]
    board = dashboard_figures(form.filters(), today=today, map_by=map_by)
    if form.cleaned_data["format"] == "csv":
        figure = board.figure(form.cleaned_data["chart"])
        assert figure is not None  # noqa: S101 # nosec B101 # chart is one of CHART_KEYS
        return figure_csv_response(figure, today=today)
    query = board.filters.query_string()
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "board": board,
            "map_by": map_by,
            "map_choices": MAP_CHOICES,
            "kept": kept,
            "filter_query": query,
            "csv_query": f"{query}&" if query else "",
            "map_query": f"{query}&map=" if query else "map=",
        },
    )

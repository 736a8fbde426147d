"""One chart's numbers as a CSV file (the same numbers as its table)."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import HttpResponse

from reports.dashboard.figures import Figure

# A cell starting with one of these would run as a formula in a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def figure_csv_response(figure: Figure, *, today: dt.date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="tat-dashboard-{figure.key}-{today:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(figure.csv_header)
    for row in figure.csv_rows:
        writer.writerow([_safe(value) for value in row])
    return response

"""The monthly compliance report: the page, its CSV and its XLSX (issue 10).

Who may see it: every signed-in person (`tat.view`, accounts/permissions.py): DESIGN §1 has
every signed-in person read every record, and the report only counts records, so federal
viewers, TA staff, SSSs, center leads and administrators all read the same numbers. Signed-
out visitors are sent to the sign-in page. Views only translate: form → selector → page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import require
from core import security_log
from reports.compliance import export
from reports.compliance.figures import COLUMNS, compliance_report
from reports.compliance.forms import ComplianceFilterForm

TEMPLATE = "reports/compliance.html"


def _today() -> dt.date:
    return timezone.localdate()


def _other_month(month: dt.date, step: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + step
    return dt.date(index // 12, index % 12 + 1, 1)


def _page(request: HttpRequest, form: ComplianceFilterForm, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "report": None, "columns": COLUMNS}
    if form.is_valid():
        today = _today()
        filters = form.filters()
        report = compliance_report(filters, today=today)
        query = request.GET.copy()
        previous_month = _other_month(filters.month, -1)
        next_month = _other_month(filters.month, 1)
        query["month"] = f"{previous_month:%Y-%m}"
        previous_query = query.urlencode()
        query["month"] = f"{next_month:%Y-%m}"
        next_query = query.urlencode() if next_month <= today.replace(day=1) else ""
        context.update(
            {
                "report": report,
                "filters_described": filters.describe(),
                "query": filters.query_string(),
                "previous_month": previous_month,
                "previous_query": previous_query,
                "next_month": next_month,
                "next_query": next_query,
            }
        )
    return render(request, TEMPLATE, context, status=status)


def _form(request: HttpRequest) -> ComplianceFilterForm:
    require(request.user, "tat.view")
    return ComplianceFilterForm(request.GET, today=_today())


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """The report of one month (default: the last full month), per primary center and per
    State or Territory; a bad month or filter is shown on its field (400)."""
    form = _form(request)
    return _page(request, form, status=200 if form.is_valid() else 400)


def _download(request: HttpRequest, respond: Any, file_format: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():  # the page shows what to correct
        return _page(request, form, status=400)
    used = sorted(name for name, value in request.GET.items() if value and name in form.fields)
    security_log.security_event(
        security_log.EXPORT, format=file_format, report="compliance", criteria=used
    )
    return respond(compliance_report(form.filters(), today=_today()))


@login_required
@require_GET
def compliance_csv(request: HttpRequest) -> HttpResponse:
    """The same numbers as the page, as CSV."""
    return _download(request, export.csv_response, "csv")


@login_required
@require_GET
def compliance_xlsx(request: HttpRequest) -> HttpResponse:
    """The same numbers as the page, as an Excel workbook."""
    return _download(request, export.xlsx_response, "xlsx")

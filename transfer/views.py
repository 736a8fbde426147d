"""The administrator's import and export pages and the template downloads (issue 11).

Import: upload → dry run (nothing saved) → the errors as a table and a CSV, or a clean
report with a confirm button → the real run, all or nothing. The upload waits in
`PendingImport` between the two. Export: a zip of CSV files written to a temporary file and
streamed back (constant memory). Administrators only (403 for others; sign-in first for
anonymous visitors, by the site's login middleware). The template files are public, like
the Help page that offers them.
"""

from __future__ import annotations

import csv
import io
import tempfile

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from core import security_log
from transfer import templates as template_files
from transfer.exporter import export_records
from transfer.forms import ExportForm, ImportForm
from transfer.models import PendingImport
from transfer.reading import ImportFileError
from transfer.services import pending_import_commit, pending_import_dry_run, pending_import_for

TEMPLATE_NAME = "tat-import-template"
ERROR_HEADER = ["file", "row", "column", "message"]


def _pending(request: HttpRequest, pk: int) -> PendingImport:
    pending = pending_import_for(actor=request.user, pk=pk)
    if pending is None:
        raise Http404("No such upload.")
    return pending


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file and see its dry run: the errors, or a confirm button."""
    require(request.user, "transfer.import_records")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending, result = pending_import_dry_run(
                actor=request.user,
                file_name=upload.name,
                source=form.cleaned_data["source"].strip(),
                data=upload.read(),
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            form = ImportForm(initial={"source": pending.source})
            context.update(pending=pending, result=result, form=form)
    return render(request, "transfer/import.html", context)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The real run of a file whose dry run was clean: all or nothing."""
    pending = _pending(request, pk)
    if not pending.clean:
        raise PermissionDenied("Only a file whose dry run found no errors can be imported.")
    form = ImportForm(initial={"source": pending.source})
    try:
        result = pending_import_commit(actor=request.user, pending=pending)
    except ImportFileError as exc:
        # The stored upload can no longer be read: say so on the upload form; nothing ran.
        form = ImportForm(data={"source": pending.source})
        form.is_valid()
        form.add_error("file", f"The uploaded file could not be read again: {exc}")
        return render(request, "transfer/import.html", {"form": form}, status=400)
    if result.committed:
        return render(request, "transfer/import_done.html", {"result": result})
    return render(
        request, "transfer/import.html", {"form": form, "pending": pending, "result": result}
    )


@require_GET
def import_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The last dry run's errors as CSV (file, row, column, message)."""
    pending = _pending(request, pk)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(ERROR_HEADER)
    writer.writerows(pending.errors)
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
    return response


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    """The export form; with `download`, the zip of every (or one State's) records."""
    require(request.user, "transfer.export_records")
    form = ExportForm(request.GET if "download" in request.GET else None)
    if form.is_bound and form.is_valid():
        jurisdiction = form.cleaned_data["jurisdiction"]
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        manifest = export_records(handle, jurisdiction=jurisdiction)
        security_log.export_event(
            actor=request.user,
            scope=jurisdiction.code if jurisdiction else "all",
            counts=manifest["counts"],
            file_format="zip",
        )
        handle.seek(0)
        suffix = f"-{jurisdiction.code}" if jurisdiction else ""
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"tat-export{suffix}-{timezone.localdate():%Y%m%d}.zip",
            content_type="application/zip",
        )
    return render(request, "transfer/export.html", {"form": form})


@login_not_required
@require_GET
def template_csv(request: HttpRequest) -> HttpResponse:
    """The import template as CSV, with one example row per kind; public like Help."""
    response = HttpResponse(template_files.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}.csv"'
    return response


@login_not_required
@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    """The import template as an Excel workbook with column notes and instructions."""
    response = HttpResponse(
        template_files.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}.xlsx"'
    return response

"""Pages of the shell: home, the jurisdiction picker's target, and Help and Resources."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.context_processors import jurisdiction_choices
from core.help_resources import help_catalogue, help_csv, help_pdf
from reference.models import Jurisdiction

PICK_JURISDICTION_MISSING = "Choose a State or Territory from the list, then select Go."
HELP_FILE_NAME = "tat-standard-categories"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """H1: the signed-in person's TA activities."""
    return render(request, "core/home.html")


@require_GET
def jurisdiction(request: HttpRequest, code: str) -> HttpResponse:
    """H2: one State or Territory."""
    item = get_object_or_404(Jurisdiction.objects.select_related("region"), code=code.upper())
    return render(request, "core/jurisdiction.html", {"jurisdiction": item})


@require_GET
def pick_jurisdiction(request: HttpRequest) -> HttpResponse:
    """The header's "View/Add/Edit State TA for" picker (a plain GET form, no JavaScript)."""
    code = request.GET.get("jurisdiction", "").strip().upper()
    if code and any(choice.code == code for choice in jurisdiction_choices()):
        return redirect("core:jurisdiction", code=code)
    messages.error(request, PICK_JURISDICTION_MISSING)
    return redirect("core:home")


@login_not_required
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """HL2: the standard lists and the field definitions; public."""
    return render(request, "core/help.html", {"catalogue": help_catalogue()})


@login_not_required
@require_GET
def help_csv_download(request: HttpRequest) -> HttpResponse:
    text = help_csv(help_catalogue(include_fields=False))
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{HELP_FILE_NAME}.csv"'
    return response


@login_not_required
@require_GET
def help_pdf_download(request: HttpRequest) -> HttpResponse:
    pdf = help_pdf(help_catalogue(include_fields=False), generated_on=timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{HELP_FILE_NAME}.pdf"'
    return response

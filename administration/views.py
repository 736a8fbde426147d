"""The administrators' reference-list pages (issue 10): list, add, edit, deactivate and
reactivate, move up and down; field help editing. In the product's own look, in place of the
stock admin site (which is for superusers only).

Administrators only: others get 403 with a sentence, anonymous visitors the sign-in page
(the site's login middleware). A list or item that does not exist answers 404 first, for
everyone: reference data is no secret (every signed-in person reads it on the forms).
Views only translate: forms check the shape of the input, `reference.services` the rules
(unique names and codes, C1 versions, history).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from administration.forms import ActiveForm, FieldHelpForm, MoveForm, ReferenceItemForm
from administration.selectors import (
    field_help_entries,
    reference_item,
    reference_list_groups,
    reference_lists_overview,
)
from core import security_log
from core.forms import apply_service_errors
from core.history import changes_since, history_entries
from reference.lists import FIELD_HELP_TITLE, ReferenceList, reference_list
from reference.models import FieldHelp, ReferenceItem
from reference.selectors import reference_changes_since
from reference.services import (
    CONFLICT_MESSAGE,
    ReferenceConflict,
    field_help_update,
    reference_item_create,
    reference_item_move,
    reference_item_set_active,
    reference_item_update,
)

PERM = "administration.manage_reference"
RECENT_DAYS = 30
SHOW_CHOICES = {"all": "All", "active": "Active", "inactive": "Inactive"}


def _list_or_404(slug: str) -> ReferenceList:
    ref_list = reference_list(slug)
    if ref_list is None:
        raise Http404("No such reference list.")
    return ref_list


def _item_or_404(ref_list: ReferenceList, pk: int) -> ReferenceItem:
    item = reference_item(ref_list, pk)
    if item is None:
        raise Http404(f"No such {ref_list.singular}.")
    return item


def _list_url(ref_list: ReferenceList, item: ReferenceItem | None = None) -> str:
    url = reverse("administration:list", args=[ref_list.slug])
    return f"{url}#item-{item.pk}" if item is not None else url


def _logged(action: str, obj: Any) -> None:
    """Issue #12: one security event per administrator's change to a reference list or help."""
    security_log.security_event(
        security_log.ADMIN_ACTION,
        action=action,
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
        object_id=str(obj.pk),
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The lists with their counts, the field help, and the last month's changes."""
    require(request.user, PERM)
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    return render(
        request,
        "administration/index.html",
        {
            "lists": reference_lists_overview(),
            "field_help_title": FIELD_HELP_TITLE,
            "changes": reference_changes_since(since, limit=20),
            "recent_days": RECENT_DAYS,
        },
    )


@require_GET
def list_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One list, in its order, with each item's status and actions."""
    ref_list = _list_or_404(slug)
    require(request.user, PERM)
    show = request.GET.get("show", "all")
    if show not in SHOW_CHOICES:
        show = "all"
    return render(
        request,
        "administration/list.html",
        {
            "ref_list": ref_list,
            "groups": reference_list_groups(ref_list, show=show),
            "show": show,
            "show_choices": SHOW_CHOICES,
        },
    )


def _item_data(form: ReferenceItemForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in form.fields if name != "version"}


@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, slug: str) -> HttpResponse:
    ref_list = _list_or_404(slug)
    require(request.user, PERM)
    form = ReferenceItemForm(request.POST or None, ref_list=ref_list, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            item = reference_item_create(
                ref_list=ref_list, actor=request.user, data=_item_data(form)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _logged("addition", item)
            messages.success(request, f"“{item}” was added to {ref_list.title.lower()}.")
            return redirect(_list_url(ref_list, item))
    return render(
        request,
        "administration/item_form.html",
        {"ref_list": ref_list, "form": form, "item": None},
    )


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit an item (C1: a stale save shows what changed and keeps the typing); its history."""
    ref_list = _list_or_404(slug)
    item = _item_or_404(ref_list, pk)
    require(request.user, PERM)
    initial = {"name": item.name, "definition": item.definition, "version": item.version}
    if ref_list.has_code:
        initial["code"] = item.code
    if ref_list.numbered:
        initial["number"] = item.number
    form = ReferenceItemForm(request.POST or None, initial=initial, ref_list=ref_list, adding=False)
    changes: list = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = reference_item_update(
                ref_list=ref_list,
                item=item,
                actor=request.user,
                data=_item_data(form),
                expected_version=form.cleaned_data.get("version"),
            )
        except ReferenceConflict as conflict:
            changes = changes_since(conflict.current, form.cleaned_data.get("version") or 0)
            form = _rebound(
                request,
                conflict.current.version,
                ReferenceItemForm,
                ref_list=ref_list,
                adding=False,
            )
            item = conflict.current
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _logged("change", saved)
            messages.success(request, f"“{saved}” was saved.")
            return redirect(_list_url(ref_list, saved))
    return render(
        request,
        "administration/item_form.html",
        {
            "ref_list": ref_list,
            "form": form,
            "item": item,
            "changes": changes,
            "entries": history_entries(item),
        },
    )


def _rebound(request: HttpRequest, version: int, form_class: type, **kwargs: Any) -> Any:
    """C1: the person's own typing, bound again over the stored version, with the message."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, CONFLICT_MESSAGE)
    return form


@require_POST
def item_set_active(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ref_list = _list_or_404(slug)
    item = _item_or_404(ref_list, pk)
    require(request.user, PERM)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Active: {form.errors['active'][0]}")
        return redirect(_list_url(ref_list, item))
    active = form.cleaned_data["active"]
    try:
        item = reference_item_set_active(
            ref_list=ref_list, item=item, actor=request.user, active=active
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _logged("reactivation" if active else "deactivation", item)
        word = "reactivated" if active else "deactivated: it stays on old records"
        messages.success(request, f"“{item}” was {word}.")
    return redirect(_list_url(ref_list, item))


@require_POST
def item_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ref_list = _list_or_404(slug)
    if not ref_list.reorderable:
        raise Http404(f"{ref_list.title} are ordered by their number.")
    item = _item_or_404(ref_list, pk)
    require(request.user, PERM)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Direction: {form.errors['direction'][0]}")
        return redirect(_list_url(ref_list, item))
    item = reference_item_move(
        ref_list=ref_list,
        item=item,
        actor=request.user,
        direction=form.cleaned_data["direction"],
    )
    _logged(f"move {form.cleaned_data['direction']}", item)
    messages.success(request, f"“{item}” was moved {form.cleaned_data['direction']}.")
    return redirect(_list_url(ref_list, item))


@require_GET
def help_list(request: HttpRequest) -> HttpResponse:
    require(request.user, PERM)
    return render(request, "administration/help_list.html", {"entries": field_help_entries()})


@require_http_methods(["GET", "POST"])
def help_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one field's help text (HL1), with C1 and its history."""
    entry = FieldHelp.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404("No such field help.")
    require(request.user, PERM)
    initial = {
        "label": entry.label,
        "definition": entry.definition,
        "best_practice": entry.best_practice,
        "version": entry.version,
    }
    form = FieldHelpForm(request.POST or None, initial=initial)
    changes: list = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = field_help_update(
                entry=entry,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ReferenceConflict as conflict:
            changes = changes_since(conflict.current, form.cleaned_data.get("version") or 0)
            form = _rebound(request, conflict.current.version, FieldHelpForm)
            entry = conflict.current
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _logged("change", saved)
            messages.success(request, f"The help for “{saved.label}” was saved.")
            return redirect(f"{reverse('administration:help_list')}#help-{saved.pk}")
    return render(
        request,
        "administration/help_form.html",
        {"entry": entry, "form": form, "changes": changes, "entries": history_entries(entry)},
    )

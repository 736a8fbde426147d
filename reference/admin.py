"""Stock admin for the reference lists (DESIGN §2), for superusers only (issue 10):
administrators keep the lists on the product's own pages (`administration/`).

List items are never deleted from the admin: they may be used by old records, so they are
deactivated instead (an action is offered). The `key` linking an item to the shipped data
file is shown but not editable.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from reference.models import (
    Center,
    CollaboratorType,
    DeliveryMethod,
    FieldHelp,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
    TAType,
)


class NoDeleteMixin:
    """Reference rows are kept forever; inactive items simply cannot be chosen."""

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


def _set_active(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, active: bool
) -> None:
    # One save per row (not QuerySet.update) so that every change is kept in the history.
    changed = 0
    for item in queryset:
        if item.active != active:
            item.active = active
            item.version += 1  # C1: an open edit form on the reference-list pages is stale
            item._change_reason = "Activated in admin" if active else "Deactivated in admin"
            item.save()
            changed += 1
    word = "activated" if active else "deactivated"
    modeladmin.message_user(request, f"{changed} item(s) {word}.", messages.SUCCESS)


@admin.action(description="Deactivate selected items (keep them on old records)")
def deactivate(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _set_active(modeladmin, request, queryset, False)


@admin.action(description="Activate selected items")
def activate(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _set_active(modeladmin, request, queryset, True)


class VersionBumpMixin:
    """C1: a superuser's save here makes an administrator's open edit form stale."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)  # type: ignore[misc]


class ReferenceItemAdmin(NoDeleteMixin, VersionBumpMixin, SimpleHistoryAdmin):
    list_display = ("name", "active", "sort_order", "key")
    list_editable = ("sort_order",)
    list_filter = ("active",)
    search_fields = ("name", "definition", "key")
    ordering = ("sort_order", "name")
    readonly_fields = ("key",)
    actions = (deactivate, activate)
    fields = ("name", "definition", "sort_order", "active", "key")


@admin.register(Region)
class RegionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("short_name", "city", "jurisdiction_count")
    search_fields = ("numeral", "city")
    ordering = ("number",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_jurisdictions=Count("jurisdictions"))

    @admin.display(description="States and Territories", ordering="n_jurisdictions")
    def jurisdiction_count(self, obj: Region) -> int:
        return obj.n_jurisdictions


@admin.register(Jurisdiction)
class JurisdictionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "region")
    list_filter = ("kind", "region")
    list_select_related = ("region",)
    search_fields = ("name", "code")
    ordering = ("name",)


@admin.register(GoalCategory)
class GoalCategoryAdmin(ReferenceItemAdmin):
    list_display = ("number", "name", "active", "key")
    list_display_links = ("number", "name")
    list_editable = ()
    ordering = ("number",)
    fields = ("number", "name", "definition", "sort_order", "active", "key")


class CategoryItemAdmin(ReferenceItemAdmin):
    list_display = ("name", "category", "active", "sort_order", "key")
    list_filter = ("active", "category")
    list_select_related = ("category",)
    ordering = ("category__number", "sort_order", "name")
    fields = ("category", "name", "definition", "sort_order", "active", "key")


@admin.register(StrategicAreaItem)
class StrategicAreaItemAdmin(CategoryItemAdmin):
    pass


@admin.register(FocusArea)
class FocusAreaAdmin(CategoryItemAdmin):
    list_display = ("name", "category", "is_other", "active", "sort_order", "key")
    list_filter = ("active", "category", "is_other")
    fields = ("category", "name", "definition", "is_other", "sort_order", "active", "key")


@admin.register(Center)
class CenterAdmin(ReferenceItemAdmin):
    list_display = ("name", "code", "active", "sort_order", "key")
    search_fields = ("name", "code", "definition", "key")
    fields = ("name", "code", "definition", "sort_order", "active", "key")


@admin.register(CollaboratorType)
class CollaboratorTypeAdmin(ReferenceItemAdmin):
    list_display = ("name", "is_other", "active", "sort_order", "key")
    list_filter = ("active", "is_other")
    fields = ("name", "definition", "is_other", "sort_order", "active", "key")


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(ReferenceItemAdmin):
    pass


@admin.register(TAType)
class TATypeAdmin(ReferenceItemAdmin):
    pass


@admin.register(FieldHelp)
class FieldHelpAdmin(NoDeleteMixin, VersionBumpMixin, SimpleHistoryAdmin):
    """The guide's help texts (HL1); administrators may edit the wording."""

    list_display = ("key", "label")
    search_fields = ("key", "label", "definition", "best_practice")
    ordering = ("key",)
    fields = ("key", "label", "definition", "best_practice")

    def get_readonly_fields(self, request: HttpRequest, obj: FieldHelp | None = None) -> tuple:
        # The UI looks entries up by key: renaming one would silently drop its help text.
        return ("key",) if obj is not None else ()

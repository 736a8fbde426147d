"""Reads for the reference-list pages: the lists with their counts, one list's items (grouped
by goal category where the list has categories) and the field help catalogue. Each page's
query count is fixed, whatever the number of items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from reference.lists import REFERENCE_LISTS, ReferenceList
from reference.models import FieldHelp, ReferenceItem


@dataclass(frozen=True)
class ListOverview:
    ref_list: ReferenceList
    active: int
    inactive: int


@dataclass
class ItemGroup:
    """Items that are ordered together: a category's items, or the whole list."""

    title: str  # "" for a list without categories
    items: list[Any] = field(default_factory=list)


def reference_lists_overview() -> list[ListOverview]:
    """Every list with its number of active and inactive items (one query per list)."""
    rows = []
    for ref_list in REFERENCE_LISTS:
        counts = ref_list.model._default_manager.aggregate(
            n_active=Count("pk", filter=Q(active=True)),
            n_inactive=Count("pk", filter=Q(active=False)),
        )
        rows.append(ListOverview(ref_list, counts["n_active"], counts["n_inactive"]))
    return rows


def reference_list_groups(ref_list: ReferenceList, *, show: str = "all") -> list[ItemGroup]:
    """The list's items in their order, active and inactive (`show` narrows to one), grouped
    by goal category for strategic areas and TA focus areas. One query."""
    qs = ref_list.model._default_manager.all()
    if show == "active":
        qs = qs.filter(active=True)
    elif show == "inactive":
        qs = qs.filter(active=False)
    if not ref_list.by_category:
        order = ("number",) if ref_list.numbered else ("sort_order", "name", "pk")
        return [ItemGroup("", list(qs.order_by(*order)))]
    qs = qs.select_related("category").order_by("category__number", "sort_order", "name", "pk")
    groups: dict[Any, ItemGroup] = {}
    other: ItemGroup | None = None
    for item in qs:
        if item.category_id is None:  # the "Other" TA focus, offered under every category
            other = other or ItemGroup("Every goal category")
            other.items.append(item)
            continue
        group = groups.get(item.category_id)
        if group is None:
            group = groups[item.category_id] = ItemGroup(str(item.category))
        group.items.append(item)
    return [*groups.values(), *([other] if other else [])]


def reference_item(ref_list: ReferenceList, pk: int) -> ReferenceItem | None:
    qs = ref_list.model._default_manager.all()
    if ref_list.by_category:
        qs = qs.select_related("category")
    return qs.filter(pk=pk).first()


def field_help_entries() -> list[FieldHelp]:
    return list(FieldHelp.objects.order_by("key"))

"""Writes to the reference lists: loading the shipped defaults (DESIGN §2, §6).

`reference_data_load` is idempotent. Items are matched by their natural key (regions by
number, jurisdictions by code, field help and list items by `key`), so re-loading updates
names, definitions and sort order instead of adding twins. List items that carry a key
but are no longer in the file are deactivated, never deleted: old records may use them.
Items an administrator added in the app (no key) are left alone, except that a file item
adopts an unkeyed item with the same identity (same category and name, same center code,
same category number) rather than creating a duplicate.

Every write goes through `full_clean()` and `save()` one row at a time so that each change
is validated and kept in the history (bulk writes would skip both).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import models, transaction

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

DEFAULT_DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "reference.json"
CHANGE_REASON = "Loaded from the reference data file"

LISTS = (
    "regions",
    "jurisdictions",
    "goal_categories",
    "other_focus_area",
    "centers",
    "collaborator_types",
    "delivery_methods",
    "ta_types",
    "field_help",
)
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

ERR_NOT_OBJECT = "must be a JSON object"
ERR_NOT_LIST = "must be a list"
ERR_MISSING = "is missing the field {field!r}"
ERR_UNKNOWN = "has unknown field(s) {fields}; expected {expected}"
ERR_TEXT = "field {field!r} must be text (a string or a list of lines)"
ERR_EMPTY = "field {field!r} must not be empty"
ERR_INT = "field {field!r} must be a whole number"
ERR_BOOL = "field {field!r} must be true or false"
ERR_SLUG = (
    "field {field!r} must be lowercase letters, digits, '-' or '_' "
    "(dots too for field help keys), got {value!r}"
)
ERR_DUPLICATE = "repeats {field} {value!r}, already used by another item of this list"
ERR_UNKNOWN_REGION = "names region {value!r}, which is not in the regions list"
ERR_KIND = "field 'kind' must be one of {choices}, got {value!r}"
ERR_NO_ITEMS = "needs at least one item in {field!r}"


class ReferenceDataError(Exception):
    """The data file is malformed. The message names the list and the item."""


@dataclass
class ListCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0


@dataclass
class LoadReport:
    counts: dict[str, ListCounts] = field(default_factory=dict)

    def for_list(self, label: str) -> ListCounts:
        return self.counts.setdefault(label, ListCounts())

    def lines(self) -> list[str]:
        return [
            f"{label}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged, "
            f"{c.deactivated} deactivated"
            for label, c in self.counts.items()
        ]


# ---------------------------------------------------------------------------------------
# Reading and checking the file


def reference_data_read(*, path: Path | str = DEFAULT_DATA_FILE) -> dict[str, Any]:
    """Read the data file; a missing file or bad JSON raises ReferenceDataError."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(f"Cannot read reference data file {path}: {exc}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(
            f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path.name}: the top level {ERR_NOT_OBJECT}")
    return data


class _Item:
    """One item of a list in the file, with the context needed for clear messages."""

    def __init__(self, list_name: str, index: int, raw: Any, *, id_field: str) -> None:
        self.list_name = list_name
        self.index = index
        self.raw = raw
        ident = raw.get(id_field) if isinstance(raw, dict) else None
        name = raw.get("name") or raw.get("label") if isinstance(raw, dict) else None
        self.where = f"{list_name}, item {index + 1}"
        if ident is not None:
            self.where += f" ({id_field} {ident!r}" + (f", {name!r})" if name else ")")
        if not isinstance(raw, dict):
            self.fail(ERR_NOT_OBJECT)

    def fail(self, problem: str) -> NoReturn:
        raise ReferenceDataError(f"{self.where}: {problem}")

    def check_fields(self, required: Set[str], optional: Set[str] = frozenset()) -> None:
        for name in sorted(required):
            if name not in self.raw:
                self.fail(ERR_MISSING.format(field=name))
        unknown = set(self.raw) - required - set(optional)
        if unknown:
            self.fail(
                ERR_UNKNOWN.format(
                    fields=", ".join(sorted(unknown)),
                    expected=", ".join(sorted(required | set(optional))),
                )
            )

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(name, default)
        if isinstance(value, list) and all(isinstance(line, str) for line in value):
            value = "\n".join(value)
        if not isinstance(value, str):
            self.fail(ERR_TEXT.format(field=name))
        value = value.strip()
        if required and not value:
            self.fail(ERR_EMPTY.format(field=name))
        return value

    def integer(self, name: str) -> int:
        value = self.raw.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(ERR_INT.format(field=name))
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            self.fail(ERR_BOOL.format(field=name))
        return value

    def key(self, name: str = "key", *, dots: bool = False) -> str:
        value = self.raw.get(name)
        pattern = _KEY_RE if dots else _SLUG_RE
        if not isinstance(value, str) or not pattern.match(value):
            self.fail(ERR_SLUG.format(field=name, value=value))
        return value

    def items(self, name: str) -> list[Any]:
        value = self.raw.get(name)
        if not isinstance(value, list):
            self.fail(f"field {name!r} {ERR_NOT_LIST}")
        if not value:
            self.fail(ERR_NO_ITEMS.format(field=name))
        return value


def _items(data: Mapping[str, Any], list_name: str, *, id_field: str) -> list[_Item]:
    raw = data.get(list_name)
    if raw is None:
        raise ReferenceDataError(f"The data file has no {list_name!r} list.")
    if not isinstance(raw, list):
        raise ReferenceDataError(f"{list_name} {ERR_NOT_LIST}")
    return [_Item(list_name, i, r, id_field=id_field) for i, r in enumerate(raw)]


class _Unique:
    """Remembers values seen in one list to refuse a repeated key, code or number."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, Any]] = set()

    def check(self, item: _Item, name: str, value: Any) -> None:
        if (name, value) in self.seen:
            item.fail(ERR_DUPLICATE.format(field=name, value=value))
        self.seen.add((name, value))


# ---------------------------------------------------------------------------------------
# Writing


def _save(obj: models.Model, item: _Item, *, check_db: bool) -> None:
    """Validate and save one row; a problem becomes an error naming the item.

    Foreign keys point at rows this load has just read or written, so they are not
    re-queried. Uniqueness against the database is checked only when the table already
    had rows: on a first load the file's own duplicate checks (see `_Unique`) cover it,
    which keeps loading into an empty database fast (tests do that for every test).
    """
    exclude = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.full_clean(exclude=exclude, validate_unique=check_db, validate_constraints=check_db)
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
        item.fail(problems)
    if obj.pk is not None:
        obj.version += 1  # C1: an administrator's open edit form is now stale
    obj._change_reason = CHANGE_REASON
    obj.save()


def _upsert(
    item: _Item,
    *,
    existing: models.Model | None,
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    counts: ListCounts,
    check_db: bool = True,
) -> models.Model:
    """Create the row, or update it when a value differs; count what happened."""
    if existing is None:
        obj = model(**lookup, **values)
        _save(obj, item, check_db=check_db)
        counts.created += 1
        return obj
    changed = False
    for name, value in {**lookup, **values}.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)
            changed = True
    if changed:
        _save(existing, item, check_db=True)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return existing


def _sync_keyed(
    model: type[models.Model],
    rows: list[tuple[_Item, str, dict[str, Any]]],
    *,
    counts: ListCounts,
    same_identity: Callable[[models.Model, dict[str, Any]], bool],
) -> dict[str, models.Model]:
    """Upsert reference-list items by `key` and deactivate keyed items not in the file."""
    by_key = {obj.key: obj for obj in model.objects.exclude(key=None)}
    unkeyed = list(model.objects.filter(key=None))
    check_db = bool(by_key or unkeyed)
    result: dict[str, models.Model] = {}
    for item, key, values in rows:
        existing = by_key.get(key)
        if existing is None:
            existing = next((o for o in unkeyed if same_identity(o, values)), None)
            if existing is not None:
                unkeyed.remove(existing)
        result[key] = _upsert(
            item,
            existing=existing,
            model=model,
            lookup={"key": key},
            values=values,
            counts=counts,
            check_db=check_db,
        )
    for key, obj in by_key.items():
        if key not in result and obj.active:
            obj.active = False
            obj.version += 1
            obj._change_reason = "No longer in the reference data file"
            obj.save()
            counts.deactivated += 1
    return result


def _same_name(obj: models.Model, values: dict[str, Any]) -> bool:
    return obj.name == values["name"]


def _same_category_and_name(obj: models.Model, values: dict[str, Any]) -> bool:
    return obj.category_id == values["category_id"] and obj.name == values["name"]


def _load_regions(data: Mapping[str, Any], report: LoadReport) -> dict[int, Region]:
    counts = report.for_list("regions")
    existing = {r.number: r for r in Region.objects.all()}
    unique = _Unique()
    regions: dict[int, Region] = {}
    for item in _items(data, "regions", id_field="number"):
        item.check_fields({"number", "numeral", "city"})
        number = item.integer("number")
        unique.check(item, "number", number)
        values = {"numeral": item.text("numeral"), "city": item.text("city")}
        unique.check(item, "numeral", values["numeral"])
        regions[number] = _upsert(
            item,
            existing=existing.get(number),
            model=Region,
            lookup={"number": number},
            values=values,
            counts=counts,
            check_db=bool(existing),
        )
    return regions


def _load_jurisdictions(data: Mapping[str, Any], report: LoadReport, regions: dict) -> None:
    counts = report.for_list("jurisdictions")
    existing = {j.code: j for j in Jurisdiction.objects.all()}
    kinds = [k.value for k in Jurisdiction.Kind]
    unique = _Unique()
    for item in _items(data, "jurisdictions", id_field="code"):
        item.check_fields({"code", "name", "kind", "region"})
        code = item.text("code")
        unique.check(item, "code", code)
        kind = item.text("kind")
        if kind not in kinds:
            item.fail(ERR_KIND.format(choices=", ".join(kinds), value=kind))
        region = regions.get(item.integer("region"))
        if region is None:
            item.fail(ERR_UNKNOWN_REGION.format(value=item.raw["region"]))
        values = {"name": item.text("name"), "kind": kind, "region_id": region.pk}
        unique.check(item, "name", values["name"])
        _upsert(
            item,
            existing=existing.get(code),
            model=Jurisdiction,
            lookup={"code": code},
            values=values,
            counts=counts,
            check_db=bool(existing),
        )


_ITEM_FIELDS = frozenset({"key", "name", "definition"})
_ITEM_OPTIONAL = frozenset({"active"})


def _item_values(item: _Item, index: int) -> dict[str, Any]:
    return {
        "name": item.text("name"),
        "definition": item.text("definition"),
        "sort_order": index + 1,
        "active": item.boolean("active", True),
    }


def _load_categories(data: Mapping[str, Any], report: LoadReport) -> None:
    cat_rows: list[tuple[_Item, str, dict[str, Any]]] = []
    nested: list[tuple[str, _Item]] = []
    keys, numbers = _Unique(), _Unique()
    for index, item in enumerate(_items(data, "goal_categories", id_field="key")):
        item.check_fields(
            _ITEM_FIELDS | {"number", "strategic_areas", "focus_areas"}, _ITEM_OPTIONAL
        )
        key = item.key()
        keys.check(item, "key", key)
        number = item.integer("number")
        numbers.check(item, "number", number)
        cat_rows.append((item, key, {**_item_values(item, index), "number": number}))
        nested.append((key, item))

    categories = _sync_keyed(
        GoalCategory,
        cat_rows,
        counts=report.for_list("goal categories"),
        same_identity=lambda obj, values: obj.number == values["number"],
    )

    for list_name, model, label in (
        ("strategic_areas", StrategicAreaItem, "strategic areas"),
        ("focus_areas", FocusArea, "TA focus areas"),
    ):
        rows: list[tuple[_Item, str, dict[str, Any]]] = []
        seen = _Unique()
        for cat_key, cat_item in nested:
            category = categories[cat_key]
            for index, raw in enumerate(cat_item.items(list_name)):
                item = _Item(
                    f"{list_name} of goal category {cat_key!r}", index, raw, id_field="key"
                )
                item.check_fields(_ITEM_FIELDS, _ITEM_OPTIONAL)
                key = item.key()
                seen.check(item, "key", key)
                values = {**_item_values(item, index), "category_id": category.pk}
                seen.check(item, "name in its category", (cat_key, values["name"]))
                if model is FocusArea:
                    values["is_other"] = False
                rows.append((item, key, values))
        if model is FocusArea:
            rows.append(_other_focus_row(data))
            seen.check(rows[-1][0], "key", rows[-1][1])
        _sync_keyed(
            model, rows, counts=report.for_list(label), same_identity=_same_category_and_name
        )


def _other_focus_row(data: Mapping[str, Any]) -> tuple[_Item, str, dict[str, Any]]:
    """The one "Other" TA focus (A1): no category, offered under every category."""
    raw = data.get("other_focus_area")
    if raw is None:
        raise ReferenceDataError("The data file has no 'other_focus_area' entry.")
    item = _Item("other_focus_area", 0, raw, id_field="key")
    item.check_fields(_ITEM_FIELDS, _ITEM_OPTIONAL)
    values = {**_item_values(item, 0), "category_id": None, "is_other": True}
    values["sort_order"] = 9999  # after every category's own items
    return item, item.key(), values


def _load_simple_list(
    data: Mapping[str, Any],
    report: LoadReport,
    *,
    list_name: str,
    label: str,
    model: type[models.Model],
    extra: Callable[[_Item], dict[str, Any]] | None = None,
    required: frozenset[str] = frozenset(),
    optional: frozenset[str] = frozenset(),
    same_identity: Callable[[models.Model, dict[str, Any]], bool] = _same_name,
) -> None:
    rows: list[tuple[_Item, str, dict[str, Any]]] = []
    unique = _Unique()
    for index, item in enumerate(_items(data, list_name, id_field="key")):
        item.check_fields(_ITEM_FIELDS | required, _ITEM_OPTIONAL | optional)
        key = item.key()
        unique.check(item, "key", key)
        values = _item_values(item, index)
        if extra:
            values.update(extra(item))  # nosec B610 # a callable named extra, not QuerySet.extra
        unique.check(item, "name", values["name"])
        if "code" in values:
            unique.check(item, "code", values["code"])
        rows.append((item, key, values))
    _sync_keyed(model, rows, counts=report.for_list(label), same_identity=same_identity)


def _center_extra(item: _Item) -> dict[str, Any]:
    return {"code": item.text("code")}


def _is_other_extra(item: _Item) -> dict[str, Any]:
    return {"is_other": item.boolean("is_other", False)}


def _load_field_help(data: Mapping[str, Any], report: LoadReport) -> None:
    counts = report.for_list("field help")
    existing = {h.key: h for h in FieldHelp.objects.all()}
    unique = _Unique()
    for item in _items(data, "field_help", id_field="key"):
        item.check_fields({"key", "label", "definition"}, {"best_practice"})
        key = item.key(dots=True)
        unique.check(item, "key", key)
        values = {
            "label": item.text("label"),
            "definition": item.text("definition", required=False),
            "best_practice": item.text("best_practice", required=False),
        }
        if not values["definition"] and not values["best_practice"]:
            item.fail(ERR_EMPTY.format(field="definition"))
        _upsert(
            item,
            existing=existing.get(key),
            model=FieldHelp,
            lookup={"key": key},
            values=values,
            counts=counts,
            check_db=bool(existing),
        )


def reference_data_load(*, data: Mapping[str, Any]) -> LoadReport:
    """Create or update every reference list from `data` (the parsed file), atomically.

    Raises ReferenceDataError naming the list and item when the data is malformed; then
    nothing is saved.
    """
    unknown = sorted(k for k in data if k not in LISTS and not k.startswith("_"))
    if unknown:
        raise ReferenceDataError(
            f"The data file has unknown list(s) {', '.join(unknown)}; expected {', '.join(LISTS)}."
        )
    report = LoadReport()
    with transaction.atomic():
        regions = _load_regions(data, report)
        _load_jurisdictions(data, report, regions)
        _load_categories(data, report)
        _load_simple_list(
            data,
            report,
            list_name="centers",
            label="national centers",
            model=Center,
            extra=_center_extra,
            required=frozenset({"code"}),
            same_identity=lambda obj, values: obj.code == values["code"],
        )
        _load_simple_list(
            data,
            report,
            list_name="collaborator_types",
            label="other-collaborator types",
            model=CollaboratorType,
            extra=_is_other_extra,
            optional=frozenset({"is_other"}),
        )
        _load_simple_list(
            data,
            report,
            list_name="delivery_methods",
            label="delivery methods",
            model=DeliveryMethod,
        )
        _load_simple_list(data, report, list_name="ta_types", label="TA types", model=TAType)
        _load_field_help(data, report)
    return report

"""DESIGN §5: query-string fuzz — every page that reads GET parameters answers odd values
with a page, a field error naming the parameter, or a 404; never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from search.forms import SearchForm
from tests.factories_activities import World, build_world, create_activity

VALUES = (
    "",
    " ",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "2026-02-30",
    "'; DROP TABLE goals_goal; --",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "é中🙂",
    "²",  # a digit to str.isdigit() that int() refuses
    "١٢",  # Arabic-Indic digits, which int() reads
    "1e9",
    "TA-",
    "TA-99999999999999999999",
)

SEARCH_PARAMS = (*SearchForm.base_fields, "sort", "page")
DATE_PARAMS = [name for name in SearchForm.base_fields if name.endswith(("_from", "_to"))]


@pytest.fixture
def world(db) -> World:
    world = build_world()
    create_activity(world)
    return world


def _pages(world: World) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Page label -> (URL, the GET parameters it reads)."""
    return {
        "home": (reverse("core:home"), ("sort", "page")),
        "find by ID": (reverse("core:find_record"), ("record",)),
        "jurisdiction picker": (reverse("core:pick_jurisdiction"), ("jurisdiction",)),
        "jurisdiction page": (
            reverse("core:jurisdiction", kwargs={"code": world.jurisdiction.code}),
            ("page", "sort"),
        ),
        "strategic-area options": (
            reverse("goals:strategic_area_options"),
            ("category", "goal"),
        ),
        "staff options": (reverse("activities:staff_options"), ("primary_center",)),
        "activity create": (reverse("activities:create"), ("strategic_area",)),
        "on-demand activity create": (
            reverse("activities:create_on_demand"),
            ("jurisdiction",),
        ),
        "goal create": (reverse("goals:create"), ("jurisdiction",)),
        "search": (reverse("search:search"), SEARCH_PARAMS),
        "CSV export": (reverse("search:export_csv"), SEARCH_PARAMS),
        "XLSX export": (reverse("search:export_xlsx"), SEARCH_PARAMS),
    }


PAGE_LABELS = (
    "home",
    "find by ID",
    "jurisdiction picker",
    "jurisdiction page",
    "strategic-area options",
    "staff options",
    "activity create",
    "on-demand activity create",
    "goal create",
    "search",
    "CSV export",
    "XLSX export",
)


def _get(client: Any, url: str, params: dict[str, Any]) -> Any:
    try:
        response = client.get(url, params)
    except Exception as error:  # the test client re-raises what the view let through
        shown = {k: (v if len(str(v)) < 40 else f"{str(v)[:10]}…") for k, v in params.items()}
        raise AssertionError(f"GET {url} {shown} raised {error!r}") from error
    assert response.status_code < 500, (url, params, response.status_code)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def _assert_errors_name_their_fields(response: Any) -> None:
    """Where a form shows errors, each sits at the field it names."""
    context = response.context
    form = context.get("form") if context is not None else None
    if form is None or not form.is_bound:
        return
    html = response.content.decode()
    for name in form.errors:
        if name != "__all__":
            assert f'id="id_{name}-error"' in html, name


@pytest.mark.parametrize("label", PAGE_LABELS)
def test_bad_input_query_string_fuzz_never_500(client, world, label):
    url, params = _pages(world)[label]
    for user in (world.admin, world.primary):
        client.force_login(user)
        for value in VALUES:
            for name in params:
                response = _get(client, url, {name: value})
                _assert_errors_name_their_fields(response)
            _get(client, url, dict.fromkeys(params, value))  # every parameter at once
            _get(client, url, {name: [value, "1", value] for name in params})  # repeated


@pytest.mark.parametrize("name", DATE_PARAMS)
def test_bad_input_impossible_search_date_is_an_error_at_its_field(client, world, name):
    client.force_login(world.primary)
    for value in ("2026-02-30", "abc", "99999999999999999999", "x" * 10_000, "é中🙂"):
        response = _get(client, reverse("search:search"), {name: value})
        assert response.status_code == 200
        assert name in response.context["form"].errors, value
        assert f'id="id_{name}-error"' in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "jurisdiction",
        "region",
        "category",
        "strategic_area",
        "focus",
        "primary_center",
        "collaborating_center",
        "staff",
        "activity_type",
        "status",
        "completion_status",
        "other_collaborator",
    ],
)
def test_bad_input_unknown_search_choice_is_an_error_at_its_field(client, world, name):
    client.force_login(world.primary)
    for value in ("abc", "-1", "99999999999999999999", "²", "'; DROP TABLE goals_goal; --"):
        response = _get(client, reverse("search:search"), {name: value})
        assert name in response.context["form"].errors, value
        assert f'id="id_{name}-error"' in response.content.decode()


def test_bad_input_unknown_objects_in_query_strings_are_404(client, world):
    client.force_login(world.admin)
    for value in ("abc", "-1", "0", "99999999999999999999", "²", ""):
        assert _get(
            client, reverse("activities:create"), {"strategic_area": value}
        ).status_code == (404)
    for value in ("ZZ", "'; DROP TABLE goals_goal; --", "", "é中🙂"):
        url = reverse("activities:create_on_demand")
        assert _get(client, url, {"jurisdiction": value}).status_code == 404


def test_bad_input_find_by_id_with_bad_record_number_names_the_field(client, world):
    client.force_login(world.primary)
    for value in ("abc", "TA-", "-1", "99999999999999999999", "x" * 10_000):
        response = _get(client, reverse("core:find_record"), {"record": value})
        assert response.status_code in (400, 404), value
        assert "record" in response.content.decode()

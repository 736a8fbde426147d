"""DESIGN §5: query-string fuzz — every page that reads GET parameters answers odd values
with a page, a field error naming the parameter, or a 404; never a 500.

Every parameter meets every value, as each signed-in kind of user, without one request per
pair: a page is sent each value in all its parameters at once, and where its form refuses
some of them, the ones it took are sent again together, without the refused ones (whose
errors could keep the page from using them). Only a page that answers without a form (so
without saying which parameter it refused) gets its parameters one at a time.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from search.forms import SearchForm
from tests.factories_activities import World

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
COMPLIANCE_PARAMS = ("month", "region", "jurisdiction", "primary_center")
DASHBOARD_PARAMS = (
    "region", "jurisdiction", "category", "primary_center", "opened_from", "opened_to", "map",
    "format", "chart",
)  # fmt: skip


def _pages(world: World) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Page label -> (URL, the GET parameters it reads)."""
    return {
        "home": (reverse("workspace:home"), ("sort", "page", "center_page", "region")),
        "find by ID": (reverse("workspace:find_record"), ("record",)),
        "jurisdiction picker": (reverse("workspace:pick_jurisdiction"), ("jurisdiction",)),
        "jurisdiction page": (
            reverse("workspace:jurisdiction", kwargs={"code": world.jurisdiction.code}),
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
        "compliance report": (reverse("reports:compliance"), COMPLIANCE_PARAMS),
        "compliance CSV": (reverse("reports:compliance_csv"), COMPLIANCE_PARAMS),
        "compliance XLSX": (reverse("reports:compliance_xlsx"), COMPLIANCE_PARAMS),
        "dashboard": (reverse("reports:dashboard"), DASHBOARD_PARAMS),
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
    "compliance report",
    "compliance CSV",
    "compliance XLSX",
    "dashboard",
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


def _bound_form(response: Any) -> Any:
    context = response.context
    form = context.get("form") if context is not None else None
    return form if form is not None and form.is_bound else None


def _assert_errors_name_their_fields(response: Any) -> None:
    """Where a form shows errors, each sits at the field it names."""
    form = _bound_form(response)
    if form is None:
        return
    html = response.content.decode()
    for name in form.errors:
        if name != "__all__":
            assert f'id="id_{name}-error"' in html, name


def _is_download(response: Any) -> bool:
    return response.get("Content-Disposition", "").startswith("attachment")


def _one_at_a_time(client: Any, url: str, params: tuple[str, ...], value: str) -> None:
    for name in params:
        _assert_errors_name_their_fields(_get(client, url, {name: value}))


def _fuzz(client: Any, url: str, params: tuple[str, ...], value: str) -> None:
    """Send `value` in every one of `params`, so that each parameter is used with it or
    refused with the error at its field."""
    response = _get(client, url, dict.fromkeys(params, value))
    _assert_errors_name_their_fields(response)
    if len(params) == 1:
        return
    form = _bound_form(response)
    if form is None:
        if not _is_download(response):  # nothing says which parameter a refusal came from
            _one_at_a_time(client, url, params, value)
        return  # an export is built only once every parameter was taken
    taken = tuple(name for name in params if name not in form.errors)
    if len(taken) == len(params):
        if form.non_field_errors():  # refused as a whole: each parameter alone
            _one_at_a_time(client, url, params, value)
    elif taken:  # again without the refused ones, whose errors could hide the taken ones
        _fuzz(client, url, taken, value)


@pytest.mark.parametrize("label", PAGE_LABELS)
def test_bad_input_query_string_fuzz_never_500(client, world, activity, label):
    url, params = _pages(world)[label]
    for user in (world.admin, world.primary):
        client.force_login(user)
        for value in VALUES:
            _fuzz(client, url, params, value)
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
        response = _get(client, reverse("workspace:find_record"), {"record": value})
        assert response.status_code in (400, 404), value
        assert "record" in response.content.decode()

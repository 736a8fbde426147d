"""DESIGN §5: bad input anywhere gets a clear error, never a 500 — the URL walk.

Every URL pattern of the site (walked from the resolver, so pages added later are covered
without editing this test) is opened as a signed-in administrator and as a signed-in TA
staff member, with its path parameters filled by a real object, by an object that does not
exist and, for text parameters, by an unknown code. Each is read with GET and sent an empty
POST and POSTs of garbage values in every field its form shows. None may answer 5xx.

The data set is built once for the module, in a transaction rolled back at its end; each
walk runs in a savepoint inside it (pytest-django's `db`), so what one walk saves is undone
before the next.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from activities import services as activity_services
from activities.services import join_requests
from core.models import Notification
from goals import services as goal_services
from oversight import services as oversight_services
from search.models import SavedSearch
from tests.factories import CenterFactory, UserFactory
from tests.factories_activities import (
    World,
    add_summary,
    build_world,
    create_activity,
    make_trackable,
    today,
)

# Django's own admin site is not ours to test; signing out would end the walk's session.
SKIPPED_PREFIXES = ("admin/",)
SKIPPED_NAMES = {"logout"}

MISSING_ID = "999999"
# Django's password-reset page answers an unknown link with its own "invalid link" page.
UNKNOWN_ANSWERED_WITH_A_PAGE = {"password_reset_confirm"}
UNKNOWN_CODES = ("ZZ", "no-such-thing", "x%00y", "%C3%A9%F0%9F%99%82")

# Values typed into every field of a form: wrong types, out-of-range numbers, impossible
# dates, SQL, a NUL byte, a very long text and unicode.
GARBAGE = (
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "2026-02-30",
    "'; DROP TABLE goals_goal; --",
    "a\x00b",
    "x" * 10_000,
    "é中🙂",
)
# Names posted besides the ones a page shows (hidden steps, buttons, versions, pickers).
COMMON_FIELDS = (
    "version",
    "action",
    "jurisdiction",
    "category",
    "strategic_area",
    "strategic_areas",
    "goal",
    "add_to_goal",
    "select_requester",
    "add_requester",
    "refresh_staff",
    "show_areas",
    "primary_center",
    "next",
    "query",
    "page",
    "sort",
)


# --- the world the walk runs in ------------------------------------------------------------


@dataclass
class Objects:
    world: World
    ids: dict[str, int]


def build_objects() -> Objects:
    """A small realistic data set: a goal with a strategic area, an activity with a note of
    every kind, a closure request, a notification and a saved search for each walker."""
    world = build_world()
    activity = create_activity(world, date_opened=today() - dt.timedelta(days=40))
    make_trackable(world, activity)
    summary = add_summary(world, activity, delivery_date=today() - dt.timedelta(days=3))
    feedback = activity_services.feedback_add(
        actor=world.primary,
        activity=activity,
        feedback_date=today(),
        giver_name="Rita Requester",
        giver_title="CCDF Administrator",
        text="The consultation helped.",
    )
    response = activity_services.response_note_add(
        actor=world.primary, activity=activity, text="Sent the QRIS crosswalk."
    )
    plan = activity.description_notes.first()
    send_back = oversight_services.send_back_create(
        actor=world.admin,
        activity=activity,
        month=today().replace(day=1),
        comment="Name the role, not the person.",
        about="summary",
    )
    closure = goal_services.goal_request_closure(
        actor=world.admin, goal=world.goal, reason="The State met the goal."
    )
    # A16: a request to join a second, lone activity by staff of a center not on it.
    lone = create_activity(world, collaborating_centers=[], collaborating_staff=[])
    asker = UserFactory(full_name="Ursula Uninvolved", center=CenterFactory(code="XYZ"))
    join_request = join_requests.join_request_create(actor=asker, activity=lone, note="May I?")
    ids = {
        "join_request": join_request.pk,
        "goal": world.goal.pk,
        "strategic_area": world.strategic_area.pk,
        "closure_request": closure.pk,
        "activity": activity.pk,
        "requester": world.requester.pk,
        "plan": plan.pk,
        "summary": summary.pk,
        "feedback": feedback.pk,
        "response": response.pk,
        "send_back": send_back.pk,
    }
    for user in (world.admin, world.primary):
        notice = Notification.objects.create(recipient=user, message="A goal was added.")
        saved = SavedSearch.objects.create(owner=user, name="Mine", query_string="region=4")
        ids[f"notification:{user.pk}"] = notice.pk
        ids[f"saved:{user.pk}"] = saved.pk
        from transfer.models import PendingImport  # issue #11: an upload awaiting confirmation

        pending = PendingImport.objects.create(
            uploaded_by=user, file_name="legacy.csv", source="legacy", data=b"kind,external_id\n"
        )
        ids[f"pending_import:{user.pk}"] = pending.pk
    return Objects(world=world, ids=ids)


# Which object fills a URL's parameters, by URL name (a new URL with parameters must be
# added here, so that the walk never quietly skips it).
def _real_kwargs(name: str, objects: Objects, user_pk: int) -> list[dict[str, Any]]:
    ids = objects.ids
    if name == "workspace:jurisdiction":
        return [{"code": objects.world.jurisdiction.code}]
    if name == "workspace:notification_read":
        return [{"pk": ids[f"notification:{user_pk}"]}]
    if name in ("search:saved_run", "search:saved_delete"):
        return [{"pk": ids[f"saved:{user_pk}"]}]
    if name == "goals:decline_closure":
        return [{"pk": ids["closure_request"]}]
    if name in ("goals:edit_strategic_area", "goals:remove_strategic_area"):
        return [{"pk": ids["strategic_area"]}]
    if name.startswith("goals:"):
        return [{"pk": ids["goal"]}]
    if name == "activities:requester_detail":
        return [{"pk": ids["requester"]}]
    if name == "activities:note_edit":
        return [
            {"pk": ids["activity"], "kind": kind, "note_pk": ids[kind]}
            for kind in ("plan", "summary", "feedback", "response")
        ]
    if name.startswith("activities:"):
        return [{"pk": ids["activity"]}]
    if name == "oversight:address":
        return [{"pk": ids["send_back"]}]
    if name.startswith("oversight:"):
        return [{"pk": ids["activity"]}]
    if name == "password_reset_confirm":
        return [{"uidb64": "MQ", "token": "set-password"}]
    if name.startswith("api:"):  # issue #11: the API's routes, by view name
        from tests.api.walk import api_kwargs

        return api_kwargs(name, ids)
    if name.startswith("transfer:"):  # issue #11: the walker's own pending upload
        return [{"pk": ids[f"pending_import:{user_pk}"]}]
    if name == "api_token_revoke":
        return [{"pk": MISSING_ID}]
    if name == "administration:help_edit":  # issue 10: a help text and a list item to edit
        from reference.models import FieldHelp

        entry = FieldHelp.objects.get_or_create(key="goal.readiness", defaults={"label": "R"})
        return [{"pk": entry[0].pk}]
    if name in ("administration:list", "administration:add"):
        return [{"slug": "focus-areas"}]
    if name.startswith("administration:"):
        return [{"slug": "focus-areas", "pk": objects.world.focus.pk}]
    raise AssertionError(f"Tell the bad-input walk which object fills the URL {name!r}")


# --- walking the URL configuration ---------------------------------------------------------

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # e.g. "activities/<int:pk>/edit/"
    converters: dict[str, str]  # parameter name -> converter name ("int", "str", ...)


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        assert isinstance(entry.pattern, RoutePattern), f"regex URL not walked: {entry}"
        part = str(entry.pattern._route)
        if (prefix + part).startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            child_ns = namespace
            if entry.namespace:
                child_ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + part, child_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            route = prefix + part
            converters = {m["name"]: m["converter"] or "str" for m in _PARAM.finditer(route)}
            yield Route(name=name, route=route, converters=converters)


def site_routes() -> list[Route]:
    routes = {}
    for route in _walk(get_resolver().url_patterns):
        if route.route.startswith(SKIPPED_PREFIXES) or route.name in SKIPPED_NAMES:
            continue
        routes.setdefault(route.name or route.route, route)  # first one wins, as in resolving
    return list(routes.values())


def fill(route: Route, values: dict[str, Any]) -> str:
    return "/" + _PARAM.sub(lambda m: str(values[m["name"]]), route.route)


def url_variants(route: Route, objects: Objects, user_pk: int) -> list[tuple[str, str]]:
    """(kind, url) pairs: the real object, a missing id, unknown codes."""
    if not route.converters:
        return [("plain", fill(route, {}))]
    variants = [("real", fill(route, kw)) for kw in _real_kwargs(route.name, objects, user_pk)]
    base = _real_kwargs(route.name, objects, user_pk)[0]
    for param, converter in route.converters.items():
        if converter == "int":
            variants.append(("missing", fill(route, {**base, param: MISSING_ID})))
        elif converter in ("str", "slug"):
            for code in UNKNOWN_CODES:
                variants.append(("unknown", fill(route, {**base, param: code})))
    return variants


# --- reading a page's form fields ----------------------------------------------------------


class _FieldNames(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("input", "select", "textarea", "button"):
            name = dict(attrs).get("name")
            if name and name != "csrfmiddlewaretoken":
                self.names.add(name)


def field_names(response: Any) -> set[str]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    if getattr(response, "streaming", False):
        return set()
    return _FieldNames(response.content.decode(errors="replace")).names


# --- the checks ----------------------------------------------------------------------------

Failure = str


def _where() -> str:
    """The exception and the last line of project code it passed through."""
    error = sys.exc_info()[1]
    frames = [
        f for f in traceback.extract_tb(error.__traceback__) if "site-packages" not in f.filename
    ]
    place = f"{frames[-1].filename}:{frames[-1].lineno} {frames[-1].line}" if frames else "?"
    return f"{type(error).__name__}: {str(error)[:200]} at {place}"


def _request(
    failures: list[Failure], label: str, call: Callable[[], Any], allowed: tuple[int, ...] = ()
) -> Any:
    try:
        response = call()
    except Exception:  # the test client re-raises what the view let through: a 500
        failures.append(f"{label}: raised {_where()}")
        return None
    if response.status_code >= 500:
        failures.append(f"{label}: answered {response.status_code}")
    elif allowed and response.status_code not in allowed:
        failures.append(f"{label}: answered {response.status_code}, expected {allowed}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a streamed export fails while it is read
    return response


def _garbage_bodies(page_names: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every value into the fields the page shows; then a few with the hidden step and
    picker names too (a step button changes which form is validated)."""
    bodies = [(value, page_names) for value in GARBAGE]
    bodies += [(value, page_names | set(COMMON_FIELDS)) for value in GARBAGE[:4]]
    for value, names in bodies:
        shown = value if len(value) < 40 else f"{value[:10]}…({len(value)} chars)"
        extra = " (+ step names)" if names is not page_names else ""
        yield f"{shown!r}{extra}", {n: [value, value] if n.endswith("s") else value for n in names}


def walk_as(client: Client, user: Any, objects: Objects, route: Route) -> list[Failure]:
    failures: list[Failure] = []
    client.force_login(user)
    for kind, url in url_variants(route, objects, user.pk):
        # An unknown object is "not found" (or, on a POST-only page, "method not allowed").
        expect_get = (404, 405) if kind in ("missing", "unknown") else ()
        if route.name in UNKNOWN_ANSWERED_WITH_A_PAGE:
            expect_get = ()
        page = _request(failures, f"GET {url} ({kind})", partial(client.get, url), expect_get)
        page_names = field_names(page) if page is not None else set()
        _request(failures, f"POST {url} ({kind}) empty", partial(client.post, url, {}))
        for shown, body in _garbage_bodies(page_names):
            label = f"POST {url} ({kind}) every field = {shown}"
            _request(failures, label, partial(client.post, url, body))
            if kind in ("missing", "unknown"):
                break  # one garbage POST is enough where the object is not there
    client.logout()
    return failures


ROUTES = site_routes()


def test_walk_covers_every_app():
    names = {route.name for route in ROUTES}
    for expected in (
        "workspace:home",
        "goals:create",
        "goals:edit",
        "activities:create",
        "activities:note_edit",
        "search:search",
        "search:saved_run",
        "login",
        "password_change",
    ):
        assert expected in names
    assert not any(name.startswith("admin:") for name in names)
    assert "logout" not in names


@pytest.fixture(scope="module")
def objects(django_db_setup: None, django_db_blocker: Any) -> Iterator[Objects]:
    """`build_objects()` once for the module's walks; rolled back after the last one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_objects()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.name or r.route for r in ROUTES])
def test_bad_input_no_url_answers_500_to_admin_or_staff(client, objects, route):
    """DESIGN §5: real, missing and unknown objects in the path; empty and garbage POSTs."""
    failures = walk_as(client, objects.world.admin, objects, route)
    failures += walk_as(client, objects.world.primary, objects, route)
    assert not failures, "\n\n".join(failures)

"""Issue #12, evidence in CI: the permission matrix, generated from ONE table.

Every URL pattern of the site is walked from the resolver (as tests/robustness does), so a new
page cannot slip through unlisted: `test_every_url_is_in_the_matrix` fails until its row is
added to `MATRIX`. Each row gives, for the eight personas of DESIGN §1 (in `PERSONAS` order),
the status a GET answers and, for pages that change data, the status a POST answers. A POST
refused (sign-in redirect, 403, 404 or 405) must leave every table as it was.

Codes: `L` a redirect to the sign-in page; `ok` allowed (200, a redirect elsewhere or an htmx
204: the action ran, or the form re-rendered with its errors); a number, that status exactly.

The data set (tests/robustness/test_bad_input_urls.build_objects, plus an SSS of another State
and a send-back) is built once for the module, in a transaction rolled back at its end; each
request runs in a savepoint (pytest-django's `db`), so what one POST saves is undone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from accounts.models import User
from activities.services.join_requests import join_request_create
from api import services as api_services
from oversight import services as oversight_services
from tests.factories import CenterFactory, SSSFactory, UserFactory
from tests.robustness.test_bad_input_urls import Objects, build_objects
from transfer.services import pending_import_dry_run

PERSONAS = ("anonymous", "other_staff", "primary", "other_sss", "sss", "lead", "federal", "admin")
REFUSED = {"L", "403", "404", "405"}


@dataclass(frozen=True)
class Expect:
    get: tuple[str, ...]
    post: tuple[str, ...] | None


def E(get: str, post: str | None = None) -> Expect:  # noqa: N802 - reads as a table
    """`E("L 200 200 …")`: one code per persona, in `PERSONAS` order."""
    codes = tuple(get.split())
    post_codes = tuple(post.split()) if post is not None else None
    assert len(codes) == len(PERSONAS), get
    assert post_codes is None or len(post_codes) == len(PERSONAS), post
    return Expect(codes, post_codes)


# Shorthands for the common ladders.
ALL_READ = "L 200 200 200 200 200 200 200"  # every signed-in person reads every record
POST_ONLY = "L 405 405 405 405 405 405 405"
PUBLIC = "200 200 200 200 200 200 200 200"  # pages a signed-out person needs (sign-in, help)
PUBLIC_GET_ONLY = "405 405 405 405 405 405 405 405"

ADMIN_INDEX = "admin:index"

# The one table. Personas:  anonymous, other_staff, primary, other_sss, sss, lead, federal, admin
# (TA staff of another center; TA staff on the activity, its primary staff; SSS of another State;
# SSS of this State; lead of the activity's primary center; federal viewer; administrator).
# Rules: accounts/permissions.py and each app's rules.py. A notification and a saved search are
# the primary staff's own: nobody else's request finds them (404).
# fmt: off
MATRIX: dict[str, Expect] = {
    # Signing in, out and passwords (Django's pages; public where they must be).
    "login": E(PUBLIC, PUBLIC),
    "logout": E("L 405 405 405 405 405 405 405", "L L L L L L L L"),
    # Idle-timeout check (door 2): a signed-out caller learns only that (401).
    "session_status": E("401 200 200 200 200 200 200 200", "401 ok ok ok ok ok ok ok"),
    "password_change": E("L 200 200 200 200 200 200 200", "L 200 200 200 200 200 200 200"),
    "password_change_done": E("L 200 200 200 200 200 200 200", POST_ONLY),
    "password_reset": E(PUBLIC, PUBLIC),
    "password_reset_done": E(PUBLIC, PUBLIC_GET_ONLY),
    "password_reset_confirm": E(PUBLIC, PUBLIC),
    "password_reset_complete": E(PUBLIC, PUBLIC_GET_ONLY),
    # Goals (G1–G4): any staff member adds; the State's SSS and admins edit; admins close.
    "goals:create": E("L 200 200 200 200 200 403 200", "L ok ok ok ok ok 403 ok"),
    "goals:strategic_area_options": E(ALL_READ, POST_ONLY),
    "goals:closure_queue": E("L 403 403 403 403 403 403 200", POST_ONLY),
    "goals:decline_closure": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    "goals:detail": E(ALL_READ, POST_ONLY),
    "goals:history": E(ALL_READ, POST_ONLY),
    "goals:edit": E("L 403 403 403 200 403 403 200", "L 403 403 403 ok 403 403 ok"),
    "goals:add_strategic_area": E("L 403 403 403 200 403 403 200", "L 403 403 403 ok 403 403 ok"),
    "goals:add_note": E("L 403 403 403 200 403 403 200", "L 403 403 403 ok 403 403 ok"),
    "goals:request_closure": E("L 403 403 403 200 403 403 200", "L 403 403 403 ok 403 403 ok"),
    "goals:close": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    "goals:reopen": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    "goals:edit_strategic_area": E("L 403 403 403 200 403 403 200", "L 403 403 403 ok 403 403 ok"),
    "goals:remove_strategic_area": E(POST_ONLY, "L 403 403 403 ok 403 403 ok"),
    # Activities (A1–A16): everyone reads; the primary and collaborating staff, the primary
    # center's lead, the State's SSS and admins edit; federal viewers only read.
    "activities:create": E("L 200 200 200 200 200 403 200", "L ok ok ok ok ok 403 ok"),
    "activities:create_on_demand": E("L 200 200 200 200 200 403 200", "L ok ok ok ok ok 403 ok"),
    "activities:staff_options": E(ALL_READ, POST_ONLY),
    "activities:requester_detail": E(ALL_READ, POST_ONLY),
    "activities:detail": E(ALL_READ, POST_ONLY),
    "activities:tracking": E(ALL_READ, POST_ONLY),
    "activities:response_notes": E(ALL_READ, POST_ONLY),
    "activities:history": E(ALL_READ, POST_ONLY),
    "activities:print": E(ALL_READ, POST_ONLY),
    "activities:edit": E("L 403 200 403 200 200 403 200", "L 403 ok 403 ok ok 403 ok"),
    # A16 (door 1): staff of a center taking part, the State's SSS and admins join.
    "activities:join": E("L 403 200 403 200 200 403 200", "L 403 ok 403 ok ok 403 ok"),
    # ... anyone else who enters data asks (the page says why when they need not); the
    # primary staff person and admins answer (the staff of another center has asked).
    "activities:join_request": E("L 200 200 200 200 200 403 403", "L ok ok ok ok ok 403 403"),
    "activities:join_requests": E(ALL_READ, POST_ONLY),
    "activities:join_request_decide": E(POST_ONLY, "L 403 ok 403 403 403 403 ok"),
    # R2's live documentation check (htmx): reads the posted text, changes nothing.
    "activities:documentation_checks": E(POST_ONLY, "L 400 400 400 400 400 400 400"),
    "activities:status": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    "activities:description_note_add": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    "activities:summary_add": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    "activities:feedback_add": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    "activities:outcome_report": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    "activities:response_note_add": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    "activities:close": E("L 403 200 403 200 200 403 200", "L 403 ok 403 ok ok 403 ok"),
    "activities:cancel": E("L 403 200 403 200 200 403 200", "L 403 ok 403 ok ok 403 ok"),
    "activities:reopen": E("L 403 200 403 403 403 403 200", "L 403 ok 403 403 403 403 ok"),
    # A plan note's author (the primary staff) and admins change it.
    "activities:note_edit": E("L 403 200 403 403 403 403 200", "L 403 ok 403 403 403 403 ok"),
    # Search (S1–S3): everyone searches and exports; saved searches are their owner's.
    "search:search": E(ALL_READ, POST_ONLY),
    "search:export_csv": E(ALL_READ, POST_ONLY),
    "search:export_xlsx": E(ALL_READ, POST_ONLY),
    "search:saved_create": E(POST_ONLY, "L ok ok ok ok ok ok ok"),
    "search:saved_run": E("L 404 302 404 404 404 404 404", POST_ONLY),
    "search:saved_delete": E(POST_ONLY, "L 404 ok 404 404 404 404 404"),
    # Monthly review (R1): SSSs, leads, federal viewers and admins read it; the State's SSS,
    # the primary center's lead and admins mark; the SSS and admins send back; whoever edits
    # the activity marks a send-back addressed.
    "oversight:review": E("L 403 403 200 200 200 200 200", POST_ONLY),
    "oversight:mark": E(POST_ONLY, "L 403 403 403 ok ok 403 ok"),
    "oversight:unmark": E(POST_ONLY, "L 403 403 403 ok ok 403 ok"),
    "oversight:send_back": E("L 403 403 403 200 403 403 200", "L 403 403 403 400 403 403 400"),
    "oversight:address": E(POST_ONLY, "L 403 ok 403 ok ok 403 ok"),
    # The dashboard (issue 10): every signed-in person reads it (reports.view_dashboard).
    "reports:dashboard": E(ALL_READ, POST_ONLY),
    # The monthly compliance report (issue 10): every signed-in person reads it (tat.view).
    "reports:compliance": E(ALL_READ, POST_ONLY),
    "reports:compliance_csv": E(ALL_READ, POST_ONLY),
    "reports:compliance_xlsx": E(ALL_READ, POST_ONLY),
    # Workspace: home, State pages, find a record, notifications, help (public lists).
    "workspace:home": E(ALL_READ, POST_ONLY),
    "workspace:pick_jurisdiction": E("L 302 302 302 302 302 302 302", POST_ONLY),
    "workspace:jurisdiction": E(ALL_READ, POST_ONLY),
    "workspace:find_record": E("L 400 400 400 400 400 400 400", POST_ONLY),
    "workspace:notification_read": E(POST_ONLY, "L 404 ok 404 404 404 404 404"),
    "workspace:notifications_read_all": E(POST_ONLY, "L ok ok ok ok ok ok ok"),
    "workspace:notifications": E(ALL_READ, POST_ONLY),
    "workspace:notifications_mark": E(POST_ONLY, "L ok ok ok ok ok ok ok"),
    "workspace:notification_preferences": E(ALL_READ, "L ok ok ok ok ok ok ok"),
    "workspace:help": E(PUBLIC, PUBLIC_GET_ONLY),
    "workspace:help_csv": E(PUBLIC, PUBLIC_GET_ONLY),
    "workspace:help_pdf": E(PUBLIC, PUBLIC_GET_ONLY),
    # Django's admin (door 10): superusers only (issue 10: TAT administrators, none of the
    # personas a superuser, use the reference-list pages below); everyone else is told nothing
    # is there.
    ADMIN_INDEX: E("404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404"),
    # Reference lists and field help (issue 10): administrators only.
    "administration:index": E("L 403 403 403 403 403 403 200", POST_ONLY),
    "administration:list": E("L 403 403 403 403 403 403 200", POST_ONLY),
    "administration:add": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    "administration:edit": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    "administration:set_active": E(POST_ONLY, "L 403 403 403 403 403 403 ok"),
    "administration:move": E(POST_ONLY, "L 403 403 403 403 403 403 ok"),
    "administration:help_list": E("L 403 403 403 403 403 403 200", POST_ONLY),
    "administration:help_edit": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    # The REST API's own pages (issue 11). Its operations, method by method, have their rows
    # in tests/hardening/test_api_permission_matrix.py (API_MATRIX), checked there against
    # /api/v1/openapi.json; `test_every_url_is_in_the_matrix` counts an operation's URL as
    # listed only when API_MATRIX has its path. A signed-out caller gets 401, not a redirect.
    "api:openapi-json": E("401 200 200 200 200 200 200 200", "401 200 200 200 200 200 200 200"),
    "api:openapi-view": E(ALL_READ, ALL_READ),
    "api:api-root": E("401 404 404 404 404 404 404 404", "401 404 404 404 404 404 404 404"),
    # A person's API tokens: each manages their own; another's token is not found (404).
    "api_tokens": E(ALL_READ, "L ok ok ok ok ok ok ok"),
    "api_token_revoke": E(POST_ONLY, "L 404 ok 404 404 404 404 404"),
    # Import and export (issue 11): administrators only; the templates are public like Help.
    "transfer:import": E("L 403 403 403 403 403 403 200", "L 403 403 403 403 403 403 ok"),
    "transfer:import_confirm": E(POST_ONLY, "L 403 403 403 403 403 403 ok"),
    "transfer:import_errors_csv": E("L 403 403 403 403 403 403 200", POST_ONLY),
    "transfer:export": E("L 403 403 403 403 403 403 200", POST_ONLY),
    "transfer:template_csv": E(PUBLIC, PUBLIC_GET_ONLY),
    "transfer:template_xlsx": E(PUBLIC, PUBLIC_GET_ONLY),
}
# fmt: on


# --- walking the URL configuration ---------------------------------------------------------

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    route: str


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        assert isinstance(entry.pattern, RoutePattern), f"regex URL not walked: {entry}"
        part = str(entry.pattern._route)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":  # Django's admin: its index has a row below
                continue
            child = namespace
            if entry.namespace:
                child = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + part, child)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(name=name or prefix + part, route=prefix + part)


def site_routes() -> list[Route]:
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        routes.setdefault(route.name, route)  # first one wins, as in resolving
    return list(routes.values())


ROUTES = site_routes()
ROUTE_NAMES = [route.name for route in ROUTES]


# --- the data ------------------------------------------------------------------------------


# A one-row import file whose dry run is clean (tests/transfer has the full template).
CLEAN_IMPORT = (
    b"kind,external_id,name,title,email,jurisdiction,approved_by\n"
    b"requester,R-1,Dana Example,CCDF Administrator,dana.example@state.example.gov,GA,"
    b"ccdf_administrator\n"
)


@dataclass
class MatrixData:
    objects: Objects
    personas: dict[str, User | None]
    ids: dict[str, Any]


def build_data() -> MatrixData:
    objects = build_objects()
    world = objects.world
    other_sss = SSSFactory(full_name="Nora Nebraska", jurisdictions=[world.faraway])
    # world.other_staff's center collaborates on the activity; this one's takes no part.
    outsider = UserFactory(
        full_name="Uma Unrelated", center=CenterFactory(code="XTRA", name="Another Center")
    )
    activity_pk = objects.ids["activity"]
    from activities.models import TAActivity

    activity = TAActivity.objects.get(pk=activity_pk)
    send_back = oversight_services.send_back_create(
        actor=world.admin,
        activity=activity,
        month=dt.date.today().replace(day=1),
        comment="Please add the delivery summary.",
        about=_first_send_back_about(),
    )
    personas: dict[str, User | None] = {
        "anonymous": None,
        "other_staff": outsider,
        "primary": world.primary,
        "other_sss": other_sss,
        "sss": world.sss,
        "lead": world.lead,
        "federal": world.federal,
        "admin": world.admin,
    }
    ids = dict(objects.ids)
    ids["send_back"] = send_back.pk
    ids["notification"] = objects.ids[f"notification:{world.primary.pk}"]
    ids["saved"] = objects.ids[f"saved:{world.primary.pk}"]
    # Issue 11: the primary staff person's API token; the administrator's upload, its dry run
    # clean, waiting for the confirmation.
    ids["api_token"] = api_services.api_token_create(
        actor=world.primary,
        owner=world.primary,
        name="Matrix script",
        expires_on=dt.date.today() + dt.timedelta(days=30),
    )[0].pk
    ids["pending_import"] = pending_import_dry_run(
        actor=world.admin, file_name="legacy.csv", source="legacy", data=CLEAN_IMPORT
    )[0].pk
    ids["field_help"] = _field_help_pk()  # issue 10: a help text to edit
    # Door 1: the staff person of a center taking no part asks to join the activity.
    ids["join_request"] = join_request_create(actor=outsider, activity=activity).pk
    return MatrixData(objects=objects, personas=personas, ids=ids)


def _field_help_pk() -> int:
    from reference.models import FieldHelp

    return FieldHelp.objects.get_or_create(key="goal.readiness", defaults={"label": "Readiness"})[
        0
    ].pk


def _first_send_back_about() -> str:
    from oversight.models import SendBack

    field = SendBack._meta.get_field("about")
    return field.choices[0][0] if field.choices else "documentation"


def url_for(name: str, data: MatrixData) -> str:
    """The URL of `name` filled with the data set's objects (a new URL with parameters must be
    added here, as well as to `MATRIX`)."""
    ids = data.ids
    world = data.objects.world
    if name == ADMIN_INDEX:
        return reverse(name)
    if name.startswith("api:"):  # the API's own pages (the docs, its root) take no parameter
        return "/" + next(r for r in ROUTES if r.name == name).route
    if name in ("goals:create", "activities:create_on_demand"):
        return f"{reverse(name)}?jurisdiction={world.jurisdiction.code}"
    if name == "oversight:send_back":
        month = dt.date.today().strftime("%Y-%m")
        return f"{reverse(name, kwargs={'pk': ids['activity']})}?month={month}"
    if name == "activities:create":
        return f"{reverse(name)}?strategic_area={ids['strategic_area']}"
    route = next(r for r in ROUTES if r.name == name)
    params = {m["name"] for m in _PARAM.finditer(route.route)}
    if not params:
        return "/" + route.route
    by_name: dict[str, dict[str, Any]] = {
        "workspace:jurisdiction": {"code": world.jurisdiction.code},
        "workspace:notification_read": {"pk": ids["notification"]},
        "search:saved_run": {"pk": ids["saved"]},
        "search:saved_delete": {"pk": ids["saved"]},
        "goals:decline_closure": {"pk": ids["closure_request"]},
        "goals:edit_strategic_area": {"pk": ids["strategic_area"]},
        "goals:remove_strategic_area": {"pk": ids["strategic_area"]},
        "activities:requester_detail": {"pk": ids["requester"]},
        "activities:note_edit": {"pk": ids["activity"], "kind": "plan", "note_pk": ids["plan"]},
        "oversight:address": {"pk": ids["send_back"]},
        "activities:join_request_decide": {"pk": ids["join_request"]},
        "api_token_revoke": {"pk": ids["api_token"]},
        "transfer:import_confirm": {"pk": ids["pending_import"]},
        "transfer:import_errors_csv": {"pk": ids["pending_import"]},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "administration:list": {"slug": "focus-areas"},
        "administration:add": {"slug": "focus-areas"},
        "administration:edit": {"slug": "focus-areas", "pk": world.focus.pk},
        "administration:set_active": {"slug": "focus-areas", "pk": world.focus.pk},
        "administration:move": {"slug": "focus-areas", "pk": world.focus.pk},
        "administration:help_edit": {"pk": ids["field_help"]},
    }
    if name in by_name:
        kwargs = by_name[name]
    elif name.startswith("goals:"):
        kwargs = {"pk": ids["goal"]}
    elif name.startswith(("activities:", "oversight:")):
        kwargs = {"pk": ids["activity"]}
    else:
        raise AssertionError(f"Tell the permission matrix which object fills the URL {name!r}")
    return reverse(name, kwargs=kwargs)


@pytest.fixture(scope="module")
def data(django_db_setup: None, django_db_blocker: Any) -> Iterator[MatrixData]:
    """`build_data()` once for the module; rolled back after the last request."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_data()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_client() -> Client:
    """One test client for the module: a new one loads the middleware again, and WhiteNoise
    then re-scans every static file (seconds per test)."""
    return Client()


@pytest.fixture
def client(_module_client: Client, db: None) -> Client:
    """The module's client, signed out and without cookies."""
    _module_client.logout()
    _module_client.cookies.clear()
    return _module_client


# --- what a response means -----------------------------------------------------------------

_UNTRACKED = {"sessions", "axes"}  # signing in writes these; they are not the site's data


def fingerprint() -> dict[str, int]:
    """Row counts of every table of the site (history tables included, so an edit counts),
    in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label not in _UNTRACKED and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}"  # noqa: S608 - model table names
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)  # table names from the models, no input
        return dict(cursor.fetchall())


def code_of(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL)):
        return "L"
    return str(response.status_code)


def matches(expected: str, actual: str) -> bool:
    if expected == "ok":
        return actual in {"200", "204", "302", "303"}
    return expected == actual


def post_body(name: str, data: MatrixData) -> dict[str, Any]:
    """A POST that gets past the form to the permission check where the form checks first;
    otherwise empty (the access helper refuses before any form is read)."""
    if name == "activities:status":
        from activities.models import TAActivity

        activity = TAActivity.objects.get(pk=data.ids["activity"])
        return {
            "status-status": "on_hold",
            "status-reason": "Waiting for the State.",
            "status-version": activity.version,
        }
    if name == "activities:join_request_decide":
        return {f"request-{data.ids['join_request']}-decision": "accept"}
    return {}


def _request(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    response = client.get(url) if method == "GET" else client.post(url, body or {})
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


# --- the tests -----------------------------------------------------------------------------


def api_operation_names() -> set[str]:
    """URL names of the API's operations that API_MATRIX lists (by path, any method)."""
    from tests.hardening.test_api_permission_matrix import API_MATRIX, API_PREFIX, path_of

    listed = {path_of(key) for key in API_MATRIX}
    return {
        route.name
        for route in ROUTES
        if route.name.startswith("api:")
        and "/" + _PARAM.sub(r"{\g<name>}", route.route) in {API_PREFIX + p for p in listed}
    }


def test_every_url_is_in_the_matrix() -> None:
    """A new page cannot slip through unlisted: add its row to MATRIX (an API operation:
    to API_MATRIX in tests/hardening/test_api_permission_matrix.py)."""
    missing = sorted(set(ROUTE_NAMES) - set(MATRIX) - api_operation_names())
    assert not missing, f"URLs with no row in the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - set(ROUTE_NAMES) - {ADMIN_INDEX})
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize("name, persona", CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_permission_matrix(client: Client, data: MatrixData, name: str, persona: str) -> None:
    expect = MATRIX[name]
    index = PERSONAS.index(persona)
    user = data.personas[persona]
    if user is not None:
        client.force_login(user)
    url = url_for(name, data)
    got = code_of(_request(client, "GET", url))
    assert matches(expect.get[index], got), f"GET {url} as {persona}: {got}"
    if expect.post is None:
        return
    wanted = expect.post[index]
    before = fingerprint() if wanted in REFUSED else None
    got = code_of(_request(client, "POST", url, post_body(name, data)))
    assert matches(wanted, got), f"POST {url} as {persona}: {got}"
    if before is not None:
        after = fingerprint()
        changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
        assert not changed, f"POST {url} refused to {persona} but changed {changed}"

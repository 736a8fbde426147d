"""Issue #12, evidence in CI: the permission matrix of the REST API, generated from ONE table.

Every operation of `/api/v1/openapi.json` (method × path) has a row in `API_MATRIX`:
`test_every_api_operation_is_in_the_matrix` fails, listing them, until a new operation's row
is added. Each row gives, for the eight personas of DESIGN §1 (in `PERSONAS` order, as in
tests/hardening/test_permission_matrix.py), the status the operation answers, and the body
that gets past validation to the service's permission check (a refused call must be refused
by the rule, not by a missing field). Every persona calls with their own API token and again
with their signed-in session (CSRF token sent, as a browser would); the anonymous caller
sends neither. A refused write (401, 403, 404) must leave every table as it was.

The expectations are the pages' (the API calls the same services and `require()`): anyone
signed in reads; goals are edited by the State's SSS and administrators; activities by their
primary and collaborating staff, the primary center's lead, the State's SSS and
administrators; a note is corrected by its author or an administrator; federal viewers read.

Codes: `ok` allowed (200, 201 or 204: the operation ran); a number, that status exactly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from activities import services as activity_services
from activities.models import DescriptionNote, TAActivity
from api import services as api_services
from goals import services as goal_services
from goals.models import Goal, GoalNote, StrategicArea
from tests.factories import (
    GoalCategoryFactory,
    GoalFactory,
    StrategicAreaFactory,
    StrategicAreaItemFactory,
)
from tests.factories_activities import create_activity, make_trackable
from tests.hardening.test_permission_matrix import (
    PERSONAS,
    MatrixData,
    build_data,
    fingerprint,
)

API_PREFIX = "/api/v1"
API_REFUSED = {"401", "403", "404", "405"}

# Shorthands for the common ladders. Personas: anonymous, other_staff, primary, other_sss,
# sss, lead, federal, admin.
READ = "401 200 200 200 200 200 200 200"
ADD = "401 ok ok ok ok ok 403 ok"  # any staff member adds (goals, activities); not federal
GOAL_EDITORS = "401 403 403 403 ok 403 403 ok"  # the State's SSS and administrators
ADMIN_ONLY = "401 403 403 403 403 403 403 ok"
EDITORS = "401 403 ok 403 ok ok 403 ok"  # primary staff, the State's SSS, the lead, admins
PRIMARY_OR_ADMIN = "401 403 ok 403 403 403 403 ok"  # a note's author (the primary), admins


Body = Callable[["ApiData"], dict[str, Any]]


@dataclass(frozen=True)
class Op:
    codes: tuple[str, ...]
    pk: str | None = None  # the key of `ApiData.ids` that fills `{pk}`
    kind: str | None = None  # the literal that fills `{kind}`
    body: Body | None = None
    query: Body | None = None


def R(codes: str, **kwargs: Any) -> Op:  # noqa: N802 - reads as a table: a row
    parsed = tuple(codes.split())
    assert len(parsed) == len(PERSONAS), codes
    return Op(parsed, **kwargs)


def today() -> str:
    return timezone.localdate().isoformat()


def month() -> str:
    return timezone.localdate().replace(day=1).isoformat()


def version(model: type, key: str) -> Callable[[ApiData], int]:
    """The current version of the data set's object `key` (C1), read at request time."""
    return lambda d: model._default_manager.get(pk=d.ids[key]).version


def v(model: type, key: str, **fields: Any) -> Body:
    """A body with the current `version` of `key` and `fields`."""
    return lambda d: {"version": version(model, key)(d), **fields}


def activity_body(d: ApiData) -> dict[str, Any]:
    world = d.objects.world
    return {
        "strategic_area": world.strategic_area.pk,
        "focus": world.focus.pk,
        "priority": "high",
        "activity_type": "targeted",
        "requesters": [world.requester.pk],
        "primary_center": world.center.pk,
        "primary_staff": world.primary.pk,
        "outcome_plan": "State will publish revised QRIS standards.",
        "requested_by_ccdf_administrator": True,
        "join_existing_confirmed": True,
        "date_opened": today(),
    }


# The one table: "METHOD /path" (as in the OpenAPI document, without /api/v1) → codes.
# fmt: off
API_MATRIX: dict[str, Op] = {
    # Who am I, the reference lists and the staff directory: anyone signed in.
    "GET /me": R(READ),
    "GET /regions": R(READ),
    "GET /jurisdictions": R(READ),
    "GET /reference/{kind}": R(READ, kind="centers"),
    "GET /staff": R(READ),
    # Requesters (A4): staff members and federal viewers (who approve new requesters) add.
    "GET /requesters": R(READ),
    "POST /requesters": R("401 ok ok ok ok ok ok ok", body=lambda d: {
        "name": "Nia Newcontact", "email": "nia.newcontact@state.example.gov",
        "jurisdiction": d.objects.world.jurisdiction.code, "approved_by": "ccdf_administrator"}),
    # Goals (G1–G4).
    "GET /goals": R(READ),
    "POST /goals": R(ADD, body=lambda d: {
        "jurisdiction": d.objects.world.jurisdiction.code, "category": d.ids["other_category"],
        "readiness": "most", "strategic_areas": [{"item": d.ids["other_item"]}],
        "confirm_duplicate_category": True}),
    "GET /goals/{pk}": R(READ, pk="goal"),
    "PATCH /goals/{pk}": R(GOAL_EDITORS, pk="goal", body=v(Goal, "goal", readiness="least")),
    "GET /goals/{pk}/history": R(READ, pk="goal"),
    "POST /goals/{pk}/strategic-areas": R(GOAL_EDITORS, pk="goal", body=lambda d: {
        "strategic_areas": [{"item": d.ids["new_item"]}]}),
    "PATCH /goals/strategic-areas/{pk}": R(GOAL_EDITORS, pk="strategic_area",
                                           body=v(StrategicArea, "strategic_area", notes="New.")),
    "DELETE /goals/strategic-areas/{pk}": R(GOAL_EDITORS, pk="spare_area", query=lambda d: {
        "version": version(StrategicArea, "spare_area")(d)}),
    "POST /goals/{pk}/notes": R(GOAL_EDITORS, pk="goal", body=lambda d: {"text": "Progress."}),
    # A goal note by the State's SSS: its author and administrators correct it.
    "PATCH /goals/notes/{pk}": R(GOAL_EDITORS, pk="goal_note",
                                 body=v(GoalNote, "goal_note", text="Fixed.", note_date=today())),
    "POST /goals/{pk}/closure-requests": R(GOAL_EDITORS, pk="empty_goal",
                                           body=lambda d: {"reason": "The State met it."}),
    "POST /goals/closure-requests/{pk}/decline": R(ADMIN_ONLY, pk="closure_request",
                                                   body=lambda d: {"note": "Not yet."}),
    "POST /goals/{pk}/close": R(ADMIN_ONLY, pk="empty_goal",
                                body=v(Goal, "empty_goal", note="The State met the goal.")),
    "POST /goals/{pk}/reopen": R(ADMIN_ONLY, pk="closed_goal",
                                 body=v(Goal, "closed_goal", reason="More work is planned.")),
    # TA activities (A1–A16).
    "GET /activities": R(READ),
    "POST /activities": R(ADD, body=activity_body),
    "GET /activities/{pk}": R(READ, pk="activity"),
    "PATCH /activities/{pk}": R(EDITORS, pk="activity",
                                body=v(TAActivity, "activity", priority="low")),
    "POST /activities/{pk}/status": R(EDITORS, pk="activity", body=v(
        TAActivity, "activity", status="on_hold", reason="Waiting for the State.")),
    "POST /activities/{pk}/close": R(EDITORS, pk="activity", body=v(
        TAActivity, "activity", completion_date=today(), outcome_report="Standards published.")),
    "POST /activities/{pk}/cancel": R(EDITORS, pk="fresh_activity", body=v(
        TAActivity, "fresh_activity", reason="The State withdrew the request.")),
    "POST /activities/{pk}/reopen": R(PRIMARY_OR_ADMIN, pk="closed_activity", body=v(
        TAActivity, "closed_activity", reason="The State asked for more.")),
    # A16 (door 1): staff of a center taking part, the State's SSS and administrators join;
    # the primary staff person may, and is told they already take part (400).
    "POST /activities/{pk}/join": R("401 403 400 403 ok ok 403 ok", pk="activity",
                                    body=lambda d: {}),
    # ... anyone else who enters data asks (the fresh activity: nobody asked yet); the
    # primary staff person, who takes part, the State's SSS and the lead, who may join
    # directly, are told why not (400); the primary staff person and admins answer the
    # request of the staff of the center taking no part (waiting on the activity).
    "GET /activities/{pk}/join-requests": R(READ, pk="activity"),
    "POST /activities/{pk}/join-requests": R("401 ok 400 ok 400 400 403 403", pk="fresh_activity",
                                             body=lambda d: {"note": "We run the workgroup."}),
    "POST /activities/join-requests/{pk}/accept": R(PRIMARY_OR_ADMIN, pk="join_request",
                                                    body=lambda d: {"decision_note": "Welcome."}),
    "POST /activities/join-requests/{pk}/decline": R(PRIMARY_OR_ADMIN, pk="join_request",
                                                     body=lambda d: {"decision_note": "No role."}),
    "GET /activities/{pk}/history": R(READ, pk="activity"),
    "POST /activities/{pk}/plan-notes": R(EDITORS, pk="activity", body=lambda d: {
        "stage": "initial", "text": "Start with a call."}),
    "POST /activities/{pk}/summaries": R(EDITORS, pk="activity", body=lambda d: {
        "delivery_date": today(), "text": "Held a call.",
        "delivery_methods": [d.objects.world.method.pk], "ta_types": [d.objects.world.ta_type.pk]}),
    "POST /activities/{pk}/feedback": R(EDITORS, pk="activity", body=lambda d: {
        "feedback_date": today(), "giver_name": "Rita Requester", "giver_title": "Administrator",
        "text": "Helpful."}),
    "POST /activities/{pk}/response-notes": R(EDITORS, pk="activity",
                                              body=lambda d: {"text": "Sent the crosswalk."}),
    # A plan note by the primary staff person: its author and administrators correct it.
    "PATCH /activity-notes/{kind}/{pk}": R(PRIMARY_OR_ADMIN, kind="plan", pk="plan",
                                           body=v(DescriptionNote, "plan", text="Corrected.")),
    # Search (S1): anyone signed in.
    "GET /search": R(READ),
    # Monthly review (R1): as on the review page.
    "GET /review": R("401 403 403 200 200 200 200 200"),
    "POST /review/{pk}/mark": R("401 403 403 403 ok ok 403 ok", pk="activity",
                                body=lambda d: {"month": month()}),
    "POST /review/{pk}/unmark": R("401 403 403 403 ok ok 403 ok", pk="activity",
                                  body=lambda d: {"month": month()}),
    "POST /review/{pk}/send-backs": R(GOAL_EDITORS, pk="activity", body=lambda d: {
        "month": month(), "about": "summary", "comment": "Add the delivery methods."}),
    "POST /review/send-backs/{pk}/address": R(EDITORS, pk="send_back",
                                              body=lambda d: {"reply": "Added them."}),
}
# fmt: on


def path_of(key: str) -> str:
    """ "PATCH /goals/{pk}" → "/goals/{pk}"."""
    return key.split(" ", 1)[1]


# --- the data ------------------------------------------------------------------------------


@dataclass
class ApiData:
    objects: Any
    personas: dict[str, Any]
    ids: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)


def build_api_data() -> ApiData:
    """The page matrix's data set, a token per persona, and the objects some operations need
    so that an allowed call succeeds: an unused strategic area to remove, items to add, a goal
    note by the SSS, a goal without activities (close, request closure), a closed goal
    (reopen), an activity without summaries (cancel) and a closed one (reopen)."""
    base: MatrixData = build_data()
    world = base.objects.world
    ids = dict(base.ids)
    expires = timezone.localdate() + dt.timedelta(days=30)
    tokens = {
        persona: api_services.api_token_create(
            actor=user, owner=user, name=f"Matrix {persona}", expires_on=expires
        )[1]
        for persona, user in base.personas.items()
        if user is not None
    }
    ids["spare_area"] = StrategicAreaFactory(
        goal=world.goal, item=StrategicAreaItemFactory(category=world.category)
    ).pk
    ids["new_item"] = StrategicAreaItemFactory(category=world.category).pk
    ids["other_category"] = world.other_category.pk
    ids["other_item"] = StrategicAreaItemFactory(category=world.other_category).pk
    ids["goal_note"] = goal_services.goal_note_add(
        actor=world.sss, goal=world.goal, text="The State adopted the plan."
    ).pk
    empty_goal = GoalFactory(
        jurisdiction=world.jurisdiction, category=world.other_category, created_by=world.admin
    )
    StrategicAreaFactory(
        goal=empty_goal, item=StrategicAreaItemFactory(category=empty_goal.category)
    )
    ids["empty_goal"] = empty_goal.pk
    third = GoalCategoryFactory(number=5, name="Health and safety")
    closed_goal = GoalFactory(
        jurisdiction=world.jurisdiction, category=third, created_by=world.admin
    )
    StrategicAreaFactory(goal=closed_goal, item=StrategicAreaItemFactory(category=third))
    goal_services.goal_close(actor=world.admin, goal=closed_goal, note="Met.")
    ids["closed_goal"] = closed_goal.pk
    ids["fresh_activity"] = create_activity(world).pk
    closed = make_trackable(world, create_activity(world))
    activity_services.activity_close(
        actor=world.primary,
        activity=closed,
        completion_date=timezone.localdate(),
        outcome_report="Standards published.",
    )
    ids["closed_activity"] = closed.pk
    return ApiData(objects=base.objects, personas=base.personas, ids=ids, tokens=tokens)


@pytest.fixture(scope="module")
def api_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[ApiData]:
    """`build_api_data()` once for the module; rolled back after the last request."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_api_data()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_client() -> Client:
    """One client for the module (a new one re-scans the static files), checking CSRF as a
    browser's session would be checked."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def client(_module_client: Client, db: None) -> Client:
    _module_client.logout()
    _module_client.cookies.clear()
    return _module_client


# --- calling -------------------------------------------------------------------------------


def credentials(client: Client, data: ApiData, persona: str, mode: str) -> dict[str, str]:
    """Sign `client` in as `persona` by `mode` ("token", "session", "none"); the headers."""
    if mode == "token":
        return {"Authorization": f"Bearer {data.tokens[persona]}"}
    if mode == "session":
        client.force_login(data.personas[persona])
        csrf = get_random_string(32)
        client.cookies[settings.CSRF_COOKIE_NAME] = csrf
        return {"X-CSRFToken": csrf}
    return {}


def url_of(key: str, op: Op, data: ApiData) -> str:
    path = path_of(key)
    if "{pk}" in path:
        assert op.pk, f"Tell API_MATRIX which object fills {key!r}"
        path = path.replace("{pk}", str(data.ids[op.pk]))
    if "{kind}" in path:
        assert op.kind, f"Tell API_MATRIX which kind fills {key!r}"
        path = path.replace("{kind}", op.kind)
    assert "{" not in path, f"Tell API_MATRIX what fills the parameters of {key!r}"
    return API_PREFIX + path


def call(client: Client, key: str, data: ApiData, headers: dict[str, str]) -> Any:
    op = API_MATRIX[key]
    method = key.split(" ", 1)[0].lower()
    url = url_of(key, op, data)
    if op.query is not None:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(op.query(data))}"
    if method == "get":
        return client.get(url, headers=headers)
    body = json.dumps(op.body(data) if op.body else {})
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def matches(expected: str, actual: int) -> bool:
    if expected == "ok":
        return actual in {200, 201, 204}
    return expected == str(actual)


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_api_operation_is_in_the_matrix(client: Client, api_data: ApiData) -> None:
    """A new API operation cannot slip through unlisted: add its row to API_MATRIX."""
    headers = credentials(client, api_data, "federal", "token")
    response = client.get(f"{API_PREFIX}/openapi.json", headers=headers)
    assert response.status_code == 200
    operations = {
        f"{method.upper()} {path.removeprefix(API_PREFIX)}"
        for path, methods in response.json()["paths"].items()
        for method in methods
    }
    missing = sorted(operations - set(API_MATRIX))
    assert not missing, f"API operations with no row in API_MATRIX: {missing}"
    stale = sorted(set(API_MATRIX) - operations)
    assert not stale, f"Rows for API operations that no longer exist: {stale}"


CASES = [
    (key, persona, "none" if persona == "anonymous" else mode)
    for key in API_MATRIX
    for persona in PERSONAS
    for mode in (("none",) if persona == "anonymous" else ("token", "session"))
]


@pytest.mark.django_db
@pytest.mark.parametrize("key, persona, mode", CASES, ids=[f"{k}-{p}-{m}" for k, p, m in CASES])
def test_api_permission_matrix(
    client: Client, api_data: ApiData, key: str, persona: str, mode: str
) -> None:
    expected = API_MATRIX[key].codes[PERSONAS.index(persona)]
    headers = credentials(client, api_data, persona, mode)
    writes = not key.startswith("GET ")
    before = fingerprint() if writes and expected in API_REFUSED else None
    response = call(client, key, api_data, headers)
    got = response.status_code
    assert matches(expected, got), f"{key} as {persona} ({mode}): {got} {response.content[:400]!r}"
    if expected in API_REFUSED:
        body = response.json()
        assert body["detail"], body  # the API's one error shape, a sentence to read
    if before is not None:
        after = fingerprint()
        changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
        assert not changed, f"{key} refused to {persona} ({mode}) but changed {changed}"

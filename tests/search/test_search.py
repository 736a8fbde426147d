"""Search (S1, S2): every criterion alone and combined, contradictions explained, malformed
values as field errors, who may search, the URL as the state of the page, sorting,
pagination and a pinned number of SQL queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from activities.models import (
    ActivityStatus,
    ActivityType,
    CompletionStatus,
    DeliverySummary,
    DescriptionNote,
    RequesterFeedback,
    ResponseNote,
    TAActivity,
)
from reference.models import (
    Center,
    CollaboratorType,
    FocusArea,
    GoalCategory,
    Jurisdiction,
    Region,
    StrategicAreaItem,
)
from search.contradictions import find_contradictions
from search.criteria import DateRange, SearchCriteria
from search.forms import SearchForm
from search.selectors import activities_for_search
from search.views import COLUMNS, PAGE_SIZE
from tests.factories import (
    CenterFactory,
    CollaboratorTypeFactory,
    FederalViewerFactory,
    FocusAreaFactory,
    GoalCategoryFactory,
    GoalFactory,
    JurisdictionFactory,
    RegionFactory,
    StrategicAreaFactory,
    StrategicAreaItemFactory,
    TAActivityFactory,
    UserFactory,
)

SEARCH_URL = "/search/"
D = dt.date


@dataclass
class SearchWorld:
    region_v: Region
    region_ix: Region
    illinois: Jurisdiction
    guam: Jurisdiction
    california: Jurisdiction
    quality: GoalCategory
    financial: GoalCategory
    tiered_qris: StrategicAreaItem
    pd_system: StrategicAreaItem
    eligibility: StrategicAreaItem
    qris_focus: FocusArea
    rates_focus: FocusArea
    scbc: Center
    ecqa: Center
    alice: User
    bob: User
    carol: User
    consultant: CollaboratorType
    peer_state: CollaboratorType
    reader: User
    qris: TAActivity  # goal-driven, Illinois, quality
    rates: TAActivity  # on-demand, Guam, financial
    related: TAActivity  # goal-driven, California, financial goal related to quality


def _note(model, activity: TAActivity, text: str, when: dt.date, **extra) -> object:
    return model.objects.create(
        activity=activity, text=text, note_date=when, author=activity.primary_staff, **extra
    )


def build_search_world() -> SearchWorld:
    region_v = RegionFactory(number=5)
    region_ix = RegionFactory(number=9)
    illinois = JurisdictionFactory(code="IL", name="Illinois", region=region_v)
    guam = JurisdictionFactory(code="GU", name="Guam", region=region_ix)
    california = JurisdictionFactory(code="CA", name="California", region=region_ix)
    quality = GoalCategoryFactory(number=7, name="Support continuous quality improvement")
    financial = GoalCategoryFactory(number=3, name="Provide stable financial assistance")
    tiered_qris = StrategicAreaItemFactory(category=quality, name="Tiered QRIS")
    pd_system = StrategicAreaItemFactory(category=quality, name="Workforce training")
    eligibility = StrategicAreaItemFactory(category=financial, name="Eligibility policy")
    qris_focus = FocusAreaFactory(category=quality, name="QRIS program standards")
    rates_focus = FocusAreaFactory(category=financial, name="Market rate survey")
    scbc = CenterFactory(code="SCBC", name="State Capacity Building Center")
    ecqa = CenterFactory(code="ECQA", name="Quality Assurance Center")
    alice = UserFactory(full_name="Alice Adams", center=scbc)
    bob = UserFactory(full_name="Bob Brown", center=ecqa)
    carol = UserFactory(full_name="Carol Chen", center=scbc)
    consultant = CollaboratorTypeFactory(name="Consultant")
    peer_state = CollaboratorTypeFactory(name="Peer State")

    qris_goal = GoalFactory(jurisdiction=illinois, category=quality)
    qris = TAActivityFactory(
        strategic_area=StrategicAreaFactory(goal=qris_goal, item=tiered_qris),
        focus=qris_focus,
        primary_center=scbc,
        primary_staff=alice,
        activity_type=ActivityType.TAILORED,
        status=ActivityStatus.APPROVED,
        completion_status=CompletionStatus.CLOSED,
        completion_date=D(2025, 3, 31),
        date_opened=D(2025, 1, 10),
    )
    qris.collaborating_centers.set([ecqa])
    qris.collaborating_staff.set([bob])
    qris.other_collaborators.set([consultant])
    _note(
        DescriptionNote, qris, "SCBC to review tiered reimbursement", D(2025, 1, 12), stage="final"
    )
    _note(DeliverySummary, qris, "State received an onsite visit on QRIS", D(2025, 2, 15))
    _note(
        RequesterFeedback,
        qris,
        "Exactly the information the licensing council wanted",
        D(2025, 3, 1),
        giver_name="Dana Director",
        giver_title="CCDF Administrator",
    )
    _note(ResponseNote, qris, "Planned a peer learning call", D(2025, 2, 1))

    rates = TAActivityFactory(
        strategic_area=None,
        goal=None,
        jurisdiction=guam,
        goal_category=financial,
        focus=rates_focus,
        other_focus_notes="Territory asked about cost modeling",
        primary_center=ecqa,
        primary_staff=bob,
        activity_type=ActivityType.UNIVERSAL,
        status=ActivityStatus.PLANNING,
        date_opened=D(2025, 6, 1),
    )
    rates.other_collaborators.set([peer_state])
    _note(
        DescriptionNote,
        rates,
        "Provide a market rate survey primer",
        D(2025, 6, 2),
        stage="initial",
    )
    _note(DeliverySummary, rates, "Territory joined a webinar on rates", D(2025, 7, 20))

    related_goal = GoalFactory(
        jurisdiction=california, category=financial, related_category=quality
    )
    related = TAActivityFactory(
        strategic_area=StrategicAreaFactory(goal=related_goal, item=eligibility),
        focus=FocusAreaFactory(category=financial, name="Continuity of care"),
        primary_center=scbc,
        primary_staff=carol,
        activity_type=ActivityType.TARGETED,
        status=ActivityStatus.ON_HOLD,
        completion_status=CompletionStatus.CANCELLED,
        date_opened=D(2025, 9, 5),
    )
    related.collaborating_staff.set([alice])
    _note(ResponseNote, related, "Coordinated with the regional office", D(2025, 9, 30))

    return SearchWorld(
        region_v=region_v,
        region_ix=region_ix,
        illinois=illinois,
        guam=guam,
        california=california,
        quality=quality,
        financial=financial,
        tiered_qris=tiered_qris,
        pd_system=pd_system,
        eligibility=eligibility,
        qris_focus=qris_focus,
        rates_focus=rates_focus,
        scbc=scbc,
        ecqa=ecqa,
        alice=alice,
        bob=bob,
        carol=carol,
        consultant=consultant,
        peer_state=peer_state,
        reader=FederalViewerFactory(full_name="Fay Federal"),
        qris=qris,
        rates=rates,
        related=related,
    )


def found(criteria: SearchCriteria) -> set[int]:
    return set(activities_for_search(criteria).values_list("pk", flat=True))


def criteria_from(params: dict[str, str]) -> SearchCriteria:
    form = SearchForm(params)
    assert form.is_valid(), form.errors
    return form.criteria()


def page_records(response) -> list[str]:
    """Record numbers in the results table, in order."""
    return re.findall(
        r'<th scope="row"><a class="usa-link" href="[^"]+">(TA-\d+)</a>', response.content.decode()
    )


# --- S1: each criterion alone -------------------------------------------------------------

CRITERIA_ALONE = [
    # (label, params builder, expected activities)
    ("record", lambda w: {"record": f"TA-{w.rates.pk:06d}"}, {"rates"}),
    ("record digits only", lambda w: {"record": str(w.qris.pk)}, {"qris"}),
    ("jurisdiction", lambda w: {"jurisdiction": w.guam.pk}, {"rates"}),
    ("region", lambda w: {"region": w.region_ix.pk}, {"rates", "related"}),
    ("category (own or related)", lambda w: {"category": w.quality.pk}, {"qris", "related"}),
    ("category financial", lambda w: {"category": w.financial.pk}, {"rates", "related"}),
    (
        "strategic area",
        lambda w: {"category": w.quality.pk, "strategic_area": w.tiered_qris.pk},
        {"qris"},
    ),
    ("focus", lambda w: {"focus": w.rates_focus.pk}, {"rates"}),
    ("primary center", lambda w: {"primary_center": w.scbc.pk}, {"qris", "related"}),
    ("collaborating center", lambda w: {"collaborating_center": w.ecqa.pk}, {"qris"}),
    ("staff as primary or collaborator", lambda w: {"staff": w.alice.pk}, {"qris", "related"}),
    ("staff bob", lambda w: {"staff": w.bob.pk}, {"qris", "rates"}),
    ("activity type", lambda w: {"activity_type": "universal"}, {"rates"}),
    ("activity status", lambda w: {"status": "on_hold"}, {"related"}),
    ("completion status", lambda w: {"completion_status": "closed"}, {"qris"}),
    ("other collaborators", lambda w: {"other_collaborator": w.peer_state.pk}, {"rates"}),
    (
        "date opened range",
        lambda w: {"opened_from": "2025-05-01", "opened_to": "2025-09-05"},
        {"rates", "related"},
    ),
    ("date opened from only", lambda w: {"opened_from": "2025-09-01"}, {"related"}),
    ("date opened to only", lambda w: {"opened_to": "01/31/2025"}, {"qris"}),
    (
        "date closed range",
        lambda w: {"closed_from": "2025-03-01", "closed_to": "2025-03-31"},
        {"qris"},
    ),
    (
        "response note date range",
        lambda w: {"response_from": "2025-09-01", "response_to": "2025-12-31"},
        {"related"},
    ),
    (
        "summary date range",
        lambda w: {"summary_from": "2025-02-01", "summary_to": "2025-02-28"},
        {"qris"},
    ),
    ("text", lambda w: {"q": "webinar"}, {"rates"}),
]


@pytest.mark.parametrize(
    ("label", "params", "expected"), CRITERIA_ALONE, ids=[c[0] for c in CRITERIA_ALONE]
)
def test_s1_each_criterion_alone(world, label, params, expected):
    criteria = criteria_from(params(world))
    assert found(criteria) == {getattr(world, name).pk for name in expected}


def test_s1_no_criteria_returns_every_activity_goal_driven_and_on_demand(world):
    assert found(SearchCriteria()) == {world.qris.pk, world.rates.pk, world.related.pk}


def test_s1_criteria_combine_with_and(world):
    both = criteria_from({"primary_center": world.scbc.pk, "staff": world.alice.pk})
    assert found(both) == {world.qris.pk, world.related.pk}
    narrower = criteria_from(
        {"primary_center": world.scbc.pk, "staff": world.alice.pk, "completion_status": "closed"}
    )
    assert found(narrower) == {world.qris.pk}
    nothing = criteria_from({"region": world.region_ix.pk, "activity_type": "tailored"})
    assert found(nothing) == set()
    text_and_place = criteria_from({"q": "regional office", "region": world.region_ix.pk})
    assert found(text_and_place) == {world.related.pk}
    text_elsewhere = criteria_from({"q": "regional office", "region": world.region_v.pk})
    assert found(text_elsewhere) == set()


def test_s1_every_criterion_at_once(world):
    w = world
    params = {
        "record": str(w.qris.pk),
        "jurisdiction": w.illinois.pk,
        "region": w.region_v.pk,
        "category": w.quality.pk,
        "strategic_area": w.tiered_qris.pk,
        "focus": w.qris_focus.pk,
        "primary_center": w.scbc.pk,
        "collaborating_center": w.ecqa.pk,
        "staff": w.bob.pk,
        "activity_type": "tailored",
        "status": "approved",
        "completion_status": "closed",
        "other_collaborator": w.consultant.pk,
        "opened_from": "2025-01-01",
        "opened_to": "2025-01-31",
        "closed_from": "2025-03-01",
        "closed_to": "2025-04-30",
        "response_from": "2025-02-01",
        "response_to": "2025-02-01",
        "summary_from": "2025-02-15",
        "summary_to": "2025-02-15",
        "q": "tiered reimbursement",
    }
    assert found(criteria_from(params)) == {w.qris.pk}
    params["status"] = "denied"
    assert found(criteria_from(params)) == set()


def test_s1_results_page_marks_goal_driven_and_on_demand(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"region": world.region_ix.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert set(page_records(response)) == {world.rates.record_number, world.related.record_number}
    assert html.count(">On-demand</span>") == 1
    assert html.count(">Goal-driven</span>") == 1
    assert reverse("activities:detail", kwargs={"pk": world.rates.pk}) in html


def test_s1_row_for_each_result_is_not_repeated_by_many_collaborators(world):
    extra = UserFactory(full_name="Extra Person")
    world.qris.collaborating_staff.add(extra)
    world.qris.collaborating_centers.add(world.scbc)
    criteria = criteria_from({"staff": world.bob.pk, "collaborating_center": world.ecqa.pk})
    assert list(activities_for_search(criteria).values_list("pk", flat=True)) == [world.qris.pk]


# --- S2: contradictions -------------------------------------------------------------------


def test_s2_jurisdiction_outside_region_is_explained(reader_client, world):
    response = reader_client.get(
        SEARCH_URL, {"jurisdiction": world.guam.pk, "region": world.region_v.pk}
    )
    assert response.status_code == 200
    assert "Guam is in Region IX, not Region V — run two searches." in response.content.decode()
    assert page_records(response) == []


def test_s2_strategic_area_outside_category_is_explained(world):
    criteria = criteria_from(
        {"category": world.financial.pk, "strategic_area": world.tiered_qris.pk}
    )
    assert find_contradictions(criteria) == [
        "“Tiered QRIS” is a strategic area of goal category 7, not of goal category 3 — "
        "choose goal category 7 to search it, or run two searches."
    ]


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("opened_from", "opened_to", "date opened"),
        ("closed_from", "closed_to", "date closed"),
        ("response_from", "response_to", "TA response note date"),
        ("summary_from", "summary_to", "summary of TA delivered date"),
    ],
)
def test_s2_range_ending_before_it_starts_is_explained(reader_client, world, start, end, label):
    response = reader_client.get(SEARCH_URL, {start: "2025-03-04", end: "2025-01-02"})
    assert response.status_code == 200
    expected = (
        f"The {label} range ends on 01/02/2025, before it starts on 03/04/2025 — "
        "swap the two dates."
    )
    assert expected in response.content.decode()
    assert page_records(response) == []


def test_s2_record_number_that_does_not_exist_is_explained(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"record": "TA-999999"})
    assert (
        "There is no TA record TA-999999 — check the number or remove it."
        in response.content.decode()
    )
    assert page_records(response) == []


def test_s2_consistent_criteria_have_no_contradiction(world):
    criteria = SearchCriteria(
        jurisdiction=world.guam,
        region=world.region_ix,
        category=world.quality,
        strategic_area=world.tiered_qris,
        date_opened=DateRange(D(2025, 1, 1), D(2025, 1, 1)),
        record=world.qris.pk,
    )
    assert find_contradictions(criteria) == []


def test_s2_strategic_area_needs_a_goal_category(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"strategic_area": world.tiered_qris.pk})
    assert response.status_code == 200
    assert "Choose a goal category first" in response.content.decode()
    assert page_records(response) == []


# --- malformed values: field errors, never a 500 ------------------------------------------

MALFORMED = [
    ({"record": "abc"}, "record", "Enter a TA record number such as TA-000123 or 123."),
    ({"record": "TA-12x"}, "record", "Enter a TA record number such as TA-000123 or 123."),
    ({"record": "0"}, "record", "Enter a TA record number such as TA-000123 or 123."),
    ({"opened_from": "2026-02-30"}, "opened_from", "Enter a real date"),
    ({"closed_to": "yesterday"}, "closed_to", "Enter a real date"),
    ({"summary_from": "13/45/2025"}, "summary_from", "Enter a real date"),
    ({"response_to": "2025-1-"}, "response_to", "Enter a real date"),
    ({"jurisdiction": "99999"}, "jurisdiction", "Choose one State or Territory from the list"),
    ({"jurisdiction": "GU'"}, "jurisdiction", "Choose one State or Territory from the list"),
    ({"region": "-1"}, "region", "Choose one region from the list"),
    ({"category": "1e9"}, "category", "Choose a goal category from the list"),
    ({"staff": "99999999999999999999999"}, "staff", "Choose a staff member from the list"),
    ({"primary_center": "x"}, "primary_center", "Choose one center from the list"),
    ({"activity_type": "huge"}, "activity_type", "Choose a TA activity type from the list"),
    ({"status": "pending"}, "status", "Choose a TA activity status from the list"),
    ({"completion_status": "done"}, "completion_status", "Choose a completion status"),
    ({"other_collaborator": "[]"}, "other_collaborator", "Choose an other-collaborator type"),
    ({"q": "!!! ???"}, "q", "Enter at least one word"),
]


@pytest.mark.parametrize(
    ("params", "field", "message"), MALFORMED, ids=[str(m[0]) for m in MALFORMED]
)
def test_s1_malformed_value_is_a_field_error(reader_client, world, params, field, message):
    response = reader_client.get(SEARCH_URL, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}-error"' in html  # the error sits at its field
    assert page_records(response) == []


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "999"}, {"page": "-3"}, {"sort": "password"}, {"sort": "--record"}],
)
def test_s1_bad_page_or_sort_falls_back_without_error(reader_client, world, params):
    response = reader_client.get(SEARCH_URL, params)
    assert response.status_code == 200
    assert len(page_records(response)) == 3


def test_s1_exports_with_malformed_values_show_the_errors(reader_client, world):
    for name in ("search:export_csv", "search:export_xlsx"):
        response = reader_client.get(reverse(name), {"opened_from": "2026-02-30"})
        assert response.status_code == 200
        assert "Enter a real date" in response.content.decode()


# --- permission ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["search:search", "search:export_csv", "search:export_xlsx"])
def test_s1_anonymous_may_not_search(client, world, name):
    response = client.get(reverse(name), {"q": "QRIS"})
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize(
    "flags",
    [
        {"is_ta_staff": True},
        {"is_ta_staff": False, "is_federal_viewer": True},
        {"is_ta_staff": False, "is_sss": True},
        {"is_ta_staff": False, "is_center_lead": True},
        {"is_ta_staff": False, "is_tat_admin": True},
        {"is_ta_staff": False},  # signed in with no role at all
    ],
)
def test_s1_anyone_signed_in_may_search(client, world, flags):
    client.force_login(UserFactory(**flags))
    response = client.get(SEARCH_URL, {"q": "QRIS"})
    assert response.status_code == 200
    assert page_records(response) == [world.qris.record_number]


def test_s1_search_page_refuses_post(reader_client, world):
    assert reader_client.post(SEARCH_URL).status_code == 405


# --- the URL, chips, sorting, pagination --------------------------------------------------


def test_s1_criteria_live_in_the_url_and_show_as_removable_chips(reader_client, world):
    params = {
        "jurisdiction": world.illinois.pk,
        "category": world.quality.pk,
        "strategic_area": world.tiered_qris.pk,
        "opened_from": "2025-01-01",
        "q": "tiered",
        "sort": "staff",
    }
    response = reader_client.get(SEARCH_URL, params)
    chips = {chip["name"]: chip for chip in response.context["chips"]}
    assert set(chips) == {"jurisdiction", "category", "strategic_area", "date_opened", "text"}
    assert chips["jurisdiction"]["value"] == "Illinois"
    assert chips["date_opened"]["value"] == "from 01/01/2025"
    without_place = parse_qs(chips["jurisdiction"]["remove_query"])
    assert "jurisdiction" not in without_place
    assert without_place["q"] == ["tiered"]
    assert without_place["sort"] == ["staff"]  # the order is kept
    # Removing the category removes the strategic area that needs it (S2).
    without_category = parse_qs(chips["category"]["remove_query"])
    assert "category" not in without_category and "strategic_area" not in without_category
    html = response.content.decode()
    assert "Remove </span>State or Territory: Illinois" in html
    # Following a chip's link runs the search without that criterion.
    wider = reader_client.get(SEARCH_URL + "?" + chips["text"]["remove_query"])
    assert page_records(wider) == [world.qris.record_number]


def test_s1_form_is_filled_from_the_url(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"jurisdiction": world.guam.pk, "q": "rates"})
    html = response.content.decode()
    assert f'<option value="{world.guam.pk}" selected>Guam</option>' in html
    assert 'value="rates"' in html


def _sort_value(activity: TAActivity, key: str):
    return {
        "record": activity.pk,
        "focus": activity.focus.name,
        "kind": 1 if activity.goal_id is None else 0,
        "jurisdiction": activity.jurisdiction.name,
        "category": activity.goal_category.number,
        "primary_center": activity.primary_center.name,
        "staff": activity.primary_staff.full_name,
        "activity_type": activity.activity_type,
        "status": activity.status,
        "completion_status": activity.completion_status,
        "date_opened": activity.date_opened,
        "date_closed": activity.completion_date or D.max,
    }[key]


@pytest.mark.parametrize("key", [key for key, _ in COLUMNS])
@pytest.mark.parametrize("descending", [False, True])
def test_s3_results_sort_by_each_column(reader_client, world, key, descending):
    response = reader_client.get(SEARCH_URL, {"sort": f"-{key}" if descending else key})
    shown = page_records(response)
    activities = [world.qris, world.rates, world.related]
    if key == "date_closed":  # empty dates come last in both directions
        dated = sorted(
            (a for a in activities if a.completion_date),
            key=lambda a: (a.completion_date, a.pk),
            reverse=descending,
        )
        expected = dated + [
            a
            for a in sorted(activities, key=lambda a: a.pk, reverse=descending)
            if not a.completion_date
        ]
    else:
        expected = sorted(activities, key=lambda a: (_sort_value(a, key), a.pk), reverse=descending)
    assert shown == [a.record_number for a in expected]
    sorted_header = [c for c in response.context["columns"] if c["aria_sort"]]
    assert [c["key"] for c in sorted_header] == [key]
    assert sorted_header[0]["aria_sort"] == ("descending" if descending else "ascending")


def test_s3_results_are_paginated_with_the_count_shown(reader_client, world):
    for day in range(PAGE_SIZE + 5):
        TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            primary_center=world.scbc,
            primary_staff=world.alice,
            date_opened=D(2024, 1, 1) + dt.timedelta(days=day),
        )
    total = 3 + PAGE_SIZE + 5
    first = reader_client.get(SEARCH_URL, {"sort": "record"})
    assert len(page_records(first)) == PAGE_SIZE
    assert (
        f"<strong>{total}</strong> TA activities found; showing 1–{PAGE_SIZE}."
        in first.content.decode()
    )
    second = reader_client.get(SEARCH_URL, {"sort": "record", "page": "2"})
    assert len(page_records(second)) == total - PAGE_SIZE
    assert set(page_records(first)).isdisjoint(page_records(second))
    # Page links keep the criteria and the sort.
    assert 'href="?sort=record&amp;page=2"' in first.content.decode()
    one = reader_client.get(SEARCH_URL, {"record": world.qris.pk})
    assert "<strong>1</strong> TA activity found." in one.content.decode()


def test_s3_sort_links_keep_the_criteria(reader_client, world):
    response = reader_client.get(SEARCH_URL, {"region": world.region_ix.pk, "sort": "staff"})
    columns = {c["key"]: c for c in response.context["columns"]}
    assert parse_qs(columns["staff"]["query"]) == {
        "region": [str(world.region_ix.pk)],
        "sort": ["-staff"],
    }
    assert parse_qs(columns["jurisdiction"]["query"])["sort"] == ["jurisdiction"]


# --- the number of SQL queries does not grow with the data --------------------------------


def _queries_for(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return len(queries)


FULL_SEARCH = {
    "region": "",  # filled in by the test
    "category": "",
    "primary_center": "",
    "staff": "",
    "activity_type": "tailored",
    "opened_from": "2020-01-01",
    "summary_from": "2020-01-01",
    "q": "QRIS",
}


def _full_search(world: SearchWorld) -> dict:
    return {
        **FULL_SEARCH,
        "region": world.region_v.pk,
        "category": world.quality.pk,
        "primary_center": world.scbc.pk,
        "staff": world.alice.pk,
    }


def _grow(world: SearchWorld, count: int) -> None:
    for number in range(count):
        activity = TAActivityFactory(
            strategic_area=world.qris.strategic_area,
            focus=world.qris_focus,
            primary_center=world.scbc,
            primary_staff=world.alice,
            activity_type=ActivityType.TAILORED,
            date_opened=D(2024, 1, 1) + dt.timedelta(days=number),
        )
        activity.collaborating_staff.set([world.bob, world.carol])
        _note(DeliverySummary, activity, f"QRIS visit number {number}", D(2024, 6, 1))


# Session, user, FieldHelp catalogue, the criteria's nine choice lists, the person's saved
# searches, the count and the page of rows.
QUERIES_NO_CRITERIA = 15
# Words alone: the count comes from the full-text index instead of the activities table.
QUERIES_TEXT_ONLY = QUERIES_NO_CRITERIA
# …plus one look-up for each chosen region, category, center and staff member, the ids
# of the region's jurisdictions and of the goals related to the category, and the number
# of documents holding the words (which chooses how the page is read).
QUERIES_FULL_SEARCH = 22


def test_s3_search_page_queries_do_not_grow_with_results(reader_client, world):
    reader_client.get(SEARCH_URL)  # the page shell caches the jurisdiction picker per process
    assert _queries_for(reader_client, {}) == QUERIES_NO_CRITERIA
    assert _queries_for(reader_client, {"q": "QRIS"}) == QUERIES_TEXT_ONLY
    assert _queries_for(reader_client, _full_search(world)) == QUERIES_FULL_SEARCH
    _grow(world, 40)
    assert _queries_for(reader_client, {"q": "QRIS"}) == QUERIES_TEXT_ONLY
    assert _queries_for(reader_client, {}) == QUERIES_NO_CRITERIA
    assert _queries_for(reader_client, {"page": "2", "sort": "staff"}) == QUERIES_NO_CRITERIA
    assert _queries_for(reader_client, _full_search(world)) == QUERIES_FULL_SEARCH


def test_s1_saved_query_string_round_trips(world):
    from search.forms import criteria_query_string

    params = _full_search(world)
    criteria = criteria_from(params)
    again = criteria_from({k: v[0] for k, v in parse_qs(criteria_query_string(criteria)).items()})
    assert again == criteria
    assert urlencode({"q": "QRIS"}) in criteria_query_string(criteria)


@pytest.mark.parametrize("sort", [key for key, _ in COLUMNS] + [f"-{key}" for key, _ in COLUMNS])
def test_s3_pages_are_the_same_whichever_way_they_are_read(world, monkeypatch, sort):
    """Few results are all found then sorted; many are read in the sort's index order.
    Both give the same pages (the choice is only about speed)."""
    from search import selectors
    from search.selectors import SearchResults

    _grow(world, 30)
    for params in ({}, {"staff": world.alice.pk}, {"summary_from": "2024-01-01"}):
        criteria = criteria_from(params)
        few = SearchResults(criteria, sort=sort)
        expected = [a.pk for a in few[0:PAGE_SIZE]] + [a.pk for a in few[PAGE_SIZE : 2 * PAGE_SIZE]]
        monkeypatch.setattr(selectors, "FEW_RESULTS", 0)
        many = SearchResults(criteria, sort=sort)
        assert [a.pk for a in many[0:PAGE_SIZE]] + [
            a.pk for a in many[PAGE_SIZE : 2 * PAGE_SIZE]
        ] == expected
        monkeypatch.undo()
        assert len(expected) == few.count()

"""Search criteria (S1, S2): every criterion alone and combined, contradictions explained,
malformed values as field errors (never a 500), and who may search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from search.contradictions import find_contradictions
from search.criteria import DateRange, SearchCriteria
from search.selectors import activities_for_search
from tests.factories import UserFactory
from tests.search.helpers import (
    SEARCH_URL,
    D,
    criteria_from,
    found,
    page_records,
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
        ("response_from", "response_to", "TA response note (date of the note)"),
        ("summary_from", "summary_to", "summary of TA delivered (delivery date)"),
        ("response_entered_from", "response_entered_to", "TA response note (date entered)"),
        ("summary_entered_from", "summary_entered_to", "summary of TA delivered (date entered)"),
        ("cor_approved_from", "cor_approved_to", "COR approval date"),
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

"""A7, approvals on record (the guide, "Requesters" and "TA activity status"): whether the
CCDF Administrator or his or her staff requested the activity directly, otherwise who
approved it (CCDF Administrator or RPM) and when; the COR's name and approval date when it
is marked approved. Kept in history (AU1), exported and searchable (S1, S3)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from activities import services
from activities.models import ActivityStatus, PlanStage, RequesterApproverRole, TAActivity
from search.criteria import DateRange, SearchCriteria
from search.export import HEADINGS
from search.forms import SearchForm
from search.selectors import activities_for_search
from tests.activities.helpers import create_data, create_url, errors_of, form_errors, sign_in
from tests.factories_activities import (
    assert_refused,
    cor_approval,
    create_activity,
    row_counts,
    today,
)

OPENED = dt.date(2025, 1, 6)  # a Monday; the request came in then


def _final_plan(world, activity: TAActivity) -> None:
    services.description_note_add(
        actor=world.primary, activity=activity, stage=PlanStage.FINAL, text="Final plan."
    )


def _approve(world, activity: TAActivity, **kwargs) -> TAActivity:
    return services.activity_set_status(
        actor=world.federal, activity=activity, status=ActivityStatus.APPROVED, **kwargs
    )


@pytest.fixture
def partner_request(world) -> TAActivity:
    """Requested by a State partner, not the CCDF Administrator; approval still pending."""
    activity = create_activity(world, date_opened=OPENED, requested_by_ccdf_administrator=False)
    _final_plan(world, activity)
    return TAActivity.objects.get(pk=activity.pk)


def _record_rpm_approval(world, activity: TAActivity, **overrides) -> TAActivity:
    fields = {
        "requester_approver_role": RequesterApproverRole.RPM,
        "requester_approver_name": "Renee Morales",
        "requester_approval_date": dt.date(2025, 1, 13),
        **overrides,
    }
    return services.activity_update(
        actor=world.primary, activity=activity, expected_version=activity.version, **fields
    )


# --- the service ------------------------------------------------------------------------------


def test_a7_a_new_activity_says_whether_it_was_requested_directly(world):
    assert_refused(
        lambda: create_activity(world, requested_by_ccdf_administrator=None),
        "requested_by_ccdf_administrator",
        contains="requested this activity directly",
    )


def test_a7_approved_refused_without_the_ccdf_administrator_or_rpm_approval(world, partner_request):
    error = assert_refused(
        lambda: _approve(world, partner_request, **cor_approval()), "requester_approver_role"
    )
    assert set(error.message_dict) == {
        "requester_approver_role",
        "requester_approver_name",
        "requester_approval_date",
    }
    assert "not requested directly" in error.message_dict["requester_approver_role"][0]
    assert TAActivity.objects.get(pk=partner_request.pk).status == ActivityStatus.PLANNING


def test_a7_approved_refused_without_the_cor_name_and_date(world, partner_request):
    activity = _record_rpm_approval(world, partner_request)
    error = assert_refused(lambda: _approve(world, activity), "cor_name")
    assert error.message_dict == {
        "cor_name": [services.messages.COR_NAME_REQUIRED],
        "cor_approval_date": [services.messages.COR_APPROVAL_DATE_REQUIRED],
    }
    assert_refused(
        lambda: _approve(world, activity, cor_name="  ", cor_approval_date=None), "cor_name"
    )


@pytest.mark.parametrize(
    ("cor_date", "message"),
    [
        (dt.date(2025, 1, 3), "before it was requested: the date opened is 01/06/2025"),
        (None, "cannot be in the future"),  # tomorrow, computed below
    ],
)
def test_a7_cor_approval_date_not_before_opened_nor_in_the_future(
    world, partner_request, cor_date, message
):
    activity = _record_rpm_approval(world, partner_request)
    cor_date = cor_date or today() + dt.timedelta(days=1)
    assert_refused(
        lambda: _approve(world, activity, cor_name="Dana Whitfield", cor_approval_date=cor_date),
        "cor_approval_date",
        contains=message,
    )


def test_a7_approved_with_both_approvals_records_them_and_history_keeps_them(
    world, partner_request
):
    activity = _record_rpm_approval(world, partner_request)
    approved = _approve(
        world, activity, cor_name=" Dana Whitfield ", cor_approval_date=dt.date(2025, 1, 21)
    )
    stored = TAActivity.objects.get(pk=approved.pk)
    assert stored.status == ActivityStatus.APPROVED
    assert (stored.cor_name, stored.cor_approval_date) == ("Dana Whitfield", dt.date(2025, 1, 21))
    assert stored.approved_by == world.federal and stored.approved_at is not None
    assert (
        stored.requester_approver_role,
        stored.requester_approver_name,
        stored.requester_approval_date,
    ) == (RequesterApproverRole.RPM, "Renee Morales", dt.date(2025, 1, 13))
    # AU1: each step is a history row naming who did it.
    rows = list(stored.history.order_by("history_date", "history_id"))
    assert rows[-1].history_user == world.federal
    assert (rows[-1].cor_name, rows[-1].cor_approval_date) == (
        "Dana Whitfield",
        dt.date(2025, 1, 21),
    )
    assert rows[-2].history_user == world.primary
    assert rows[-2].requester_approver_name == "Renee Morales"
    assert rows[-2].requested_by_ccdf_administrator is False


def test_a7_requested_directly_needs_no_other_approval_only_the_cor(world):
    activity = create_activity(world, date_opened=OPENED)  # requested directly
    _final_plan(world, activity)
    approved = _approve(
        world, activity, cor_name="Dana Whitfield", cor_approval_date=dt.date(2025, 2, 3)
    )
    assert approved.status == ActivityStatus.APPROVED


def test_a7_approver_details_are_refused_when_requested_directly(world):
    assert_refused(
        lambda: create_activity(
            world, requester_approver_name="Renee Morales", requester_approval_date=today()
        ),
        "requester_approver_name",
        contains="Leave this blank",
    )


@pytest.mark.parametrize(
    ("approval_date", "message"),
    [
        (dt.date(2025, 1, 2), "before it was requested"),
        (None, "cannot be in the future"),
    ],
)
def test_a7_requester_approval_date_not_before_opened_nor_future(
    world, partner_request, approval_date, message
):
    approval_date = approval_date or today() + dt.timedelta(days=2)
    assert_refused(
        lambda: _record_rpm_approval(world, partner_request, requester_approval_date=approval_date),
        "requester_approval_date",
        contains=message,
    )


def test_a7_unknown_approver_role_is_a_field_error(world, partner_request):
    assert_refused(
        lambda: _record_rpm_approval(world, partner_request, requester_approver_role="governor"),
        "requester_approver_role",
    )


def test_a7_an_approved_activity_keeps_its_approval_on_record(world, partner_request):
    activity = _record_rpm_approval(world, partner_request)
    activity = _approve(world, activity, **cor_approval())
    assert_refused(
        lambda: services.activity_update(
            actor=world.primary,
            activity=activity,
            expected_version=activity.version,
            requester_approver_name="",
        ),
        "requester_approver_name",
    )
    assert_refused(
        lambda: services.activity_update(
            actor=world.primary,
            activity=activity,
            expected_version=activity.version,
            requested_by_ccdf_administrator=None,
        ),
        "requested_by_ccdf_administrator",
    )


def test_a7_records_entered_before_the_question_stay_not_recorded_until_approved(world):
    activity = create_activity(world, date_opened=OPENED)
    _final_plan(world, activity)
    TAActivity.objects.filter(pk=activity.pk).update(requested_by_ccdf_administrator=None)
    legacy = TAActivity.objects.get(pk=activity.pk)
    # Other edits still work: the answer is not invented, nor forced on unrelated edits.
    legacy = services.activity_update(
        actor=world.primary, activity=legacy, expected_version=legacy.version, priority="low"
    )
    assert legacy.requested_by_ccdf_administrator is None
    assert_refused(
        lambda: _approve(world, legacy, **cor_approval()),
        "requested_by_ccdf_administrator",
        contains="Before the activity can be marked approved",
    )


def test_a7_create_approved_needs_the_cor_approval_and_saves_nothing_without_it(world):
    before = row_counts()
    assert_refused(
        lambda: create_activity(world, status=ActivityStatus.APPROVED), "cor_approval_date"
    )
    assert row_counts() == before


# --- the pages --------------------------------------------------------------------------------


def test_a7_status_form_asks_for_the_cor_and_refuses_without_it(client, world, partner_request):
    sign_in(client, world.federal)
    page = client.get(reverse("activities:detail", args=[partner_request.pk]))
    html = page.content.decode()
    assert 'name="status-cor_name"' in html and 'name="status-cor_approval_date"' in html
    assert "Once the COR approves the activity" in html  # the guide, as help text (HL1)
    before = row_counts()
    response = client.post(
        reverse("activities:status", args=[partner_request.pk]),
        {"status-status": "approved", "status-version": partner_request.version},
    )
    assert response.status_code == 200
    assert form_errors(response, "status_form", "cor_name") == [services.messages.COR_NAME_REQUIRED]
    # The requester-side gap has no field on this form: it is shown at the top of it.
    assert services.messages.APPROVAL_NEEDS_APPROVER_ROLE in response.content.decode()
    assert row_counts() == before


def test_a7_edit_page_records_the_rpm_approval_then_status_page_approves(
    client, world, partner_request
):
    sign_in(client, world.primary)
    data = create_data(
        world,
        date_opened=OPENED.isoformat(),
        version=partner_request.version,
        requested_by_ccdf_administrator="no",
        requester_approver_role="rpm",
        requester_approver_name="Renee Morales",
        requester_approval_date="2025-01-13",
    )
    response = client.post(reverse("activities:edit", args=[partner_request.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    activity = TAActivity.objects.get(pk=partner_request.pk)
    assert activity.requester_approver_name == "Renee Morales"

    sign_in(client, world.federal)
    response = client.post(
        reverse("activities:status", args=[activity.pk]),
        {
            "status-status": "approved",
            "status-version": activity.version,
            "status-cor_name": "Dana Whitfield",
            "status-cor_approval_date": "01/21/2025",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Dana Whitfield, on 01/21/2025" in html
    assert "Renee Morales, Regional Program Manager (RPM), on 01/13/2025" in html
    assert "COR approval: <strong>Dana Whitfield</strong> on 01/21/2025" in html


def test_a7_create_page_requires_the_answer_and_keeps_odd_values_as_field_errors(client, world):
    sign_in(client, world.primary)
    before = row_counts()
    response = client.post(
        create_url(world), create_data(world, requested_by_ccdf_administrator="")
    )
    assert errors_of(response, "requested_by_ccdf_administrator") == [
        services.messages.REQUESTED_DIRECTLY_REQUIRED
    ]
    for field, value in [
        ("requested_by_ccdf_administrator", "maybe"),
        ("requester_approver_role", "governor"),
        ("requester_approval_date", "2025-02-30"),
        ("cor_approval_date", "soon"),
    ]:
        response = client.post(create_url(world), create_data(world, **{field: value}))
        assert response.status_code == 200 and errors_of(response, field), field
    assert row_counts() == before


# --- search and export (S1, S3) ---------------------------------------------------------------


@pytest.fixture
def approved_partner_request(world, partner_request) -> TAActivity:
    activity = _record_rpm_approval(world, partner_request)
    return _approve(
        world, activity, cor_name="Dana Whitfield", cor_approval_date=dt.date(2025, 1, 21)
    )


def _found(params: dict) -> set[int]:
    form = SearchForm(params)
    assert form.is_valid(), form.errors
    return set(activities_for_search(form.criteria()).values_list("pk", flat=True))


def test_s1_a7_approvals_are_searchable(world, approved_partner_request):
    direct = create_activity(world, date_opened=OPENED)
    legacy = create_activity(world, date_opened=OPENED)
    TAActivity.objects.filter(pk=legacy.pk).update(requested_by_ccdf_administrator=None)
    target = approved_partner_request.pk
    assert _found({"requested_directly": "no"}) == {target}
    assert _found({"requested_directly": "yes"}) == {direct.pk}
    assert _found({"requested_directly": "not_recorded"}) == {legacy.pk}
    assert _found({"cor_name": "whitf"}) == {target}
    assert _found({"cor_name": "Someone Else"}) == set()
    assert _found({"cor_approved_from": "2025-01-21", "cor_approved_to": "01/21/2025"}) == {target}
    assert _found({"cor_approved_from": "2025-01-22"}) == set()
    criteria = SearchCriteria(cor_approval_date=DateRange(dt.date(2025, 1, 1), None))
    assert set(activities_for_search(criteria).values_list("pk", flat=True)) == {target}


def test_s3_a7_export_has_the_approval_columns(client, world, approved_partner_request):
    sign_in(client, world.federal)
    response = client.get(reverse("search:export_csv"), {"requested_directly": "no"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == HEADINGS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Requested directly by the CCDF Administrator or staff"] == "No"
    assert row["Activity approved by (CCDF Administrator or RPM)"] == (
        "Regional Program Manager (RPM)"
    )
    assert row["Approver's name"] == "Renee Morales"
    assert row["Date approved by the CCDF Administrator or RPM"] == "2025-01-13"
    assert row["COR's name"] == "Dana Whitfield"
    assert row["COR approval date"] == "2025-01-21"


@pytest.mark.parametrize(
    "params",
    [
        {"requested_directly": "perhaps"},
        {"cor_name": "a\x00b"},
        {"cor_name": "x" * 400},
        {"cor_approved_from": "2025-13-01"},
        {"cor_approved_to": "yesterday"},
    ],
)
def test_s1_a7_odd_search_values_are_field_errors(client, world, params):
    sign_in(client, world.federal)
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    assert set(params) <= set(response.context["form"].errors)


@pytest.mark.parametrize("value", ["2025-02-30", "soon", "99999999999999999999"])
def test_a7_status_form_odd_cor_date_is_a_field_error(client, world, partner_request, value):
    sign_in(client, world.federal)
    before = row_counts()
    response = client.post(
        reverse("activities:status", args=[partner_request.pk]),
        {
            "status-status": "approved",
            "status-version": partner_request.version,
            "status-cor_name": "Dana Whitfield",
            "status-cor_approval_date": value,
        },
    )
    assert response.status_code == 200
    assert form_errors(response, "status_form", "cor_approval_date")
    assert 'id="id_status-cor_approval_date-error"' in response.content.decode()
    assert row_counts() == before

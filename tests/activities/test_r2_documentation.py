"""R2: documentation checks that flag, never block — the checks over real-looking notes
(including what must not be flagged), the live htmx check, the notice after saving, and
`findings_for_activity` for the R1 review page."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from activities import documentation as doc
from activities.models import DeliverySummary, TAActivity
from tests.activities import helpers
from tests.activities.helpers import sign_in, summary, url
from tests.factories import CenterFactory, RequesterFactory, UserFactory
from tests.factories_activities import add_summary, create_activity, make_trackable, today

activity = helpers.past_activity  # opened 60 days ago: past deliveries are allowed

CHECKS_URL = reverse("activities:documentation_checks")


def codes(findings: list[doc.Finding]) -> list[str]:
    return [finding.code for finding in findings]


@pytest.fixture
def names() -> doc.NameDirectory:
    """A directory as `NameLoader` builds it, without the database."""
    staff = set()
    for full_name in ("Amy Tran", "Will Ferris", "Martha Okafor", "Grace Lindqvist"):
        staff |= doc.name_keys(full_name)
    requesters = doc.name_keys("Dana Whitfield") | doc.name_keys("Robert Smith")
    return doc.NameDirectory(
        staff=frozenset(staff),
        requesters=frozenset(requesters),
        places=("Martha Holden Jennings Center for Early Learning", "Georgia", "Virginia"),
    )


def findings(kind: str, text: str, names: doc.NameDirectory, **extra) -> list[str]:
    return codes(doc.documentation_findings(kind=kind, text=text, names=names, **extra))


# --- names (every kind of note) ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["plan", "summary", "response", "feedback"])
def test_r2_note_naming_staff_member_is_flagged(kind: str, names) -> None:
    text = "10/02/24: Amy to provide a review of the State's payment policies."
    result = doc.documentation_findings(kind=kind, text=text, names=names)
    assert doc.NAMES_PERSON in codes(result)
    finding = next(f for f in result if f.code == doc.NAMES_PERSON)
    assert "“Amy” (staff directory)" in finding.message
    assert finding.best_practice == doc.GUIDE_NAMES
    assert "rather than “Amy to provide xyz.”" in finding.best_practice


def test_r2_requester_last_name_case_insensitive_whole_word(names) -> None:
    text = "SCBC sent the QRIS crosswalk to WHITFIELD after the call."
    assert doc.NAMES_PERSON in findings("response", text, names)
    # not a whole word
    assert doc.NAMES_PERSON not in findings("response", "Smithsonian resources shared.", names)


def test_r2_possessive_and_hyphenated_names_are_found(names) -> None:
    assert doc.NAMES_PERSON in findings("response", "Reviewed Okafor's draft.", names)
    assert doc.NAMES_PERSON in findings("response", "Tran-Nguyen joined the call.", names)


def test_r2_center_whose_name_contains_a_first_name_is_not_flagged(names) -> None:
    text = (
        "The Martha Holden Jennings Center for Early Learning co-facilitated the webinar with SCBC."
    )
    assert findings("response", text, names) == []


def test_r2_will_county_and_the_verb_will_are_not_names(names) -> None:
    text = "SCBC provided onsite TA to Will County child care resource and referral staff."
    assert findings("summary", text, names) == []
    assert doc.NAMES_PERSON not in findings("response", "SCBC will share the toolkit.", names)
    # but the person is found when named as one
    assert doc.NAMES_PERSON in findings("response", "Met with Will to plan the agenda.", names)


def test_r2_requester_name_inside_email_address_is_not_flagged(names) -> None:
    text = "SCBC answered the questions sent by dana.whitfield@decal.ga.gov on 10/02/24."
    assert doc.NAMES_PERSON not in findings("response", text, names)
    url_text = "Shared https://childcareta.acf.hhs.gov/amy-tran-webinar with the State."
    assert doc.NAMES_PERSON not in findings("response", url_text, names)


def test_r2_state_name_that_is_a_first_name_is_a_place(names) -> None:
    names = doc.NameDirectory(
        staff=frozenset({"virginia"}), requesters=frozenset(), places=("Virginia",)
    )
    assert findings("response", "SCBC met with Virginia's CCDF team.", names) == []


def test_r2_feedback_giver_is_expected_in_feedback(names) -> None:
    text = "Dana Whitfield said the cost-modeling session answered the State's questions."
    kwargs = {"giver_name": "Dana Whitfield", "giver_title": "CCDF Administrator"}
    assert findings("feedback", text, names, **kwargs) == []


def test_r2_short_names_are_skipped() -> None:
    names = doc.NameDirectory(staff=frozenset(doc.name_keys("Al Bo")), requesters=frozenset())
    assert names.staff == frozenset()


def test_r2_name_keys_first_and_last() -> None:
    assert doc.name_keys("Dr. Amy Lynn Smith-Jones, PhD") == {"amy", "smith-jones"}
    assert doc.name_keys("Requester 12") == set()  # test fixtures' names are no names


# --- summaries: one or two sentences ---------------------------------------------------------


def test_r2_summary_over_two_sentences_is_flagged(names) -> None:
    text = (
        "10/02/24: State received remote consultation on QRIS standards. SCBC reviewed the "
        "draft. The State adopted two changes."
    )
    result = doc.documentation_findings(kind="summary", text=text, names=names)
    assert codes(result) == [doc.SUMMARY_TOO_LONG]
    assert "3 sentences" in result[0].message
    assert "brief summary (one or two sentences)" in result[0].best_practice


def test_r2_abbreviations_do_not_end_sentences(names) -> None:
    text = (
        "10/02/24: Dr. Smith's team at the U.S. Department of Health and Human Services, "
        "i.e. the St. Louis office, received 3.5 hours of remote TA, e.g. a review of No. 4 "
        "of the standards, etc., and a call with Mr. J. Doe. Follow-up remote consultation "
        "was provided by SCBC on 10/09/24."
    )
    assert doc.sentence_count(text) == 2
    assert doc.SUMMARY_TOO_LONG not in findings("summary", text, names)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("State received a TA memo", 1),
        ("State received a TA memo. State adopted it!", 2),
        ("J. R. Ewing Center sent materials. Done? Yes.", 3),
        ("Remote TA was provided (see memo). The State adopted it.", 2),
    ],
)
def test_r2_sentence_count(text: str, count: int) -> None:
    assert doc.sentence_count(text) == count


def test_r2_guide_examples_pass_every_check(names) -> None:
    examples = [
        "MM/DD/YY: State X participated in a peer-to-peer call with States Y and Z to discuss "
        "CCR&R agency restructuring efforts. Follow-up remote consultation was provided by "
        "Center A in collaboration with Center B on MM/DD/YY.",
        "MM/DD/YY: Territory X received a two-day onsite visit focused on strategic planning "
        "for the roll-out of its QRIS system, scheduled for May 20XX.",
        "MM/DD/YY: State received one TA memo, (TITLE), and two information products (TITLE, "
        "TITLE). State has incorporated the information in these documents into its revised "
        "policy.",
    ]
    for text in examples:
        assert findings("summary", text, names, delivery_methods=[1], ta_types=[1]) == [], text


# --- summaries: future plans -------------------------------------------------------------------


def test_r2_summary_speaking_of_future_plans_is_flagged(names) -> None:
    text = (
        "SCBC will facilitate the upcoming workgroup next month; the State plans to adopt "
        "the standards and intends to hold a planning meeting."
    )
    result = doc.documentation_findings(kind="summary", text=text, names=names)
    assert codes(result) == [doc.SUMMARY_FUTURE]
    for phrase in ("will", "upcoming", "next month", "plans to", "intends to"):
        assert f"“{phrase}”" in result[0].message
    assert result[0].best_practice == doc.GUIDE_FUTURE


@pytest.mark.parametrize(
    "text",
    [
        "A webinar is scheduled for 11/14 with the licensing unit.",
        "The State is going to publish the revised rules.",
        "Next steps were agreed with the CCDF Administrator.",
        "SCBC and the State began planning the spring institute.",
        "Training sessions are planned across the five regions.",
    ],
)
def test_r2_other_future_wordings_are_flagged(text: str, names) -> None:
    assert doc.SUMMARY_FUTURE in findings("summary", text, names)


@pytest.mark.parametrize(
    "text",
    [
        "SCBC provided onsite TA to Will County licensing staff.",
        "SCBC reviewed the State's Plan with the Lead Agency.",
        "SCBC reviewed the CCDF State Plan to be submitted with the Lead Agency.",
        "SCBC reviewed the State's plan to expand QRIS.",
        "The planned webinar on QRIS standards was delivered as planned.",
        "SCBC facilitated a strategic planning session for the QRIS workgroup.",
        "The State received guidance on its willingness-to-pay survey.",
    ],
)
def test_r2_not_future_plans(text: str, names) -> None:
    assert doc.SUMMARY_FUTURE not in findings("summary", text, names)


# --- summaries: delivery methods and TA types; feedback giver -------------------------------


def test_r2_summary_without_methods_or_types(names) -> None:
    text = "State received remote consultation on QRIS standards."
    result = doc.documentation_findings(
        kind="summary", text=text, names=names, delivery_methods=[], ta_types=[]
    )
    assert codes(result) == [doc.SUMMARY_NO_METHODS, doc.SUMMARY_NO_TYPES]
    assert result[0].best_practice == doc.GUIDE_METHODS
    assert findings("summary", text, names, delivery_methods=["3"], ta_types=["1"]) == []
    assert findings("summary", text, names) == []  # not known: not checked


def test_r2_feedback_without_giver_name_and_title(names) -> None:
    text = "The webinar answered the State's questions."
    result = doc.documentation_findings(
        kind="feedback", text=text, names=names, giver_name="", giver_title=" "
    )
    assert codes(result) == [doc.FEEDBACK_NO_GIVER_NAME, doc.FEEDBACK_NO_GIVER_TITLE]
    assert "full name and title or role" in result[0].best_practice
    short = findings("feedback", text, names, giver_name="Dana", giver_title="Administrator")
    assert short == [doc.FEEDBACK_GIVER_NOT_FULL_NAME]


def test_r2_only_summaries_get_summary_checks(names) -> None:
    text = "SCBC will send the memo. It covers QRIS. It covers ratios. It covers fees."
    assert findings("response", text, names) == []
    assert findings("plan", text, names) == []


def test_r2_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no documentation checks"):
        doc.documentation_findings(kind="memo", text="x")


@pytest.mark.parametrize("text", ["", "\x00" * 10, "a" * 10_000, "Amy. " * 5_000, "é—“”\u200b"])
def test_r2_odd_text_never_fails(text: str, names) -> None:
    for kind in doc.KINDS:
        doc.documentation_findings(
            kind=kind, text=text, names=names, delivery_methods=[], giver_name=text
        )


# --- the names loader -------------------------------------------------------------------------


def test_r2_loader_reads_staff_requesters_and_places(world, activity) -> None:
    UserFactory(full_name="Imani Okonkwo")
    UserFactory(full_name="Gone Person", is_active=False)
    RequesterFactory(name="Dana Whitfield", jurisdiction=world.jurisdiction)
    RequesterFactory(name="Rosa Region", jurisdiction=None, region=world.region)
    RequesterFactory(name="Far Away", jurisdiction=world.faraway)
    loader = doc.NameLoader()
    with CaptureQueriesContext(connection) as queries:
        directory = loader.for_jurisdiction(world.jurisdiction)
        loader.for_jurisdiction(world.jurisdiction)
    assert len(queries) == 3  # staff, places, requesters — once
    assert {"imani", "okonkwo"} <= directory.staff
    assert "gone" not in directory.staff
    assert {"dana", "whitfield", "rosa"} <= directory.requesters
    assert "far" not in directory.requesters
    assert "Georgia" in directory.places
    assert "State Capacity Building Center" in directory.places


def _letters(n: int) -> str:
    """A distinct letters-only suffix per number (names have no digits)."""
    return "".join(chr(97 + (n // 26**k) % 26) for k in range(3))


def test_r2_loader_time_with_2000_users(db) -> None:
    center = CenterFactory(code="BULK")
    User.objects.bulk_create(
        User(
            email=f"bulk{n}@example.org",
            full_name=f"Ann{_letters(n)} Lee{_letters(n)}",
            center=center,
        )
        for n in range(2000)
    )
    started = time.perf_counter()
    directory = doc.NameLoader().for_jurisdiction(None)
    elapsed = time.perf_counter() - started
    assert len(directory.staff) >= 4000
    print(f"R2 names of 2,000 users: {elapsed * 1000:.1f} ms")
    assert elapsed < 0.5, elapsed
    started = time.perf_counter()
    doc.documentation_findings(kind="summary", text="SCBC provided TA. " * 500, names=directory)
    assert time.perf_counter() - started < 0.5


# --- the live check (htmx) --------------------------------------------------------------------


def test_r2_live_check_returns_findings(client, world, activity) -> None:
    RequesterFactory(name="Dana Whitfield", jurisdiction=world.jurisdiction)
    sign_in(client, world.primary)
    response = client.post(
        CHECKS_URL,
        {
            "kind": "summary",
            "prefix": "summary",
            "activity": activity.pk,
            "summary-text": "Whitfield will receive the memo next week. One. Two.",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["activities/_doc_findings.html"]
    body = response.content.decode()
    for code in (doc.NAMES_PERSON, doc.SUMMARY_TOO_LONG, doc.SUMMARY_FUTURE):
        assert f'data-code="{code}"' in body
    assert 'data-code="summary-no-delivery-methods"' in body  # no box ticked
    assert "brief summary (one or two sentences)" in body


def test_r2_live_check_clean_text_renders_nothing(client, world, activity) -> None:
    sign_in(client, world.primary)
    response = client.post(
        CHECKS_URL,
        {
            "kind": "response",
            "prefix": "response",
            "activity": activity.pk,
            "response-text": "SCBC shared the QRIS crosswalk with the Lead Agency.",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_r2_live_check_feedback_fields_without_prefix(client, world, activity) -> None:
    sign_in(client, world.primary)
    response = client.post(
        CHECKS_URL, {"kind": "feedback", "text": "Useful.", "giver_name": "", "giver_title": ""}
    )
    assert 'data-code="feedback-no-giver-name"' in response.content.decode()


def test_r2_live_check_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.post(CHECKS_URL, {"kind": "summary", "text": "x"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    htmx = client.post(CHECKS_URL, {"kind": "summary"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and "HX-Redirect" in htmx


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"kind": "memo", "text": "x"}, 400, "Unknown kind of note"),
        ({"text": "x"}, 400, "Unknown kind of note"),
        ({"kind": "summary", "prefix": "a b<"}, 400, "prefix"),
        ({"kind": "summary", "activity": "abc"}, 400, "record number"),
        ({"kind": "summary", "activity": "99999999"}, 404, ""),
    ],
)
def test_r2_live_check_bad_input(client, world, data, status, says) -> None:
    sign_in(client, world.primary)
    response = client.post(CHECKS_URL, data)
    assert response.status_code == status
    assert says in response.content.decode()


@pytest.mark.parametrize("text", ["", "a" * 10_000, "SCBC\x00 provided TA.\x00", "Amy " * 3000])
def test_r2_live_check_odd_text_never_500(client, world, activity, text) -> None:
    sign_in(client, world.primary)
    for kind in sorted(doc.KINDS):
        response = client.post(CHECKS_URL, {"kind": kind, "activity": activity.pk, "text": text})
        assert response.status_code == 200


def test_r2_live_check_get_is_refused(client, world) -> None:
    sign_in(client, world.primary)
    assert client.get(CHECKS_URL).status_code == 405


def test_r2_live_check_query_count_is_fixed(client, world, activity) -> None:
    sign_in(client, world.primary)
    data = {"kind": "summary", "activity": activity.pk, "text": "SCBC will send it."}
    client.post(CHECKS_URL, data)
    with CaptureQueriesContext(connection) as before:
        client.post(CHECKS_URL, data)
    UserFactory.create_batch(20)
    RequesterFactory.create_batch(5, jurisdiction=world.jurisdiction)
    with CaptureQueriesContext(connection) as after:
        client.post(CHECKS_URL, data)
    assert len(after) == len(before)


# --- the pages: the fields carry the live check; saving a flagged note saves it ---------------


def test_r2_note_fields_carry_the_live_check(client, world, activity) -> None:
    make_trackable(world, activity)
    sign_in(client, world.primary)
    page = client.get(url("tracking", activity)).content.decode()
    assert f'hx-post="{CHECKS_URL}"' in page
    assert 'hx-trigger="blur, keyup changed delay:800ms, change from:closest form"' in page
    assert 'hx-target="#id_summary-text-findings"' in page
    assert 'id="id_summary-text-findings" aria-live="polite"' in page
    assert 'id="id_feedback-text-findings" aria-live="polite"' in page
    assert f"hx-vals='{{\"activity\": {activity.pk}}}'" in page
    details = client.get(url("detail", activity)).content.decode()
    assert 'id="id_plan-text-findings" aria-live="polite"' in details
    notes = client.get(url("response_notes", activity)).content.decode()
    assert 'id="id_response-text-findings" aria-live="polite"' in notes
    assert "js/doc_checks" in notes


def test_r2_saving_flagged_summary_saves_and_shows_findings(client, world, activity) -> None:
    make_trackable(world, activity)
    sign_in(client, world.primary)
    text = (
        "Cole provided remote TA on QRIS standards. SCBC will follow up next month. The "
        "State reviewed the draft. The State adopted it."
    )
    response = client.post(
        url("summary_add", activity), summary(today() - dt.timedelta(days=1), text), follow=True
    )
    assert response.status_code == 200
    saved = DeliverySummary.objects.get(activity=activity)
    assert saved.text == text
    page = response.content.decode()
    assert "The summary of TA delivered was saved. The documentation checks (R2)" in page
    assert "Names a person: “Cole” (staff directory)" in page
    assert "The summary has 4 sentences" in page
    assert "“will”" in page and "“next month”" in page
    assert "No TA delivery method is selected." in page
    assert "<q>" in page  # the guide's words, quoted


def test_r2_saving_clean_summary_shows_no_findings(client, world, activity) -> None:
    make_trackable(world, activity)
    sign_in(client, world.primary)
    data = summary(
        today() - dt.timedelta(days=1),
        "State received remote consultation on QRIS standards.",
        **{"summary-delivery_methods": [world.method.pk], "summary-ta_types": [world.ta_type.pk]},
    )
    page = client.post(url("summary_add", activity), data, follow=True).content.decode()
    assert "documentation checks (R2)" not in page


def test_r2_response_note_htmx_save_shows_findings(client, world, activity) -> None:
    sign_in(client, world.primary)
    response = client.post(
        url("response_note_add", activity),
        {"response-text": "Cole Collaborator sent the memo."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert activity.response_notes.count() == 1
    assert "Names a person: “Cole” (staff directory)" in response.content.decode()


def test_r2_plan_note_save_shows_findings(client, world, activity) -> None:
    sign_in(client, world.primary)
    response = client.post(
        url("description_note_add", activity),
        helpers.plan("initial", "Sam Specialist to provide a review of payment policies."),
        follow=True,
    )
    assert activity.description_notes.filter(text__startswith="Sam").exists()
    assert "Names a person: “Sam” (staff directory)" in response.content.decode()


# --- findings_for_activity (the R1 review page) ----------------------------------------------


def test_r2_findings_for_activity_of_a_month(world, activity) -> None:
    make_trackable(world, activity)
    first = today().replace(day=1)
    add_summary(world, activity, delivery_date=first, text="Cole will send it next week.")
    add_summary(world, activity, delivery_date=first, text="State received remote TA.")
    from activities import services

    services.response_note_add(
        actor=world.primary, activity=activity, text="Cole sent the memo.", note_date=first
    )
    activities = list(
        TAActivity.objects.filter(pk=activity.pk)
        .select_related("jurisdiction")
        .prefetch_related(*doc.FINDINGS_PREFETCH)
    )
    loader = doc.NameLoader()
    loader.preload([a.jurisdiction for a in activities])
    loader.for_jurisdiction(activities[0].jurisdiction)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        result = doc.findings_for_activity(
            activities[0], month_start=first, month_end=last, names=loader
        )
    assert len(queries) == 0
    by_kind = {(item.kind, item.note.text): codes(list(item.findings)) for item in result}
    assert by_kind[("summary", "Cole will send it next week.")] == [
        doc.NAMES_PERSON,
        doc.SUMMARY_FUTURE,
    ]
    assert ("summary", "State received remote TA.") not in by_kind
    assert by_kind[("response", "Cole sent the memo.")] == [doc.NAMES_PERSON]
    # another month: nothing of this one
    earlier = first - dt.timedelta(days=400)
    assert (
        doc.findings_for_activity(
            activities[0],
            month_start=earlier,
            month_end=earlier + dt.timedelta(days=27),
            names=loader,
        )
        == []
    )


def test_r2_findings_for_activity_without_loader(world) -> None:
    activity = create_activity(world)
    assert (
        doc.findings_for_activity(activity, month_start=today().replace(day=1), month_end=today())
        == []
    )

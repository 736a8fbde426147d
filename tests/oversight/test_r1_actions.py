"""R1 actions: mark reviewed and undo, send back and address — the services, the
permission ladder of every action, the htmx row swap and the whole send-back round trip
(SSS → staff home and record → reply → SSS), all in the record's history (AU1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Notification, StatusChange
from oversight import services
from oversight.models import ReviewMark, SendBack
from tests.factories import SSSFactory
from tests.factories_activities import World
from tests.oversight.conftest import NOVEMBER

pytestmark = pytest.mark.django_db


def _send_back(world: World, activity, **overrides) -> SendBack:
    kwargs = {
        "actor": world.sss,
        "activity": activity,
        "month": NOVEMBER,
        "comment": "The summary names a person; name the role instead.",
        "about": SendBack.About.SUMMARY,
    }
    kwargs.update(overrides)
    return services.send_back_create(**kwargs)


# --- services --------------------------------------------------------------------------------


def test_r1_mark_and_unmark_keep_history(world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    mark = services.review_mark(actor=world.sss, activity=activity, month=dt.date(2026, 11, 17))
    assert mark.month == NOVEMBER and mark.reviewed_by == world.sss
    # Marking twice keeps the one mark.
    assert services.review_mark(actor=world.sss, activity=activity, month=NOVEMBER) == mark
    assert ReviewMark.objects.count() == 1
    assert services.review_unmark(actor=world.sss, activity=activity, month=NOVEMBER)
    assert not services.review_unmark(actor=world.sss, activity=activity, month=NOVEMBER)
    actions = list(ReviewMark.history.order_by("history_date").values_list("history_type", flat=1))
    assert actions == ["+", "-"]
    assert ReviewMark.history.first().history_user == world.sss


def test_r1_month_in_the_future_is_refused(world: World, reviewed_state) -> None:
    with pytest.raises(ValidationError) as info:
        services.review_mark(
            actor=world.sss, activity=reviewed_state["late"], month=dt.date(2099, 1, 1)
        )
    assert "month" in info.value.message_dict


@pytest.mark.parametrize("persona", ["other_staff", "collaborator", "federal", "other_lead"])
def test_r1_who_may_not_mark(world: World, reviewed_state, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.review_mark(
            actor=getattr(world, persona), activity=reviewed_state["late"], month=NOVEMBER
        )


def test_r1_sss_of_another_state_may_not_mark_or_send_back(world: World, reviewed_state) -> None:
    other = SSSFactory(jurisdictions=[world.neighbour])
    with pytest.raises(PermissionDenied):
        services.review_mark(actor=other, activity=reviewed_state["late"], month=NOVEMBER)
    with pytest.raises(PermissionDenied):
        _send_back(world, reviewed_state["late"], actor=other)


@pytest.mark.parametrize("persona", ["sss", "lead", "admin"])
def test_r1_who_may_mark(world: World, reviewed_state, persona: str) -> None:
    services.review_mark(
        actor=getattr(world, persona), activity=reviewed_state["late"], month=NOVEMBER
    )


def test_r1_center_lead_and_federal_viewer_may_not_send_back(world: World, reviewed_state) -> None:
    for persona in ("lead", "federal", "primary"):
        with pytest.raises(PermissionDenied):
            _send_back(world, reviewed_state["late"], actor=getattr(world, persona))


def test_r1_send_back_needs_a_comment_and_a_part(world: World, reviewed_state) -> None:
    with pytest.raises(ValidationError) as info:
        _send_back(world, reviewed_state["late"], comment="  ", about="nonsense")
    assert {"comment", "about"} <= set(info.value.message_dict)
    assert SendBack.objects.count() == 0


def test_r1_send_back_notifies_and_address_notifies_back(world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    item = _send_back(world, activity)
    notice = Notification.objects.get(recipient=world.primary)
    assert activity.record_number in notice.message
    assert notice.link == f"/activities/{activity.pk}/tracking/"
    with pytest.raises(PermissionDenied):
        services.send_back_address(actor=world.other_staff, send_back=item, reply="")
    services.send_back_address(actor=world.primary, send_back=item, reply="Fixed it.")
    item.refresh_from_db()
    assert item.status == SendBack.Status.ADDRESSED
    assert (item.addressed_by, item.reply) == (world.primary, "Fixed it.")
    assert Notification.objects.filter(recipient=world.sss, message__contains="Fixed it.").exists()
    change = StatusChange.objects.get(
        content_type__model="sendback", object_id=item.pk, field="status"
    )
    assert (change.from_value, change.to_value, change.actor) == (
        "open",
        "addressed",
        world.primary,
    )
    with pytest.raises(ValidationError):
        services.send_back_address(actor=world.primary, send_back=item)


def test_r1_collaborating_staff_may_address(world: World, reviewed_state) -> None:
    item = _send_back(world, reviewed_state["late"])
    services.send_back_address(actor=world.collaborator, send_back=item)


# --- pages -----------------------------------------------------------------------------------


def test_r1_mark_by_plain_post_and_by_htmx(client, world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    client.force_login(world.sss)
    url = f"/review/{activity.pk}/mark/"
    response = client.post(url, {"month": "2026-11", "next": "/review/?month=2026-11"})
    assert response.status_code == 302 and response["Location"] == "/review/?month=2026-11"
    assert ReviewMark.objects.filter(activity=activity, month=NOVEMBER).exists()
    response = client.post(
        f"/review/{activity.pk}/unmark/",
        {"month": "2026-11", "next": "/review/?month=2026-11"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="review-row-{activity.pk}"' in html
    assert "Mark reviewed" in html
    assert 'id="review-progress"' in html and "0 of 3 reviewed" in html
    assert not ReviewMark.objects.exists()


def test_r1_next_outside_the_site_is_ignored(client, world: World, reviewed_state) -> None:
    client.force_login(world.sss)
    response = client.post(
        f"/review/{reviewed_state['late'].pk}/mark/",
        {"month": "2026-11", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/review/")


def test_r1_bad_posted_month_is_explained(client, world: World, reviewed_state) -> None:
    client.force_login(world.sss)
    response = client.post(
        f"/review/{reviewed_state['late'].pk}/mark/", {"month": "2026-13"}, follow=True
    )
    assert response.status_code == 200
    assert "Month: Enter the month as YYYY-MM" in response.content.decode()
    assert not ReviewMark.objects.exists()


@pytest.mark.parametrize(
    ("persona", "mark", "send_back"),
    [
        ("other_staff", 403, 403),
        ("federal", 403, 403),
        ("lead", 302, 403),
        ("sss", 302, 302),
        ("admin", 302, 302),
    ],
)
def test_r1_permission_ladder_of_the_actions(
    client, world: World, reviewed_state, persona: str, mark: int, send_back: int
) -> None:
    activity = reviewed_state["late"]
    client.force_login(getattr(world, persona))
    data = {"month": "2026-11"}
    assert client.post(f"/review/{activity.pk}/mark/", data).status_code == mark
    data.update({f"sb{activity.pk}-about": "summary", f"sb{activity.pk}-comment": "Fix it."})
    assert client.post(f"/review/{activity.pk}/send-back/", data).status_code == send_back


def test_r1_actions_refuse_anonymous_and_get(client, world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    response = client.post(f"/review/{activity.pk}/mark/", {"month": "2026-11"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.sss)
    assert client.get(f"/review/{activity.pk}/mark/").status_code == 405
    assert client.get("/review/999999/send-back/?month=2026-11").status_code == 404


def test_r1_send_back_errors_stay_on_the_form(client, world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    client.force_login(world.sss)
    response = client.post(f"/review/{activity.pk}/send-back/", {"month": "2026-11"})
    assert response.status_code == 400
    assert {"about", "comment"} <= set(response.context["form"].errors)
    response = client.post(
        f"/review/{activity.pk}/send-back/", {"month": "2026-11"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # htmx swaps the row with its errors
    assert "usa-error-message" in response.content.decode()
    assert not SendBack.objects.exists()


def test_r1_send_back_round_trip(client, world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    # The SSS sends it back from the review page (htmx).
    client.force_login(world.sss)
    response = client.post(
        f"/review/{activity.pk}/send-back/",
        {
            "month": "2026-11",
            "next": "/review/?month=2026-11",
            f"sb{activity.pk}-about": "summary",
            f"sb{activity.pk}-comment": "Say which delivery method was used.",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Sent back" in response.content.decode()
    item = SendBack.objects.get()

    # The primary staff sees it on the home page and on the Tracking tab, not on Details.
    client.force_login(world.primary)
    home = client.get("/").content.decode()
    assert "Sent back to you" in home and "Say which delivery method was used." in home
    tracking = client.get(f"/activities/{activity.pk}/tracking/").content.decode()
    assert "Say which delivery method was used." in tracking and "Mark addressed" in tracking
    details = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "see the Tracking tab" in details

    # They address it with a reply.
    response = client.post(
        f"/review/send-backs/{item.pk}/address/",
        {f"reply{item.pk}-reply": "Added: remote/virtual.", "next": "/?x"},
    )
    assert response.status_code == 302 and response["Location"] == "/?x"
    assert "Sent back to you" not in client.get("/").content.decode()
    tracking = client.get(f"/activities/{activity.pk}/tracking/").content.decode()
    assert "Mark addressed" not in tracking

    # The SSS sees it addressed on the review page, with the reply.
    client.force_login(world.sss)
    page = client.get("/review/", {"month": "2026-11"}).content.decode()
    assert "Addressed" in page and "Added: remote/virtual." in page

    # Everything is in the record's history (AU1).
    history = client.get(f"/activities/{activity.pk}/history/")
    kinds = {entry.object_type for entry in history.context["entries"]}
    assert {"Send-back"} <= kinds
    assert "Added: remote/virtual." in history.content.decode()


def test_r1_review_mark_in_the_record_history(client, world: World, reviewed_state) -> None:
    activity = reviewed_state["late"]
    services.review_mark(actor=world.sss, activity=activity, month=NOVEMBER)
    client.force_login(world.primary)
    history = client.get(f"/activities/{activity.pk}/history/")
    assert "Review mark" in {entry.object_type for entry in history.context["entries"]}


def test_r1_sss_home_shows_review_progress(client, world: World, reviewed_state) -> None:
    services.review_mark(actor=world.sss, activity=reviewed_state["late"], month=NOVEMBER)
    client.force_login(world.sss)
    page = client.get("/").content.decode()
    assert "Monthly review" in page
    assert "/review/?month=2026-11" in page
    assert "1 of 3 reviewed" in page

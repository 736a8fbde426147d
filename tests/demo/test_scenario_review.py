"""R1 in the demo: the scenario's month has something to review, one activity marked
reviewed and one sent back (open), made through `oversight.services`."""

from __future__ import annotations

import pytest

from demo.people import ensure_demo_users
from demo.scenario import ScenarioLoader, read_scenario
from oversight.models import ReviewMark, SendBack
from oversight.selectors import ReviewFilters, review_progress


@pytest.mark.django_db
def test_r1_demo_has_a_month_to_review_and_a_send_back(settings, reference_data) -> None:
    settings.DEBUG = True
    ensure_demo_users()
    ScenarioLoader().run()
    reviews = read_scenario()["reviews"]
    assert ReviewMark.objects.count() == sum(r["action"] == "mark" for r in reviews)
    send_back = SendBack.objects.get()
    assert send_back.is_open
    assert send_back.activity.primary_staff.notifications.exists()
    assert not SendBack.history.filter(history_user__isnull=True).exists()
    progress = review_progress(user=send_back.sent_by, filters=ReviewFilters(send_back.month))
    assert progress.total >= 1

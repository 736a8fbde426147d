"""The dashboard's SQL queries do not grow with the data (issue #10, "Speed")."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories_activities import World
from tests.reports import dashboard_data as data
from tests.reports.dashboard_data import URL

pytestmark = pytest.mark.django_db

MAX_QUERIES = 22  # session, user, notifications badge, 7 counts, 4 reference lists, …


def count_queries(client, params: dict) -> int:
    client.get(URL, params)  # the first request of a session also saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"map": "late"}, {"region": "REGION"}, {"format": "csv", "chart": "on-time-rate"}],
)
def test_queries_are_constant_in_data_size(
    client, world: World, django_assert_max_num_queries, params
) -> None:
    params = {k: (world.region.pk if v == "REGION" else v) for k, v in params.items()}
    client.force_login(world.federal)
    data.build(world, size=1)
    small = count_queries(client, params)
    data.build(world, size=3)
    assert count_queries(client, params) == small
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(URL, params)

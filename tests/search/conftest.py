"""Fixtures of the search tests: here `world` is the searchable data set of
tests/search/helpers.py (several States, regions, centers and notes), not the root
conftest's activities world."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.search.helpers import SearchWorld, build_search_world


@pytest.fixture
def world(db: None) -> SearchWorld:
    return build_search_world()


@pytest.fixture
def reader_client(client: Client, world: SearchWorld) -> Client:
    """The test client signed in as the world's federal reader."""
    client.force_login(world.reader)
    return client

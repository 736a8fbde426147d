from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def reference_data(db):
    """The real reference lists from the shipped data file."""
    call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with empty in-process caches (a rolled-back test leaves no trace)."""
    from core.context_processors import clear_jurisdiction_cache

    clear_jurisdiction_cache()
    yield
    clear_jurisdiction_cache()

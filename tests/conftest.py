from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def reference_data(db):
    """The real reference lists from the shipped data file."""
    call_command("load_reference_data", verbosity=0)

"""docs/api.md's example script (issue #11) scripts an activity's whole life with a token:
the very code block of the page runs here against a live server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from activities.models import CompletionStatus, TAActivity
from tests.api.conftest import token_for
from tests.factories_activities import build_world

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def example_script() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) == 1, "docs/api.md should hold exactly one Python example"
    return blocks[0]


@pytest.mark.django_db(transaction=True)
def test_docs_example_scripts_an_activitys_life(live_server, tmp_path):
    world = build_world()
    secret = token_for(world.primary)
    script = tmp_path / "example.py"
    script.write_text(example_script())
    env = {**os.environ, "TAT_URL": live_server.url, "TAT_TOKEN": secret, "TAT_STATE": "GA"}
    result = subprocess.run(  # noqa: S603 - our own script, our own interpreter
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    activity = TAActivity.objects.get()
    assert activity.completion_status == CompletionStatus.CLOSED
    assert activity.summaries.count() == 1 and activity.feedback.count() == 1
    assert result.stdout.strip().endswith("closed")

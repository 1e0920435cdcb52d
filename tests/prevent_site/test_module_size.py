"""Each module holds one job (issue 19): no hand-written Python module outside the tests and the
migrations runs much past 400 lines. One that grows past it is split by what it holds, as
training's models, admin and forms are packages of the offer, requests, sessions and feedback."""

import os
from pathlib import Path

from django.conf import settings

MOST_LINES = 420
# Folders of the project that hold no hand-written Python of its own.
NOT_OURS = {"tests", "migrations", "node_modules", "staticfiles", "media", "__pycache__"}


def hand_written_modules():
    found = []
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        # Not into the virtualenv, node_modules and the like: they are never ours.
        subfolders[:] = [name for name in subfolders if name not in NOT_OURS and name[0] != "."]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return found


def test_no_hand_written_module_runs_much_past_400_lines():
    modules = hand_written_modules()
    assert len(modules) > 100  # the project's own code was found
    too_long = {
        str(path.relative_to(settings.BASE_DIR)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MOST_LINES
    }
    assert too_long == {}

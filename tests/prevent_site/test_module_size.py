"""Each module holds one job (issue 19): no hand-written Python module outside the tests and the
migrations runs much past 400 lines. One that grows past it is split by what it holds, as
training's models, admin and forms are packages of the offer, requests, sessions and feedback."""

from django.conf import settings

MOST_LINES = 420
# Folders of the project that hold no hand-written Python of its own.
NOT_OURS = {"tests", "migrations", "node_modules", "staticfiles", "media", "__pycache__"}


def hand_written_modules():
    return [
        path
        for path in settings.BASE_DIR.rglob("*.py")
        if not NOT_OURS.intersection(path.relative_to(settings.BASE_DIR).parts)
        and not any(part.startswith(".") for part in path.relative_to(settings.BASE_DIR).parts)
    ]


def test_no_hand_written_module_runs_much_past_400_lines():
    modules = hand_written_modules()
    assert len(modules) > 100  # the project's own code was found
    too_long = {
        str(path.relative_to(settings.BASE_DIR)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MOST_LINES
    }
    assert too_long == {}

"""Dependencies run one way (DESIGN.md, "Which app may use which"): the building blocks
(blocks/), the outbox and alerts import no app, reports only the outbox, training only the
outbox and resources, newsletters those three; search may read every app; impact (the team's
figures) reads training, reports, newsletters and search. Nothing imports the project layer
(prevent_site/: settings, root URLs, site-wide pages), which alone may import every app.
Migrations follow suit."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

APPS = ["outbox", "alerts", "resources", "reports", "training", "newsletters", "search", "impact"]


def imported_apps(folder):
    found = set()
    for path in (settings.BASE_DIR / folder).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & {*APPS, "prevent_site"} - {folder}
    return found


@pytest.mark.parametrize(
    ("folder", "allowed"),
    [
        ("blocks", set()),
        ("outbox", set()),
        ("alerts", set()),
        ("resources", set()),
        ("reports", {"outbox"}),
        ("training", {"outbox", "resources"}),
        ("newsletters", {"outbox", "alerts", "resources", "training"}),
        ("search", {"outbox", "alerts", "resources", "reports", "training", "newsletters"}),
        ("impact", {"reports", "training", "newsletters", "search"}),
    ],
)
def test_each_app_imports_only_the_apps_below_it_and_never_the_project(folder, allowed):
    assert imported_apps(folder) <= allowed


def test_migrations_depend_only_on_apps_below_them():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    below = {
        "prevent_site": set(),
        "outbox": set(),
        "alerts": set(),
        "resources": set(),
        "reports": {"outbox", "prevent_site"},
        "training": {"outbox", "prevent_site", "resources"},
        "newsletters": {"outbox", "prevent_site", "resources", "training"},
        "impact": set(),
    }
    for (app, name), node in graph.node_map.items():
        if app not in below:
            continue
        project_parents = {parent.key[0] for parent in node.parents} & (
            set(APPS) | {"prevent_site"}
        )
        assert project_parents - {app} <= below[app], f"{app}.{name}"


def test_the_check_reads_real_files():
    assert (Path(settings.BASE_DIR) / "outbox" / "sending.py").exists()
    assert "outbox" in imported_apps("training")
    assert {"newsletters", "training"} <= imported_apps("prevent_site")

"""Dependencies run one way (DESIGN.md, "Which app may use which"): prevent_site's building blocks
and the outbox import no app, reports only the outbox, training only the outbox and resources,
newsletters those three; search may read every app. Migrations follow suit."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

APPS = ["outbox", "resources", "reports", "training", "newsletters", "search"]
# prevent_site's site-wide pages (the home page, the root URLs) read the apps' content; its
# settings name them. Everything else in it is a building block.
SITE_WIDE = {"views.py", "urls.py", "settings.py"}


def imported_apps(folder, skip=()):
    found = set()
    for path in (settings.BASE_DIR / folder).rglob("*.py"):
        if path.name in skip or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & set(APPS) - {folder}
    return found


@pytest.mark.parametrize(
    ("folder", "allowed", "skip"),
    [
        ("prevent_site", set(), SITE_WIDE),
        ("outbox", set(), ()),
        ("resources", set(), ()),
        ("reports", {"outbox"}, ()),
        ("training", {"outbox", "resources"}, ()),
        ("newsletters", {"outbox", "resources", "training"}, ()),
    ],
)
def test_each_app_imports_only_the_apps_below_it(folder, allowed, skip):
    assert imported_apps(folder, skip) <= allowed


def test_migrations_depend_only_on_apps_below_them():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    below = {
        "prevent_site": set(),
        "outbox": set(),
        "resources": set(),
        "reports": {"outbox", "prevent_site"},
        "training": {"outbox", "prevent_site", "resources"},
        "newsletters": {"outbox", "prevent_site", "resources", "training"},
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

"""scripts/check-lock: the files in requirements/ were made from pyproject.toml as it is now."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check-lock"


def check_lock(root):
    return subprocess.run(
        [sys.executable, str(CHECK), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def project(tmp_path):
    """A copy of pyproject.toml and requirements/ to change without touching the real ones."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_committed_lock_matches_pyproject():
    result = check_lock(ROOT)
    assert result.returncode == 0, result.stderr
    assert "requirements/test.txt" in result.stdout


@pytest.mark.parametrize(("name", "package"), [("base.txt", "django"), ("test.txt", "pytest")])
def test_every_locked_package_is_pinned_with_hashes(name, package):
    text = (ROOT / "requirements" / name).read_text()
    packages = re.findall(r"^[a-z0-9]", text, re.M)
    pinned = re.findall(r"^[a-z0-9][a-z0-9._-]*==[^\s;]+.*\\\n\s+--hash=sha256:", text, re.M)
    assert f"\n{package}==" in text
    assert len(packages) == len(pinned) > 20


def test_a_new_dependency_missing_from_the_lock_fails_with_its_name(project):
    edit(project / "pyproject.toml", '"nh3>=0.3,<0.4",', '"nh3>=0.3,<0.4",\n    "markdown>=3.7",')

    result = check_lock(project)

    assert result.returncode == 1
    assert "markdown" in result.stderr
    assert "not in requirements/base.txt" in result.stderr
    assert "make lock" in result.stderr


def test_a_range_the_locked_version_falls_outside_fails(project):
    edit(project / "pyproject.toml", '"Django>=6.1,<6.2"', '"Django>=6.2,<6.3"')

    result = check_lock(project)

    assert result.returncode == 1
    assert re.search(
        r"django==6\.1\.\d+ in requirements/base\.txt is outside Django>=6\.2,<6\.3",
        result.stderr,
        re.I,
    )


def test_a_dependency_removed_from_pyproject_but_still_locked_fails(project):
    edit(project / "pyproject.toml", '    "nh3>=0.3,<0.4",\n', "")

    result = check_lock(project)

    assert result.returncode == 1
    assert re.search(
        r"nh3 is locked .*requirements/base\.txt.* no longer in pyproject\.toml", result.stderr
    )


def test_a_new_extra_without_its_lock_file_fails(project):
    edit(project / "pyproject.toml", "test = [", 'docs = [\n    "mkdocs>=1.6",\n]\ntest = [')

    result = check_lock(project)

    assert result.returncode == 1
    assert "requirements/docs.txt is missing" in result.stderr


def test_any_other_change_to_the_dependency_lists_fails(project):
    # Still satisfied by every pin, but the lock was not made from it: make lock would
    # resolve it afresh (here the extra's own dependencies could change).
    edit(project / "pyproject.toml", '"psycopg[binary]>=3.2,<4"', '"psycopg[binary,pool]>=3.2,<4"')

    result = check_lock(project)

    assert result.returncode == 1
    assert "made from a different pyproject.toml" in result.stderr


def test_changes_outside_the_dependency_lists_are_ignored(project):
    edit(project / "pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')

    assert check_lock(project).returncode == 0

"""What the README tells a newcomer to type works as it says: another port, the worker on its
own, the staff groups and an account made by a script."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def shell_lines(text):
    """Every line of the README's ```sh blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def make_dry_run(*args):
    return subprocess.run(
        ["make", "--dry-run", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    "target, expected",
    [
        ("run", "manage.py runserver 127.0.0.1:8123"),
        ("serve", "Serving http://127.0.0.1:8123"),
    ],
)
def test_make_run_and_serve_take_another_port(target, expected):
    assert expected.replace("8123", "8000") in make_dry_run(target)
    assert expected in make_dry_run(target, "PORT=8123")
    assert f"make {target} PORT=" in README


def test_the_readme_says_how_to_restart_the_worker_alone():
    assert "DEBUG=true .venv/bin/python manage.py db_worker" in shell_lines(README)


def test_the_readme_names_the_staff_groups_and_invite_staff():
    for group in [
        "Content editors",
        "Training coordinators",
        "Report handlers",
        "Newsletter subscriber managers",
    ]:
        assert group in README, group
    assert any("manage.py invite_staff" in line for line in shell_lines(README))


def test_the_readmes_command_for_an_account_in_a_script_makes_one(tmp_path):
    [line] = [line for line in shell_lines(README) if "createsuperuser --noinput" in line]
    words = shlex.split(line)
    assignments = dict(w.split("=", 1) for w in words if re.match(r"^[A-Z_]+=", w))
    command = [w for w in words if not re.match(r"^[A-Z_]+=", w)]
    assert command[:2] == [".venv/bin/python", "manage.py"]
    assert {"DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_PASSWORD"} <= set(assignments)
    env = {
        **os.environ,
        **assignments,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, *command[2:]], cwd=ROOT, env=env, check=True, capture_output=True)
    check = (
        "from django.contrib.auth import get_user_model; import os; "
        "u = get_user_model().objects.get(username=os.environ['DJANGO_SUPERUSER_USERNAME']); "
        "assert u.is_superuser and u.check_password(os.environ['DJANGO_SUPERUSER_PASSWORD'])"
    )
    subprocess.run([*manage, "shell", "-c", check], cwd=ROOT, env=env, check=True)


def test_the_admin_guide_asks_the_team_to_confirm_the_childrens_services_address():
    address = "accesstochildrengservices@westminster.gov.uk"
    # Kept as the newsletter printed it until the council confirms it.
    assert address in (ROOT / "content/2023-07-vol2.yaml").read_text()
    guide = (ROOT / "docs/admin-guide.md").read_text()
    note = guide[guide.index("**To confirm with the council:**") :].split("\n\n")[0]
    assert address in note and "typo" in note

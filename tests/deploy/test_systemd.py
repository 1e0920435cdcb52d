"""deploy/systemd/: the units docs/deployment.md tells the council's IT team to install."""

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy/systemd"
PYTHON = "/srv/prevent/.venv/bin/python"


def unit(name):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string((UNITS / name).read_text())
    return parser


def scheduled_jobs_in_the_guide():
    guide = (ROOT / "docs/deployment.md").read_text()
    row = re.search(r"^\| Scheduled jobs \| (.+?) \|", guide, re.MULTILINE).group(1)
    return re.findall(r"`([a-z_]+)`", row)


def manage_py_command(service):
    command = shlex.split(unit(service)["Service"]["ExecStart"])
    assert command[:2] == [PYTHON, "manage.py"], service
    return command[2]


def test_every_scheduled_job_in_the_guide_has_a_oneshot_service_and_a_timer():
    jobs = scheduled_jobs_in_the_guide()
    assert "send_pending_emails" in jobs
    for job in jobs:
        name = "prevent-" + job.replace("_", "-")
        service = unit(f"{name}.service")
        assert service["Service"]["Type"] == "oneshot", name
        assert service["Service"]["EnvironmentFile"] == "/etc/prevent/env"
        assert manage_py_command(f"{name}.service") == job
        assert unit(f"{name}.timer")["Install"]["WantedBy"] == "timers.target"


def test_every_unit_runs_a_command_the_site_has():
    commands = get_commands()
    for path in UNITS.glob("*.service"):
        if path.name == "prevent.service":
            continue
        assert manage_py_command(path.name) in commands, path.name
    assert (UNITS / "prevent.service").read_text().count(
        "ExecStart=/srv/prevent/.venv/bin/gunicorn -c gunicorn.conf.py prevent_site.wsgi\n"
    ) == 1


def test_every_timer_has_its_service():
    timers = {path.stem for path in UNITS.glob("*.timer")}
    services = {path.stem for path in UNITS.glob("*.service")}
    assert timers and timers <= services
    assert services - timers == {"prevent", "prevent-worker"}


def test_the_email_worker_comes_back_after_a_database_outage():
    worker = unit("prevent-worker.service")["Service"]
    assert manage_py_command("prevent-worker.service") == "db_worker"
    assert worker["Restart"] == "always"
    assert worker["RestartSec"] == "5"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is missing")
def test_every_timer_schedule_is_one_systemd_understands():
    for path in UNITS.glob("*.timer"):
        calendar = unit(path.name)["Timer"]["OnCalendar"]
        result = subprocess.run(
            ["systemd-analyze", "calendar", calendar], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{path.name}: {result.stderr}"

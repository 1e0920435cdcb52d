import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic with the production storage, once for every test that needs its output
    (it compresses every file, which takes most of 20 s)."""
    root = tmp_path_factory.mktemp("static")
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "prevent_site.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return root

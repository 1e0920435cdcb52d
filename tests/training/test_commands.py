import subprocess
import sys
from pathlib import Path


def test_rate_limit_and_retention_are_read_from_the_environment():
    code = (
        "import prevent_site.settings as s;"
        "print(s.TRAINING_REQUEST_RATE_LIMIT, s.TRAINING_REQUEST_RETENTION_DAYS)"
    )
    env = {
        "SECRET_KEY": "test",
        "TRAINING_REQUEST_RATE_LIMIT": "12",
        "TRAINING_REQUEST_RETENTION_DAYS": "90",
        "PATH": "/usr/bin:/bin",
    }
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["12", "90"]

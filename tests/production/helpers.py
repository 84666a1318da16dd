"""Running manage.py (or a scenario script) in its own process against the test database, as a deployment
would: DATABASE_URL names the test database, and the media folder and audit anchor file are the test's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """DATABASE_URL of the test database (a file on SQLite), for another process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{quote(s['HOST'] or 'localhost', safe='')}:{s['PORT'] or 5432}/{s['NAME']}"


def deployment_env(var_dir: Path) -> dict[str, str]:
    """The environment of a manage.py run that sees what this test process sees."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "XINFANG_VAR_DIR": str(var_dir),
        "XINFANG_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "XINFANG_AUDIT_ANCHOR_FILE": str(settings.AUDIT_ANCHOR_FILE),
        "XINFANG_LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )

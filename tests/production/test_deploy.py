"""Production settings pass Django's deployment checks, and gunicorn + whitenoise serve the app and its
static files (what `make serve` runs)."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The variables docs/deploy.md tells a bureau to set (see its "环境变量" table).
PRODUCTION_ENV = {
    "XINFANG_SECRET_KEY": "k" * 20 + "production-secret-9Vq2LmX7pZr4Tw8Yb3Nc6Hd1Jf5Ks0",
    "XINFANG_ALLOWED_HOSTS": "xinfang.example.gov.cn",
    "XINFANG_CSRF_TRUSTED_ORIGINS": "https://xinfang.example.gov.cn",
    "XINFANG_SECURE_COOKIES": "1",
    "XINFANG_SSL_REDIRECT": "1",
    "XINFANG_BEHIND_PROXY": "1",
    "XINFANG_HSTS_SECONDS": "31536000",
    "XINFANG_HSTS_PRELOAD": "1",
    "XINFANG_STATIC_MANIFEST": "1",
    "XINFANG_CONN_MAX_AGE": "60",
}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # The environment of a real server: none of ours, and none the browser tests set for themselves.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("XINFANG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        PRODUCTION_ENV, XINFANG_VAR_DIR=str(tmp_path / "var"), XINFANG_STATIC_ROOT=str(tmp_path / "static")
    )
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    result = _manage(_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_them(settings):
    # In-process (no second interpreter): the development defaults are what production must not run with.
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SESSION_COOKIE_SECURE = settings.SECURE_HSTS_SECONDS = False
    with pytest.raises(SystemCheckError, match="security.W004"):
        call_command("check", deploy=True, fail_level="WARNING", stdout=io.StringIO(), stderr=io.StringIO())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SEARCHED_ID = "440111198001140412"


@pytest.mark.slow
def test_gunicorn_serves_pages_and_hashed_static_files_with_long_cache_lifetimes(tmp_path):
    env = _env(tmp_path, XINFANG_SSL_REDIRECT="0", XINFANG_ALLOWED_HOSTS="127.0.0.1")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"  # the login page reads no table
    done = _manage(env, "collectstatic", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "xinfang.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        page = _get(f"http://127.0.0.1:{port}/login/?q={SEARCHED_ID}")
        css = re.search(r'href="(/static/[^"]+\.css)"', page.read().decode()).group(1)
        assert re.search(r"\.[0-9a-f]{12}\.css$", css)  # hashed by the manifest storage
        static = _get(f"http://127.0.0.1:{port}{css}")
        assert static.status == 200 and "max-age=315360000" in static.headers["Cache-Control"]
    finally:
        server.terminate()
        access_log, _ = server.communicate(timeout=30)
    # gunicorn.conf.py: the access log has the path, never the query string (staff search by ID number).
    assert "GET /login/ HTTP/1.1" in access_log and SEARCHED_ID not in access_log


def _get(url: str):
    deadline = time.monotonic() + 60
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)

"""Playwright in Debian's headless Chromium, with a CJK font from a PyPI package.

Without Chromium the browser tests are skipped with a printed reason, unless
XINFANG_REQUIRE_BROWSER=1 (CI), which turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("XINFANG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _fontconfig_file() -> str:
    """A fontconfig file that adds the Noto CJK font shipped by the noto-cjk-sans-otc package."""
    import noto_cjk_sans_otc

    font_dir = Path(noto_cjk_sans_otc.__file__).parent
    tmp = Path(tempfile.mkdtemp(prefix="xf-fonts-"))
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{font_dir}</dir>"
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<cachedir>{tmp / 'cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    return str(conf)


@pytest.fixture(scope="session")
def _browser():
    if not Path(CHROMIUM).exists():
        reason = f"未找到 Chromium（{CHROMIUM}），跳过浏览器测试；安装 Debian 包 chromium 后可运行"
        if os.environ.get("XINFANG_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "（XINFANG_REQUIRE_BROWSER=1 要求必须运行）")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "FONTCONFIG_FILE": _fontconfig_file()}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser):
    context = _browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    # A script, handler or style the Content-Security-Policy refuses is a broken page: fail the test.
    refused = []
    pg.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield pg
    context.close()
    assert not refused, refused


@pytest.fixture
def login():
    def _login(pg, live_server, username: str, password: str) -> None:
        pg.goto(f"{live_server.url}/login/")
        pg.fill("#id_username", username)
        pg.fill("#id_password", password)
        pg.click("button[type=submit]")
        pg.wait_for_url(lambda url: "/login/" not in url)

    return _login


@pytest.fixture
def phone(_browser):
    """A 375 px phone (the portal and the desk pages must fit it without sideways scrolling)."""
    context = _browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()

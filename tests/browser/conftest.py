"""Headless Debian Chromium for the browser tests, through Playwright's sync API (never a downloaded browser).

`browser` is one Chromium per test; `browser_page` a page of it (downloads accepted). Helpers the tests share
(`orm`, `log_in`, `wait_idle`) are in `tests/browser/browsing.py`.
"""
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser):
    return browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)

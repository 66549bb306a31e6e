"""Headless Debian Chromium for the browser tests, through Playwright's sync API (never a downloaded browser).

`browser` is one Chromium per test; `browser_page` a page of it (downloads accepted). Helpers the tests share
(`orm`, `log_in`, `wait_idle`) are in `tests/browser/browsing.py`. When a test holding a Chromium fails, every page
it has open is saved as a full-page screenshot (`tests/browser/failure_screenshots.py`: BROWSER_SCREENSHOTS, or
tests/browser/screenshots/), and the report lists the files.
"""
import os

import pytest
from django.db import connections

from tests.browser.failure_screenshots import screenshot_failure

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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and "browser" in getattr(item, "funcargs", {}):
        screenshot_failure(item, report)  # before the fixtures' teardown closes the browser
        # The report shows the test's arguments: a model's str() may have queried, opening a connection here
        # that would keep PostgreSQL from dropping the test database (as `orm` in browsing.py explains).
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    return report

"""Headless Debian Chromium for the browser tests, through Playwright's sync API (never a downloaded browser).

`browser` is one Chromium per test; `browser_page` a page of it (downloads accepted). `demo` is the demo department
the browser tests share (tests/shared_demo.py: a small `make_demo`, built once per session, served by `demo.server`;
its modules are marked `shared_demo`). Helpers the tests share (`orm`, `log_in`, `wait_idle`) are in
`tests/browser/browsing.py`. When a test holding a Chromium fails, every page
it has open is saved as a full-page screenshot (`tests/browser/failure_screenshots.py`: BROWSER_SCREENSHOTS, or
tests/browser/screenshots/), and the report lists the files.
"""
import os
from types import SimpleNamespace

import pytest
from django.db import connections
from pytest_django.live_server_helper import LiveServer

from tests import shared_demo
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


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """A live server of the demo's own: pytest-django makes every test that uses `live_server` transactional, and
    flushes the database after it, demo included."""
    server = LiveServer("localhost")
    yield server
    server.stop()
    if shared_demo.state.committed:  # an empty database for a later run that would keep it (--reuse-db)
        with django_db_blocker.unblock():
            shared_demo.remove()


@pytest.fixture
def demo(request, demo_server, db):
    """The shared demo, built (committed) unless the database holds it; `server` serves it, `password` logs in.
    The test runs in a transaction (`db`) that the demo, committed on another connection, is no part of."""
    if request.node.get_closest_marker("shared_demo") is None:
        pytest.fail("demo: mark the module with pytest.mark.shared_demo (tests/shared_demo.py)")
    shared_demo.ensure()
    demo_server._live_server_modified_settings.enable()  # what pytest-django does for `live_server`
    yield SimpleNamespace(server=demo_server, password=shared_demo.PASSWORD, builds=shared_demo.state.builds)
    demo_server._live_server_modified_settings.disable()


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

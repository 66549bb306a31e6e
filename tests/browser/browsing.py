"""Helpers of the browser tests: ORM calls from a test body, logging in, waiting for the grid's saves."""
import time

from django.db import connection
from django.urls import reverse

from tests.conftest import PASSWORD


def orm(call):
    """Run ORM code from a test body, then close the connection it used.

    Under Playwright's sync API the test body runs in another context than the fixtures, so Django
    opens a separate connection there; left open, it would keep PostgreSQL from dropping the test database.
    """
    try:
        return call()
    finally:
        connection.close()


def log_in(page, live_server, username, password=PASSWORD):
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/**")


def wait_until(page, script: str, arg=None, timeout: float = 10.0):
    """Wait until `script` (an expression, or a function of `arg`) is true in the page.

    Playwright's `wait_for_function` compiles its predicate with `eval` inside the page, which the application's
    Content-Security-Policy (scripts from the site only) forbids; `evaluate` goes through the DevTools protocol."""
    function = script if "=>" in script.split("\n", 1)[0] else f"() => Boolean({script})"
    deadline = time.monotonic() + timeout
    while not page.evaluate(function, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"toujours faux après {timeout} s : {script}")
        page.wait_for_timeout(50)


def wait_idle(page):
    """Wait until no grid cell is still being saved."""
    wait_until(page, "!document.querySelector('td.is-saving')")

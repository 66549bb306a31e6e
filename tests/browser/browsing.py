"""Helpers of the browser tests: ORM calls from a test body, logging in, waiting for the grid's saves."""
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


def wait_idle(page):
    """Wait until no grid cell is still being saved."""
    page.wait_for_function("!document.querySelector('td.is-saving')")

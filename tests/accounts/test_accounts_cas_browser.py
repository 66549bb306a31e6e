"""The CAS round trip in Chromium: the login page's button, the real CAS server's form, back signed in."""
import os

import pytest
from cas_people import PASSWORD

from butgmp.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def chromium_page():
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser.new_page(viewport={"width": 1200, "height": 800})
        browser.close()


@pytest.fixture
def teacher(make_user):
    """The teacher, made in a fixture: the ORM in a Playwright test body would open a connection left behind."""
    return make_user(Role.TEACHER, "mdupont", first_name="Marie", last_name="Dupont")


def test_a_teacher_signs_in_through_the_cas_from_the_login_page_and_out_again(teacher, cas_on, live_server,
                                                                             chromium_page):
    page = chromium_page
    shots = os.environ.get("ACCOUNTS_SCREENSHOTS")
    page.goto(live_server.url + "/connexion/")
    if shots:
        page.screenshot(path=f"{shots}/login.png", full_page=True)
    page.get_by_role("link", name="Se connecter avec le CAS de l'université").click()
    page.wait_for_url(cas_on + "login*")
    page.fill("#id_username", "mdupont")
    page.fill("#id_password", PASSWORD)
    if shots:
        page.screenshot(path=f"{shots}/cas.png", full_page=True)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")
    assert "Marie Dupont" in page.locator("header").inner_text()
    if shots:
        page.screenshot(path=f"{shots}/home.png", full_page=True)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/connexion/")
    page.goto(live_server.url + "/")  # the CAS session is over: its form shows again
    page.wait_for_url(cas_on + "login*")
    assert page.locator("#id_password").is_visible()

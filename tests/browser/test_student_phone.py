"""Headless Chromium at 390 × 844: the demo student's « Mes résultats » has no horizontal scrolling, shows its UEs
as stacked cards with their modules folded under them, the same figures as the wide table, and a reachable bulletin."""
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.urls import reverse

from curriculum.fixture_loader import load_programme_file, load_reference
from demo.build import DIJON_PROGRAMME, make_demo
from demo.matrix import SOURCE_PROGRAMME
from demo.people import DEMO_PASSWORD
from tests.browser.browsing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def demo(db):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_reference(FIXTURES / "gmp.yaml")
        for code in (DIJON_PROGRAMME, SOURCE_PROGRAMME):
            load_programme_file(FIXTURES / "programmes" / f"{code}.yaml")
        make_demo(students=8, seed=7, progress=lambda line: None)
    connection.close()  # built before the browser starts; closed so that the test database can be dropped


def test_my_results_fit_a_phone_as_stacked_cards(demo, browser, live_server):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_server, "etudiant", DEMO_PASSWORD)
    phone.goto(live_server.url + reverse("portal:my_results"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    cards = phone.locator(".ue-card")
    assert cards.count() > 0 and cards.first.is_visible()
    assert not phone.locator("table.results:not(.rcues)").first.is_visible()  # the wide table gives way
    # the same figures as the wide table: each card's average is its UE row's
    wide = phone.locator("table.results:not(.rcues) tr.ue-head td.ue-average").all_inner_texts()
    narrow = phone.locator(".ue-card dd.ue-average").all_inner_texts()
    assert [" ".join(t.split()) for t in wide] == [" ".join(t.split()) for t in narrow] and len(wide) == cards.count()
    # modules are folded: opened, they show their evaluations, still within the screen
    first = cards.first.locator("details.ue-modules")
    assert not first.locator("ul.module-list").is_visible()
    first.locator(":scope > summary").click()
    assert first.locator("ul.module-list > li").first.is_visible()
    for details in phone.locator("details").all():
        details.evaluate("element => element.open = true")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    bulletin = phone.locator("a", has_text="bulletin PDF").first
    bulletin.scroll_into_view_if_needed()
    box = bulletin.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "mes-resultats-390.png"), full_page=True)

"""Headless Chromium at 390 × 844: the demo student's « Mes résultats » has no horizontal scrolling, shows its UEs
as stacked cards with their modules folded under them, the same figures as the wide table, and a reachable bulletin.
Read from the browser tests' shared demo (tests/shared_demo.py)."""
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.browsing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.shared_demo, pytest.mark.django_db]
SHOTS = Path(__file__).resolve().parent / "screenshots"


def test_my_results_fit_a_phone_as_stacked_cards(demo, browser):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, demo.server, "etudiant", demo.password)
    phone.goto(demo.server.url + reverse("portal:my_results"))
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
    phone.evaluate("document.querySelectorAll('details').forEach(element => { element.open = true; })")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    bulletin = phone.locator("a", has_text="bulletin PDF").first
    bulletin.scroll_into_view_if_needed()
    box = bulletin.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "mes-resultats-390.png"), full_page=True)

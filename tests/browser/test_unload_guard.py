"""Headless Chromium: both grids ask before the page is left with unsaved cells (cells.js), and only then."""
import pytest
from django.urls import reverse

from grading.services.evaluations import evaluation_create
from tests.browser.browsing import log_in, orm
from tests.grading.programme_fixtures import cohort  # noqa: F401 — fixture

PlaywrightError = pytest.importorskip("playwright.sync_api").Error
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def leaving_asks(page, url) -> bool:
    """Try to go to `url`: True when the page asked first (the question is dismissed: the page stays)."""
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    try:
        page.goto(url)
    except PlaywrightError:  # the navigation was cancelled by dismissing the question
        pass
    page.remove_listener("dialog", answer)
    return asked == ["beforeunload"]


def test_the_grade_grid_asks_before_leaving_an_unsaved_grade(browser_page, live_server, users,
                                                             make_semester_instance):
    def world():
        instance = make_semester_instance(students=2)
        module = instance.semester.modules.order_by("code").first()
        return evaluation_create(semester_instance=instance, module=module, title="DS1")

    evaluation = orm(world)
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
    page.locator("input.grade").nth(0).click()
    page.keyboard.type("25")  # refused: not saved
    assert leaving_asks(page, live_server.url + "/")
    page.keyboard.press("Escape")  # back to the saved (empty) value
    assert page.locator("#unsaved-count").inner_text() == "Toutes les notes sont enregistrées"
    assert not leaving_asks(page, live_server.url + "/")


def test_the_matrix_page_asks_before_leaving_a_changed_table(browser_page, live_server, users,
                                                             cohort):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "direction")
    code = orm(lambda: cohort.semester.programme.code)
    page.goto(live_server.url + reverse("curriculum:matrix_edit", args=[code, 1]))
    page.locator("input[aria-label='Coefficient de R1.01 dans UE1.1']").click()
    page.keyboard.type("2,5")
    assert leaving_asks(page, live_server.url + "/")
    page.keyboard.press("Escape")
    assert page.locator("#matrix-status").inner_text() == "Aucune modification"
    assert not leaving_asks(page, live_server.url + "/")

"""Headless Chromium types grades in the grid with the keyboard and they land in the database."""
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Grade, GradeChange
from grading.selectors.grade_entry import enrolments
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set
from tests.browser.browsing import log_in, orm, wait_idle, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def grid(users, make_semester_instance):
    instance = make_semester_instance(students=4)
    module = instance.semester.modules.order_by("code").first()
    evaluation = evaluation_create(semester_instance=instance, module=module, title="DS1")
    rows = list(enrolments(semester_instance=instance))
    return evaluation, rows


def focused_enrolment(page) -> str:
    return page.evaluate("document.activeElement.dataset.enrolment")


def test_grades_typed_with_enter_and_arrows_are_saved(browser_page, live_server, users, grid):
    evaluation, rows = grid
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
    inputs = page.locator("input.grade")
    assert inputs.count() == 4

    inputs.nth(0).click()
    page.keyboard.type("12,5")
    page.keyboard.press("Enter")
    assert focused_enrolment(page) == str(rows[1].pk)
    page.keyboard.type("abs")
    page.keyboard.press("ArrowDown")
    assert focused_enrolment(page) == str(rows[2].pk)
    page.keyboard.type("25")
    status = inputs.nth(2).locator("xpath=..").locator(".cell-status")
    assert status.inner_text() == "25 > 20 (note maximale)"  # shown at once, before any request
    assert "is-refused" in inputs.nth(2).locator("xpath=..").get_attribute("class")
    page.keyboard.press("ArrowDown")
    assert focused_enrolment(page) == str(rows[3].pk)
    page.keyboard.type("7.25")
    page.keyboard.press("ArrowUp")
    assert focused_enrolment(page) == str(rows[2].pk)
    page.keyboard.press("ArrowUp")
    assert focused_enrolment(page) == str(rows[1].pk)
    page.keyboard.type("Exc")  # focus selects the cell: this replaces ABS
    page.keyboard.press("Enter")
    wait_idle(page)
    wait_until(page, "document.querySelectorAll('td.is-saved').length >= 3")

    grades = orm(lambda: {g.enrolment_id: g.display for g in Grade.objects.filter(evaluation=evaluation)})
    assert grades == {rows[0].pk: "12,5", rows[1].pk: "EXC", rows[3].pk: "7,25"}
    assert orm(lambda: GradeChange.objects.filter(evaluation=evaluation, source="grid").count()) == 4
    assert inputs.nth(3).input_value() == "7,25"  # shown as stored
    assert page.locator("#unsaved-count").inner_text() == "1 note(s) non enregistrée(s)"  # the refused 25
    page.screenshot(path="/tmp/grid.png", full_page=True)


def test_a_conflicting_save_shows_both_values(browser_page, live_server, users, grid):
    evaluation, rows = grid
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
    orm(lambda: grade_set(evaluation=evaluation, enrolment=rows[0], raw="14", user=users["direction"]))
    page.locator("input.grade").nth(0).click()
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    cell = page.locator("td.grade-cell").nth(0)
    cell.locator("button", has_text="garder ma saisie").wait_for()
    assert "valeur enregistrée « 14 », votre saisie « 9 »" in cell.inner_text()
    page.screenshot(path="/tmp/grid-conflict.png")
    cell.locator("button", has_text="garder ma saisie").click()
    wait_until(page, "document.querySelector('td.grade-cell').classList.contains('is-saved')")
    assert orm(lambda: Grade.objects.get(enrolment=rows[0]).display) == "9"


def test_the_history_panel_opens_from_the_grid(browser_page, live_server, users, grid):
    evaluation, rows = grid
    orm(lambda: grade_set(evaluation=evaluation, enrolment=rows[0], raw="11", user=users["direction"]))
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
    page.locator("a.history-link").nth(0).click()
    panel = page.locator("#history-panel")
    panel.locator("table").wait_for()
    assert "11" in panel.inner_text()
    assert orm(lambda: Grade.objects.get(enrolment=rows[0]).value) == Decimal("11")


def test_typing_in_a_cell_whose_save_answers_late_replaces_its_value(browser_page, live_server, users, grid):
    """The secretary comes back to a cell before the server answered its save: typing replaces the value."""
    evaluation, rows = grid
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
    held = []
    # Hold the first save until released below; let the later ones through.
    page.route("**/enregistrer/", lambda route: route.continue_() if held else held.append(route))

    page.locator("input.grade").nth(0).click()
    page.keyboard.type("abs")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # back on the first cell, its whole value selected, save still pending
    wait_until(page, "document.querySelector('td.grade-cell').classList.contains('is-saving')")
    held[0].continue_()
    wait_idle(page)  # the answer rewrites "abs" as "ABS" while the cell has the focus
    page.keyboard.type("Exc")
    assert page.locator("input.grade").nth(0).input_value() == "Exc"  # replaced, not appended to "ABS"
    page.keyboard.press("Enter")
    wait_idle(page)
    wait_until(page, "document.querySelector('td.grade-cell').classList.contains('is-saved')")
    assert orm(lambda: Grade.objects.get(enrolment=rows[0]).display) == "EXC"

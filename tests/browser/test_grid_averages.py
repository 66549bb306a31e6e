"""Headless Chromium in a module grid: ← → move between evaluations, ↑ ↓ between students, and the module's
average towards each UE, beside the row, follows every saved grade without reloading the page."""
import pytest
from django.urls import reverse

from grading.selectors.grade_entry import enrolments
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from tests.browser.browsing import log_in, orm, wait_idle, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def module_grid(users, make_semester_instance):
    """R1.01 with DS1 and DS2 (coefficient 1 each), every grade entered: 10 for everyone."""
    instance = make_semester_instance(students=3)
    module = instance.semester.modules.order_by("code").first()
    rows = list(enrolments(semester_instance=instance))
    evaluations = [evaluation_create(semester_instance=instance, module=module, title=title)
                   for title in ("DS1", "DS2")]
    for evaluation in evaluations:
        grades_import(evaluation=evaluation, rows=[(e.pk, "10") for e in rows], user=users["secretariat"],
                               filename="x")
    return instance, module, evaluations, rows


def focused(page) -> tuple[str, str]:
    """The focused cell: (enrolment id, save URL of its evaluation)."""
    return tuple(page.evaluate("[document.activeElement.dataset.enrolment, document.activeElement.dataset.url]"))


def average(page, row, ue) -> str:
    return page.locator(f'tr[data-enrolment="{row.pk}"] td.average[data-ue="{ue}"]').inner_text()


def test_arrows_move_in_the_module_grid_and_the_averages_follow_each_save(browser_page, live_server, users,
                                                                         module_grid):
    instance, module, (ds1, ds2), rows = module_grid
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:module_grid", args=[instance.pk, module.pk]))
    first = rows[0]
    assert average(page, first, "UE1.1") == "10,00"
    url = {ds1: reverse("grading:grade_save", args=[ds1.pk]), ds2: reverse("grading:grade_save", args=[ds2.pk])}

    page.locator(f'tr[data-enrolment="{first.pk}"] input.grade').nth(0).click()
    page.keyboard.type("20")
    page.keyboard.press("ArrowRight")
    assert focused(page) == (str(first.pk), url[ds2])
    page.keyboard.type("15,5")
    page.keyboard.press("ArrowDown")
    assert focused(page) == (str(rows[1].pk), url[ds2])
    page.keyboard.press("ArrowLeft")
    assert focused(page) == (str(rows[1].pk), url[ds1])
    page.keyboard.press("ArrowLeft")  # no evaluation before the first: the cell keeps the focus
    assert focused(page) == (str(rows[1].pk), url[ds1])
    page.keyboard.press("ArrowUp")
    assert focused(page) == (str(first.pk), url[ds1])
    wait_idle(page)
    # (20 + 15.5) / 2 = 17.75, towards both UEs, without reloading the page.
    wait_until(page, f"""document.querySelector('tr[data-enrolment="{first.pk}"] td.average[data-ue="UE1.1"]')
                               .textContent === '17,75'""")
    assert average(page, first, "UE1.2") == "17,75"
    assert average(page, rows[1], "UE1.1") == "10,00"
    assert orm(lambda: sorted(g.display for g in ds1.grades.all()) + sorted(g.display for g in ds2.grades.all())) == [
        "10", "10", "20", "10", "10", "15,5"]

"""Headless Chromium: the statistics under an evaluation's grid (mean, histogram) follow each saved grade without
reloading the page."""
import pytest
from django.urls import reverse

from grading.selectors import grade_entry as selectors
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from tests.browser.browsing import log_in, wait_idle, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluation(users, make_semester_instance):
    """DS1 of R1.01 graded 10 for each of three students."""
    instance = make_semester_instance(students=3)
    module = instance.semester.modules.order_by("code").first()
    rows = list(selectors.enrolments(semester_instance=instance))
    created = evaluation_create(semester_instance=instance, module=module, title="DS1")
    grades_import(evaluation=created, rows=[(e.pk, "10") for e in rows], user=users["secretariat"],
                  filename="x")
    return created, rows


def mean(page) -> str:
    return page.evaluate("""[...document.querySelectorAll('#grid-statistics tr')]
        .find(tr => tr.querySelector('th') && tr.querySelector('th').textContent === 'Moyenne')
        .querySelector('td').textContent""")


def test_the_statistics_under_the_grid_follow_each_save(evaluation, browser_page, live_server):
    created, rows = evaluation
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[created.pk]))
    assert mean(page) == "10,00"
    page.locator(f'tr[data-enrolment="{rows[0].pk}"] input.grade').click()
    page.keyboard.type("19")
    page.keyboard.press("Enter")
    wait_idle(page)
    wait_until(page, """[...document.querySelectorAll('#grid-statistics td')]
        .some(td => td.textContent === '13,00')""")  # (19 + 10 + 10) / 3
    assert mean(page) == "13,00"
    assert page.locator("#grid-statistics svg title").first.text_content() == "Répartition des notes : DS1"
    bars = page.locator("#grid-statistics svg g.bar rect title").all_text_contents()
    assert "18–20 : 1" in bars and "10–12 : 2" in bars
    assert page.evaluate("document.querySelectorAll('#grid-statistics').length") == 1

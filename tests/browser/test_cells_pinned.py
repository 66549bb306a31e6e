"""Headless Chromium: what the grids' script says of a typed cell is what the Python parser says, case by case.

Each raw text is typed into a real cell of the page (its input event fired), and the reason shown under the cell
is compared with the Python parser's message (French decimals, signs, too many decimals, maxima, letters)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from curriculum.cell_values import ECTS, CellError, parse_coefficient, parse_hours, parse_required
from grading.grade_text import parse_grade
from grading.services.evaluations import evaluation_create
from tests.browser.browsing import log_in, orm
from tests.curriculum.conftest import build_programme, reference  # noqa: F401 — fixtures
from tests.curriculum.test_checks import ue, year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = ["12,5", "12,25", "12,255", "20", "20,00", "20,001", "21", "abs", "Exc", "ATT", "ABSENT", "12.5", "12,55",
         "12,555", "12,50", "  7,50 ", "\u00a07,5", "00012", "0", "-0", "-0,5", "-3", ",5", "5,", "5.", "abc", "1e3",
         "+3", "12,5,3", "1 000", "\u0661\u0662", "\uff11\uff12", "999,99", "999,991", "1000", "99999,9", "99999,95",
         "100000", "99999999999999999999,5", "?", ""]

# Type each text into the cell, fire its input event, read the reason shown under the cell when it is refused.
TYPE_ALL = """([selector, texts]) => {
  const input = document.querySelector(selector);
  const status = input.parentElement.querySelector(".cell-status");
  return texts.map((text) => {
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return input.closest("td").classList.contains("is-refused") ? status.textContent : "";
  });
}"""


def reason(parse, text: str) -> str:
    try:
        parse(text)
    except CellError as exc:
        return str(exc)
    return ""


@pytest.mark.parametrize("label,parse", [
    ("Coefficient de R.01 dans UE5.1", parse_coefficient),
    ("CM de R.01 dans UE5.1", parse_hours),
    ("ECTS de UE5.1", lambda text: parse_required(text, ECTS, "ECTS de UE5.1")),
], ids=["coefficient", "hours", "ects"])
def test_the_matrix_page_refuses_a_cell_as_curriculum_does(browser_page, live_server, users, build_programme,  # noqa: F811
                                                           label, parse):
    orm(lambda: build_programme(year(5, [ue("UE5.1", "C1", 3, 30, 70, 30)], [ue("UE6.1", "C1", 3, 30, 20, 80)])))
    page = browser_page
    log_in(page, live_server, "direction")
    page.goto(live_server.url + reverse("curriculum:matrix_edit", args=["test-mpi", 5]))
    shown = page.evaluate(TYPE_ALL, [f"input[aria-label='{label}']", TYPED])
    expected = [reason(parse, text) for text in TYPED]
    assert shown == expected
    assert sum(1 for text in expected if text) >= 12  # the cases do reach the refusals


@pytest.mark.parametrize("max_score", [Decimal("20"), Decimal("12.5")])
def test_the_grade_grid_refuses_a_grade_as_the_server_does(browser_page, live_server, users, make_semester_instance,
                                                          max_score):
    def world():
        instance = make_semester_instance(students=1)
        module = instance.semester.modules.order_by("code").first()
        return evaluation_create(semester_instance=instance, module=module, title="DS1", max_score=max_score)

    evaluation = orm(world)
    page = browser_page
    log_in(page, live_server, "secretariat")
    page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
    shown = page.evaluate(TYPE_ALL, ["input.grade", TYPED])
    expected = [parse_grade(text, max_score=max_score).error or "" for text in TYPED]
    assert shown == expected
    assert sum(1 for error in expected if error) >= 14  # the cases do reach the refusals

"""Headless Chromium: Direction changes two coefficients with the keyboard, reads the impact, confirms, and
sees the new totals."""

import pytest
from django.urls import reverse

from curriculum.models import UE, ModuleUE, ProgrammeChange
from tests.browser.browsing import log_in, orm
from tests.grading.programme_fixtures import cohort, outcomes  # noqa: F401 — fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label')")


def test_direction_edits_two_coefficients_reads_the_impact_and_confirms(browser_page, live_server, users,
                                                                        cohort):  # noqa: F811
    page = browser_page
    programme = cohort.semester.programme
    ue11 = UE.objects.get(semester=cohort.semester, code="UE1.1")
    before = outcomes(cohort)
    log_in(page, live_server, "direction")
    page.goto(live_server.url + reverse("curriculum:matrix_edit", args=[programme.code, 1]))
    total = page.locator(f"tfoot td[data-total=coef][data-ue='{ue11.pk}']")
    assert total.inner_text() == "4"

    page.locator("input[aria-label='Coefficient de R1.01 dans UE1.1']").click()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    assert focused(page) == "Coefficient de R1.02 dans UE1.1"
    page.keyboard.type("deux")
    status = page.locator("input[aria-label='Coefficient de R1.02 dans UE1.1'] ~ .cell-status")
    assert status.inner_text().startswith("« deux » n'est pas un coefficient")  # at once, before any request
    page.keyboard.press("Escape")
    assert page.locator("input[aria-label='Coefficient de R1.02 dans UE1.1']").input_value() == "2"
    page.keyboard.type("6")
    page.keyboard.press("ArrowUp")
    assert focused(page) == "Coefficient de R1.01 dans UE1.1"
    assert total.inner_text() == "9"  # the totals follow the typing
    page.wait_for_selector("#live-findings[aria-busy=false]")  # the server's findings of the table as typed
    assert "pôle ressources pèse 100 %" in page.locator("#live-findings").inner_text()

    page.click("#matrix-save")
    page.locator("#impact-preview").wait_for()
    shown = page.locator("#impact-summary").inner_text()
    assert orm(lambda: ModuleUE.objects.get(module__semester=cohort.semester, module__code="R1.02",
                                            ue__code="UE1.1").coefficient) == 2  # not saved yet
    page.screenshot(path="/tmp/matrix-impact.png", full_page=True)
    page.click("#matrix-confirm")
    page.wait_for_url("**/?semestre=1")

    after = orm(lambda: outcomes(cohort))
    changed = sum(1 for sid in before if before[sid] != after[sid])
    assert shown.startswith(f"Impact : {changed} étudiant{'s' if changed > 1 else ''} sur 4 ")
    totals = page.locator("table.matrix tfoot tr.total td")
    assert [totals.nth(i).inner_text() for i in (2, 3, 4)] == ["9", "4", "13"]
    assert "2 modification(s) enregistrée(s) en S1" in page.locator(".messages").inner_text()
    assert orm(lambda: sorted(ProgrammeChange.objects.values_list("subject", "old_value", "new_value"))) == [
        ("R1.01 × UE1.1", "2", "3"), ("R1.02 × UE1.1", "2", "6")]
    page.screenshot(path="/tmp/matrix-saved.png", full_page=True)

"""Accessibility (RGAA): axe-core's WCAG 2.1 A and AA rules find nothing on the main pages of every role.

axe-core comes from the npm registry (package.json, `npm ci` by `make node-deps`), never from a CDN. The page's
Content-Security-Policy allows scripts from the site only, so the test's context bypasses it (`bypass_csp`,
Playwright's own way) to inject the library; the application's pages are otherwise served as they are.
"""
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from demo.build import DIJON_PROGRAMME
from demo.dates import LAST_YEAR, THIS_YEAR
from demo.matrix import DEPARTMENT_PROGRAMME
from grading.engine.codes import GradeCode
from grading.models import Enrolment, Evaluation, Grade, JurySession, SemesterInstance
from tests import shared_demo
from tests.browser.browsing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.shared_demo, pytest.mark.django_db]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages_of_each_role() -> dict[str, list[str]]:
    """The main pages each demo role opens (read in the demo's committed database)."""
    s3, s4 = (SemesterInstance.objects.get(semester__programme__code=DIJON_PROGRAMME, semester__number=n,
                                           academic_year__start_year=THIS_YEAR) for n in (3, 4))
    s1 = SemesterInstance.objects.get(semester__programme__code=DEPARTMENT_PROGRAMME, semester__number=1,
                                      academic_year__start_year=THIS_YEAR)
    last_jury = JurySession.objects.filter(semester_instances__academic_year__start_year=LAST_YEAR).first()
    evaluation = Evaluation.objects.filter(semester_instance=s4).order_by("module__code", "id").first()
    enrolment = Enrolment.objects.filter(semester_instance=s4).order_by("student__last_name").first()
    waiting = Grade.objects.filter(enrolment__semester_instance=s4, code=GradeCode.ATT).first()  # the ATT student
    teacher_evaluation = Evaluation.objects.filter(
        semester_instance=s3, module__responsibles__user__username="enseignant").order_by("id").first()
    year_report = reverse("jury:report", args=["annee", s3.pk])
    sheet = reverse("jury:sheet", args=["annee", s3.pk, enrolment.student_id])
    att_sheet = reverse("jury:sheet", args=["annee", s3.pk, waiting.enrolment.student_id])
    common = [reverse("dashboard:home"), reverse("grading:semester_list"), reverse("jury:home"),
              reverse("password_change")]
    return {
        "direction": common + [
            reverse("curriculum:programme_list"), reverse("curriculum:programme_detail", args=[DEPARTMENT_PROGRAMME]),
            reverse("curriculum:matrix_edit", args=[DEPARTMENT_PROGRAMME, 1]),
            reverse("curriculum:programme_new_version", args=[DEPARTMENT_PROGRAMME]),
            reverse("accounts:users"), reverse("accounts:user_create"),
            reverse("accounts:user_detail", args=[User.objects.get(username="enseignant").pk]),
            reverse("grading:semester_create"), reverse("grading:semester_detail", args=[s1.pk]),
            reverse("grading:past_results"), year_report, reverse("jury:session_detail", args=[last_jury.pk]),
            reverse("jury:members"), reverse("jury:apogee_settings"), reverse("grading:cohort_flow")],
        "secretariat": common + [
            reverse("grading:semester_detail", args=[s4.pk]), reverse("grading:enrolment_list", args=[s4.pk]),
            reverse("grading:student_import", args=[s4.pk]), reverse("grading:group_list", args=[s4.pk]),
            reverse("grading:responsible_list", args=[s4.pk]), reverse("grading:evaluation_plan", args=[s4.pk]),
            reverse("grading:evaluation_grid", args=[evaluation.pk]),
            reverse("grading:evaluation_import", args=[evaluation.pk]),
            reverse("grading:module_grid", args=[s4.pk, evaluation.module_id]),
            reverse("grading:semester_results", args=[s4.pk]), reverse("portal:publication", args=[s4.pk]),
            reverse("portal:bulletin_batches", args=[s4.pk]),
            reverse("grading:student_detail", args=[s4.pk, enrolment.pk]),
            reverse("grading:student_record", args=[enrolment.student_id]), year_report, sheet, att_sheet,
            reverse("jury:session_detail", args=[last_jury.pk]), reverse("jury:next_year", args=[last_jury.pk])],
        "enseignant": [reverse("dashboard:home"), reverse("grading:semester_list"),
                       reverse("grading:semester_detail", args=[s3.pk]),
                       reverse("grading:teacher_results", args=[s3.pk]),
                       reverse("grading:evaluation_grid", args=[teacher_evaluation.pk]),
                       reverse("grading:module_grid", args=[s3.pk, teacher_evaluation.module_id])],
        "jury": common + [reverse("grading:semester_results", args=[s3.pk]), year_report, sheet, att_sheet,
                          reverse("jury:report", args=["semestre", s3.pk]),
                          reverse("jury:session_detail", args=[last_jury.pk]), reverse("grading:cohort_flow")],
        "etudiant": [reverse("portal:my_results"), reverse("password_change")],
    }


def violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.1 AA rules on the page; return its violations (rule, impact, the first nodes' targets,
    how many nodes)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')), count: v.nodes.length}))", TAGS)
    return found


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: make node-deps (npm ci)")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_login_page_breaks_no_wcag_rule(axe_page, demo):
    axe_page.goto(demo.server.url + reverse("login"))
    assert axe_page.locator("#id_username").count() == 1
    assert violations(axe_page) == []


@pytest.mark.parametrize("login", ["direction", "secretariat", "enseignant", "jury", "etudiant"])
def test_every_main_page_of_a_role_breaks_no_wcag_rule(axe_page, demo, login):
    urls = shared_demo.in_own_connection(pages_of_each_role)[login]
    log_in(axe_page, demo.server, login, demo.password)
    found = {}
    for url in urls:
        response = axe_page.goto(demo.server.url + url)
        assert response.status == 200, url
        assert axe_page.locator("main").count() == 1, url
        problems = violations(axe_page)
        if problems:
            found[url] = problems
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_students_results_on_a_phone_break_no_wcag_rule(browser, demo):
    """On a phone the UEs are stacked cards with their modules folded under them: another layout, checked too."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: make node-deps (npm ci)")
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    log_in(page, demo.server, "etudiant", demo.password)
    page.goto(demo.server.url + reverse("portal:my_results"))
    assert page.locator(".ue-cards").first.is_visible()
    assert violations(page) == []
    context.close()


def first_s4_evaluation() -> int:
    s4 = SemesterInstance.objects.get(semester__programme__code=DIJON_PROGRAMME, semester__number=4,
                                      academic_year__start_year=THIS_YEAR)
    return Evaluation.objects.filter(semester_instance=s4).order_by("module__code", "id").first().pk


def test_a_grid_showing_a_refused_grade_breaks_no_wcag_rule(axe_page, demo):
    """A value above the maximum shows in red with its reason (never saved: the shared demo is left as it was)."""
    evaluation = shared_demo.in_own_connection(first_s4_evaluation)
    log_in(axe_page, demo.server, "secretariat", demo.password)
    axe_page.goto(demo.server.url + reverse("grading:evaluation_grid", args=[evaluation]))
    cell = axe_page.locator("input.grade").first
    cell.click()
    axe_page.keyboard.press("Control+A")
    axe_page.keyboard.type("25")
    refused = cell.locator("xpath=..")
    assert "is-refused" in refused.get_attribute("class")
    assert "note maximale" in refused.locator(".cell-status").inner_text()
    assert violations(axe_page) == []

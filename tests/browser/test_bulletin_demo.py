"""The demo's bulletins: at most two A4 pages for every student without a repeat, in every semester of
this year, published and working versions alike. Read from the shared demo (tests/shared_demo.py); no browser."""
import re
import subprocess

import pytest

from demo.dates import THIS_YEAR
from grading.models import Enrolment, SemesterInstance
from portal.batches import semester_bulletins
from tests import shared_demo

pytestmark = [pytest.mark.browser, pytest.mark.shared_demo, pytest.mark.django_db]
FOOTER_INE = re.compile(r"INE (\w+) · Semestre \d")  # the footer's left part
FOOTER_PAGE = re.compile(r"^page (\d+)$", re.M)  # and its right part (pdftotext may put text in between)


def pages_by_student(content: bytes) -> dict[str, int]:
    """Return each student's number of pages (INE -> pages), read from every page's footer (pdftotext, which reads
    a batch's pages many times faster than pypdf)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
                          ).stdout.decode()
    pages: dict[str, int] = {}
    for page in text.split("\f")[:-1]:  # pdftotext ends every page with a form feed
        ine, number = FOOTER_INE.findall(page)[-1], FOOTER_PAGE.findall(page)[-1]
        pages[ine] = max(pages.get(ine, 0), int(number))
    return pages


def demo_semesters() -> list[tuple[SemesterInstance, set[str], set[str]]]:
    """This year's semesters, each with the INEs of its students and of those repeating it."""
    found = []
    for instance in SemesterInstance.objects.filter(academic_year__start_year=THIS_YEAR).select_related("semester"):
        enrolments = Enrolment.objects.filter(semester_instance=instance).select_related("student")
        repeating = {e.student.ine for e in enrolments if Enrolment.objects.filter(
            student=e.student, semester_instance__semester__number=instance.semester.number,
            semester_instance__academic_year__start_year__lt=THIS_YEAR).exists()}
        found.append((instance, {e.student.ine for e in enrolments}, repeating))
    return found


@pytest.mark.parametrize("draft", [False, True], ids=["published", "working"])
def test_the_demos_bulletins_hold_on_two_pages_for_every_student_without_a_repeat(demo, draft):
    semesters = shared_demo.in_own_connection(demo_semesters)
    assert len(semesters) == 6
    for instance, students, repeating in semesters:
        pdf = shared_demo.in_own_connection(
            lambda instance=instance: semester_bulletins(semester_instance=instance, draft=draft))
        pages = pages_by_student(pdf)
        assert set(pages) == students, instance  # one bulletin each
        too_long = {ine: n for ine, n in pages.items() if n > 2 and ine not in repeating}
        assert not too_long, (str(instance), too_long)

"""The demo's bulletins: at most two A4 pages for every student without a repeat, in every semester of
this year, published and working versions alike. Read from the shared demo (tests/shared_demo.py); no browser."""
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from demo.dates import THIS_YEAR
from grading.models import Enrolment, SemesterInstance
from portal.batches import semester_bulletins
from tests import shared_demo

pytestmark = [pytest.mark.browser, pytest.mark.shared_demo, pytest.mark.django_db]
FOOTER = re.compile(r"INE (\w+) · Semestre \d.*\s+page (\d+)\s*$")


def pages_by_student(content: bytes) -> dict[str, int]:
    """Return each student's number of pages (INE -> pages), read from every page's footer."""
    pages: dict[str, int] = {}
    for page in PdfReader(BytesIO(content)).pages:
        ine, number = FOOTER.search(page.extract_text()).groups()
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
        pages = shared_demo.in_own_connection(
            lambda instance=instance: pages_by_student(semester_bulletins(semester_instance=instance, draft=draft)))
        assert set(pages) == students, instance  # one bulletin each
        too_long = {ine: n for ine, n in pages.items() if n > 2 and ine not in repeating}
        assert not too_long, (str(instance), too_long)

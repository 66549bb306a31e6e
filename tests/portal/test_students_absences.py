"""The student's own page and bulletin show their half-days of absence per semester (justified or not, lateness)."""
import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from students_world import publish_grades

from grading.services.attendance import roll_call_save, student_absence_record
from grading.services.justifications import justification_by_staff

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def absences(year, users):
    """Alice: S2, two days absent (4 half-days), the first justified, and late once; Bob: nothing."""
    publish_grades(year)
    enrolment = year.enrolments[(year.alice.ine, 2)]
    student_absence_record(enrolment=enrolment, first_day=MONDAY, last_day=MONDAY + datetime.timedelta(days=1),
                           user=users["secretariat"])
    justification_by_staff(student=year.alice, first_day=MONDAY, last_day=MONDAY, motive="convocation",
                           user=users["secretariat"])
    roll_call_save(semester_instance=year.instances[2], group=None, module=None, date=MONDAY + datetime.timedelta(3),
                   start=datetime.time(8), end=datetime.time(10), statuses={enrolment.pk: "late"},
                   user=users["secretariat"])
    return year


EXPECTED = "4 demi-journées (2 justifiées, 2 non justifiées) · retard : 1"


def test_the_students_page_shows_each_semesters_absences(student_client, absences):
    html = student_client.get(reverse("portal:my_results")).content.decode()
    assert f"Absences : <strong>{EXPECTED.split(' ', 1)[0]}</strong> {EXPECTED.split(' ', 1)[1]}" in html
    assert html.count('class="attendance-count"') == 1  # S1 has nothing recorded: no line


def test_the_bulletin_shows_the_semesters_absences(student_client, absences):
    response = student_client.get(reverse("portal:my_bulletin_pdf", args=[absences.instances[2].pk]))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages)
    assert f"Absences : {EXPECTED}" in text
    first = student_client.get(reverse("portal:my_bulletin_pdf", args=[absences.instances[1].pk]))
    assert "Absences" not in " ".join(page.extract_text() for page in PdfReader(BytesIO(first.content)).pages)

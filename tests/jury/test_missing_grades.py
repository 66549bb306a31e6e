"""Settling an incomplete evaluation: every missing grade to EXC, ABS or ATT at once, audited with a reason;
the jury reads the evaluation (read-only) instead of a 403."""
import pytest
from django.urls import reverse

from grading.models import Evaluation, Grade, GradeChange, ModuleResponsible
from grading.selectors.missing import evaluation_missing, incomplete_evaluations
from grading.services.errors import SemesterLocked, ServiceError
from grading.services.missing_grades import FILL_REASON_REQUIRED, missing_grades_fill
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db


@pytest.fixture
def incomplete(promotion):
    return Evaluation.objects.get(semester_instance=promotion.s3, module__code="R3.01", title="DS1")


def test_the_partial_lists_incomplete_evaluations_with_who_is_missing(promotion, incomplete):
    (item,) = incomplete_evaluations(semester_instances=[promotion.s3, promotion.s4])
    assert item.evaluation == incomplete and item.count == 1
    assert [e.student for e in item.missing] == [promotion.students[2]]


def test_filling_sets_every_missing_grade_and_audits_it_with_the_reason(users, promotion, incomplete):
    before = Grade.objects.filter(evaluation=incomplete).count()
    result = missing_grades_fill(evaluation=incomplete, code="exc", reason="Certificat médical",
                                 user=users["secretariat"])
    assert (result.count, result.code) == (1, "EXC")
    grade = Grade.objects.get(evaluation=incomplete, enrolment__student=promotion.students[2])
    assert (grade.code, grade.value, grade.updated_by) == ("EXC", None, users["secretariat"])
    assert Grade.objects.filter(evaluation=incomplete).count() == before + 1
    change = GradeChange.objects.get()
    assert (change.old_value, change.new_value, change.source, change.reason, change.user) == (
        "", "EXC", "missing", "Certificat médical", users["secretariat"])
    assert incomplete_evaluations(semester_instances=[promotion.s3]) == []
    assert evaluation_missing(evaluation=incomplete) == []


def test_it_never_waits_for_nor_fills_a_student_who_left(users, promotion):
    left = promotion.students[0]  # DEM in S4
    s4_evaluation = Evaluation.objects.filter(semester_instance=promotion.s4).first()
    Grade.objects.filter(evaluation=s4_evaluation, enrolment__student=left).delete()
    assert evaluation_missing(evaluation=s4_evaluation) == []
    with pytest.raises(ServiceError):
        missing_grades_fill(evaluation=s4_evaluation, code="ABS", reason="x", user=users["secretariat"])


@pytest.mark.parametrize("code, reason, message", [("ATT", " ", FILL_REASON_REQUIRED), ("12", "x", None)])
def test_it_refuses_a_bad_code_or_no_reason(users, incomplete, code, reason, message):
    with pytest.raises(ServiceError) as raised:
        missing_grades_fill(evaluation=incomplete, code=code, reason=reason, user=users["secretariat"])
    assert message is None or raised.value.message == message
    assert not GradeChange.objects.exists()


def test_a_locked_semester_refuses(users, promotion, incomplete):
    semester_lock(semester_instance=promotion.s3, user=users["direction"])
    with pytest.raises(SemesterLocked):
        missing_grades_fill(evaluation=incomplete, code="ABS", reason="x", user=users["direction"])


def test_the_jury_opens_an_incomplete_evaluation_read_only(client, users, promotion, incomplete):
    client.force_login(users["jury"])
    assert client.get(reverse("grading:evaluation_grid", args=[incomplete.pk])).status_code == 403
    response = client.get(reverse("grading:evaluation_incomplete", args=[incomplete.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and str(promotion.students[2]) in html
    assert 'id="fill-missing"' not in html
    assert client.post(reverse("grading:missing_grades", args=[incomplete.pk]),
                       {"code": "ABS", "reason": "x"}).status_code == 403


def test_staff_who_enter_grades_settle_it_from_the_page(client, users, promotion, incomplete):
    teacher = users["teacher"]
    ModuleResponsible.objects.create(semester_instance=promotion.s3, module=incomplete.module, user=teacher)
    client.force_login(teacher)
    page = client.get(reverse("grading:evaluation_incomplete", args=[incomplete.pk])).content.decode()
    assert 'id="fill-missing"' in page
    response = client.post(reverse("grading:missing_grades", args=[incomplete.pk]),
                           {"code": "ABS", "reason": "Absent sans justificatif"}, follow=True)
    assert "1 note(s) manquante(s) mise(s) à ABS" in response.content.decode()
    assert 'id="missing-grades"' not in response.content.decode()  # the page read before is not served again
    assert GradeChange.objects.get().reason == "Absent sans justificatif"


def test_a_teacher_of_another_module_cannot_settle_it(client, users, incomplete):
    client.force_login(users["teacher"])
    response = client.post(reverse("grading:missing_grades", args=[incomplete.pk]), {"code": "ABS", "reason": "x"})
    assert response.status_code == 403 and not GradeChange.objects.exists()

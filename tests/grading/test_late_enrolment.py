"""Late enrolment (R2): the enrol form warns which evaluations would wait for the newcomer, and offers EXC."""
import html

import pytest
from django.urls import reverse

from grading.engine.codes import GradeCode
from grading.models import Enrolment, Grade, GradeChange, Student
from grading.selectors.missing import newcomer_waits
from grading.services.errors import SemesterLocked, ServiceError
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from grading.services.late_enrolment import DEFAULT_REASON, missing_grades_excuse
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db

NEWCOMER = {"ine": "12345678901", "last_name": "Nouveau", "first_name": "Noé", "email": "", "parcours": ""}


@pytest.fixture
def graded(users, instance, module, other_module, enrolments):
    """DS1 complete (R1.01), TP partly graded (R1.02), Oral immediate and Rattrapage graded, Projet ungraded."""
    def grade(evaluation, values):
        grades_import(evaluation=evaluation, user=users["secretariat"], filename="x",
                               rows=[(e.pk, v) for e, v in zip(enrolments, values, strict=False)])
        return evaluation

    return {
        "ds1": grade(evaluation_create(semester_instance=instance, module=module, title="DS1"),
                     ["12", "8", "15"]),
        "tp": grade(evaluation_create(semester_instance=instance, module=other_module, title="TP"),
                    ["10", "11"]),
        "oral": grade(evaluation_create(semester_instance=instance, module=module, title="Oral",
                                                 is_immediate=True), ["14"]),
        "rattrapage": grade(evaluation_create(semester_instance=instance, module=module, title="Ratt.",
                                                       is_rattrapage=True), ["9"]),
        "projet": evaluation_create(semester_instance=instance, module=other_module, title="Projet"),
    }


def enrol(client, instance, **extra):
    return client.post(reverse("grading:enrolment_list", args=[instance.pk]), {**NEWCOMER, **extra})


def test_it_lists_the_graded_evaluations_that_would_wait_for_a_newcomer(instance, graded):
    waits = newcomer_waits(semester_instance=instance, parcours=None)
    # Immediate and rattrapage evaluations never wait (R2); Projet has no grade yet.
    assert [(w.evaluation.title, w.already_incomplete) for w in waits] == [("DS1", False), ("TP", True)]


def test_a_newcomer_whose_parcours_does_not_take_the_module_holds_nothing_up(instance, graded):
    from curriculum.models import Parcours, Speciality

    other = Parcours.objects.create(speciality=Speciality.objects.get(code="GMP"), code="CAI", name="CAI")
    instance.semester.ues.first().parcours.add(instance.semester.programme.parcours)  # UE1.1: MPI only
    instance.semester.ues.last().parcours.add(instance.semester.programme.parcours)  # UE1.2: MPI only
    assert newcomer_waits(semester_instance=instance, parcours=other) == []


def test_the_form_warns_before_enrolling(secretariat_client, instance, graded):
    response = enrol(secretariat_client, instance)
    assert response.status_code == 200
    assert not Student.objects.filter(ine=NEWCOMER["ine"]).exists()
    page = html.unescape(response.content.decode())
    assert "Des évaluations ont déjà des notes" in page
    assert "R1.01 – DS1 (deviendra incomplète)" in page
    assert "R1.02 – TP (déjà incomplète)" in page
    assert "Oral" not in page.split("Des évaluations ont déjà des notes")[1].split("</section>")[0]
    assert response.context["late_form"].fields["excused"].initial == [graded["ds1"].pk, graded["tp"].pk]


def test_confirming_enrols_and_marks_the_ticked_evaluations_exc_with_the_reason(secretariat_client, users, instance,
                                                                                 graded):
    response = enrol(secretariat_client, instance, late_confirmed="True", excused=[graded["ds1"].pk],
                     late_reason="Arrivé le 3 novembre")
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(student__ine=NEWCOMER["ine"], semester_instance=instance)
    grade = Grade.objects.get(enrolment=enrolment)
    assert (grade.evaluation, grade.code, grade.value) == (graded["ds1"], GradeCode.EXC, None)
    change = GradeChange.objects.get(enrolment=enrolment)
    assert (change.old_value, change.new_value, change.source, change.reason, change.user) == (
        "", "EXC", GradeChange.Source.LATE_ENROLMENT, "Arrivé le 3 novembre", users["secretariat"])
    # DS1 counts again for everybody; TP (not ticked) now waits for the newcomer too; Projet waits for all.
    waiting = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk])).context["waiting"]
    assert [(w.evaluation.title, [str(e.student) for e in w.missing]) for w in waiting] == [
        ("TP", ["MARTIN Prénom1", "NOUVEAU Noé"]),
        ("Projet", ["BERNARD Prénom2", "DUBOIS Prénom3", "MARTIN Prénom1", "NOUVEAU Noé"])]


def test_confirming_with_nothing_ticked_enrols_without_any_grade(secretariat_client, instance, graded):
    response = enrol(secretariat_client, instance, late_confirmed="True", late_reason=DEFAULT_REASON)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(student__ine=NEWCOMER["ine"])
    assert not Grade.objects.filter(enrolment=enrolment).exists()


def test_a_semester_without_grades_enrols_at_once(secretariat_client, instance, module):
    evaluation_create(semester_instance=instance, module=module, title="Pas encore notée")
    assert enrol(secretariat_client, instance).status_code == 302
    assert Enrolment.objects.filter(student__ine=NEWCOMER["ine"]).exists()


def test_the_excuse_keeps_a_grade_already_entered(users, instance, graded, enrolments):
    changed = missing_grades_excuse(enrolment=enrolments[0], evaluations=[graded["ds1"], graded["projet"]],
                                    user=users["secretariat"], reason="test")
    assert changed == [graded["projet"]]
    assert Grade.objects.get(enrolment=enrolments[0], evaluation=graded["ds1"]).value == 12


def test_the_excuse_refuses_another_semesters_evaluation(users, make_semester_instance, graded, enrolments):
    other = make_semester_instance(students=1)
    with pytest.raises(ServiceError):
        missing_grades_excuse(enrolment=other.enrolments.get(), evaluations=[graded["ds1"]],
                              user=users["secretariat"])


def test_the_excuse_refuses_a_locked_semester(users, instance, graded, enrolments):
    semester_lock(semester_instance=instance, user=users["direction"])
    with pytest.raises(SemesterLocked):
        missing_grades_excuse(enrolment=enrolments[2], evaluations=[graded["tp"]], user=users["secretariat"])
    assert not Grade.objects.filter(enrolment=enrolments[2], evaluation=graded["tp"]).exists()

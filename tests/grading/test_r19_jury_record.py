"""R19: jury decisions are dated and signed, superseded but never changed; R16: jury codes carry a reason."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from curriculum.models import UE, Competence, CompetenceLevel, Modality, Parcours, Programme, Semester, Speciality
from grading.engine import compute
from grading.engine.codes import JuryLevel
from grading.loaders import load_cohort
from grading.models import AcademicYear, Enrolment, JuryDecision, SemesterInstance, Student
from jury.decisions import ERROR_CODE_NOT_ALLOWED, ERROR_ODD_JURY, ERROR_REASON_REQUIRED, decision_record, level_label
from jury.history import current_decision, decision_history


@pytest.fixture
def enrolment(db):
    spec = Speciality.objects.create(code="GMPJ", name="GMP")
    parcours = Parcours.objects.create(speciality=spec, code="MPI", name="MPI")
    programme = Programme.objects.create(code="j", title="j", iut="IUT", speciality=spec, parcours=parcours,
                                         modality=Modality.INITIAL, first_year=2024)
    level = CompetenceLevel.objects.create(
        competence=Competence.objects.create(speciality=spec, code="C1", short_name="S", name="S"), level=2,
        label="N2")
    s3 = Semester.objects.create(programme=programme, number=3)
    s4 = Semester.objects.create(programme=programme, number=4)
    UE.objects.create(semester=s3, code="UE3.1", competence_level=level, ects=Decimal(4))
    UE.objects.create(semester=s4, code="UE4.1", competence_level=level, ects=Decimal(4))
    year = AcademicYear.objects.create(start_year=2024)
    SemesterInstance.objects.create(semester=s3, academic_year=year)
    instance = SemesterInstance.objects.create(semester=s4, academic_year=year)
    student = Student.objects.create(ine="J1", last_name="Jury", first_name="Test")
    return Enrolment.objects.create(student=student, semester_instance=instance)  # the year jury's enrolment


@pytest.fixture
def jury_user(db):
    return User.objects.create_user(username="president", password="pw")


def test_r19_a_decision_is_dated_and_signed(enrolment, jury_user):
    decision = decision_record(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1", code="AJ", user=jury_user)
    assert decision.user == jury_user and decision.at is not None and decision.supersedes is None


def test_r19_a_later_decision_supersedes_the_earlier_one_which_stays(enrolment, jury_user):
    first = decision_record(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1", code="AJ", user=jury_user)
    second = decision_record(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1", code="ADJ",
                             reason="Stage remarquable", user=jury_user)
    first.refresh_from_db()
    assert first.code == "AJ"  # unchanged
    assert second.supersedes == first and first.superseded_by == second
    assert current_decision(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1") == second
    assert [d.code for d in decision_history(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1")] == [
        "ADJ", "AJ"]
    assert JuryDecision.objects.count() == 2


def test_r19_only_the_decision_in_force_reaches_the_engine(enrolment, jury_user):
    decision_record(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1", code="ADJ", reason="Motif",
                    user=jury_user)
    decision_record(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1", code="AJ", user=jury_user)
    cohort = load_cohort(semester_instance=enrolment.semester_instance)
    (student,) = cohort.students
    assert dict(student.passages[0].jury) == {"UE3.1": "AJ"}
    assert compute(cohort).students[student.id].ues["UE3.1"].decision == "AJ"


@pytest.mark.parametrize("code", ["ADJ", "PAS1NCI", "RAT", "ATJ", "EXCLU", "ABL"])
def test_r16_a_jury_decision_without_a_reason_is_refused(enrolment, jury_user, code):
    level = JuryLevel.UE if code == "ADJ" else JuryLevel.YEAR
    with pytest.raises(ValidationError) as raised:
        decision_record(enrolment=enrolment, level=level, subject="2", code=code, user=jury_user, reason="  ")
    assert raised.value.messages == [ERROR_REASON_REQUIRED.format(code=code)]
    assert not JuryDecision.objects.exists()


@pytest.mark.parametrize("level, code", [(JuryLevel.RCUE, "CMP"), (JuryLevel.UE, "PASD"), (JuryLevel.RCUE, "RED")])
def test_r16_a_code_foreign_to_its_level_is_refused(enrolment, jury_user, level, code):
    with pytest.raises(ValidationError) as raised:
        decision_record(enrolment=enrolment, level=level, subject="C1-2", code=code, user=jury_user)
    assert raised.value.messages == [ERROR_CODE_NOT_ALLOWED.format(
        code=code, level=dict(JuryLevel.choices())[level])]


def test_r19_an_unsigned_decision_is_refused(enrolment):
    with pytest.raises(ValidationError):
        decision_record(enrolment=enrolment, level=JuryLevel.UE, subject="UE3.1", code="AJ", user=None)


@pytest.mark.parametrize("level,subject", [(JuryLevel.RCUE, "C1-2"), (JuryLevel.YEAR, "2")])
def test_r13_an_rcue_or_year_decision_on_an_odd_semester_is_refused(enrolment, jury_user, level, subject):
    s3 = SemesterInstance.objects.get(semester__number=3)
    odd = Enrolment.objects.create(student=enrolment.student, semester_instance=s3)
    with pytest.raises(ValidationError) as raised:
        decision_record(enrolment=odd, level=level, subject=subject, code="ADJ", user=jury_user, reason="jury")
    assert raised.value.messages == [ERROR_ODD_JURY.format(number=3, level=level_label(level))]
    assert decision_record(enrolment=odd, level=JuryLevel.UE, subject="UE3.1", code="ATT", user=jury_user,
                           reason="justificatif attendu").code == "ATT"  # a UE may be deferred there

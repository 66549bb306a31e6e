"""The loaders build the engine input in a fixed number of queries, whatever the cohort size."""
from decimal import Decimal

import pytest

from curriculum.models import (
    UE,
    Competence,
    CompetenceLevel,
    Modality,
    Module,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.engine.types import GradeValue
from grading.loaders import load_cohort
from grading.models import (
    AcademicYear,
    Bonus,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    JuryDecision,
    SemesterInstance,
    Student,
)

LOADER_QUERIES = 11


def make_year(n_students: int):
    spec = Speciality.objects.create(code="GMPT", name="GMP test")
    mpi = Parcours.objects.create(speciality=spec, code="MPI", name="MPI")
    programme = Programme.objects.create(code="t", title="t", iut="IUT", speciality=spec, parcours=mpi,
                                         modality=Modality.INITIAL, first_year=2024)
    c1 = Competence.objects.create(speciality=spec, code="C1", short_name="Spécifier", name="Spécifier")
    c1_1 = CompetenceLevel.objects.create(competence=c1, level=1, label="N1")
    c1_2 = CompetenceLevel.objects.create(competence=c1, level=2, label="N2")
    s1 = Semester.objects.create(programme=programme, number=1)
    s3 = Semester.objects.create(programme=programme, number=3)
    ue11 = UE.objects.create(semester=s1, code="UE1.1", competence_level=c1_1, ects=Decimal("6"))
    ue31 = UE.objects.create(semester=s3, code="UE3.1", competence_level=c1_2, ects=Decimal("4"),
                             rcue_coefficient=Decimal("2"))
    ue31.parcours.add(mpi)
    r301 = Module.objects.create(semester=s3, code="R3.01", title="Mécanique", kind="resource")
    ModuleUE.objects.create(module=r301, ue=ue31, coefficient=Decimal("2.5"))
    sae = Module.objects.create(semester=s3, code="SAE3.01", title="SAÉ", kind="sae")
    ModuleUE.objects.create(module=sae, ue=ue31, coefficient=None)  # not given by the source
    y23, y24 = AcademicYear.objects.create(start_year=2023), AcademicYear.objects.create(start_year=2024)
    earlier = SemesterInstance.objects.create(semester=s3, academic_year=y23)
    instance = SemesterInstance.objects.create(semester=s3, academic_year=y24)
    ev1 = Evaluation.objects.create(semester_instance=instance, module=r301, title="DS", coefficient=Decimal("2"),
                                    max_score=Decimal("40"), is_immediate=True)
    EvaluationWeight.objects.create(evaluation=ev1, ue=ue31, weight=Decimal("0.5"))
    ev0 = Evaluation.objects.create(semester_instance=earlier, module=r301, title="DS 2023")
    students = []
    for i in range(n_students):
        student = Student.objects.create(ine=f"INE{i:05d}", last_name=f"Nom{i}", first_name="P")
        if i == 0:
            old = Enrolment.objects.create(student=student, semester_instance=earlier, parcours=mpi)
            Grade.objects.create(evaluation=ev0, enrolment=old, value=Decimal("7"))
            ExternalValidation.objects.create(student=student, ue=ue11, code="ADM", average=Decimal("12.5"))
        enrolment = Enrolment.objects.create(student=student, semester_instance=instance, parcours=mpi,
                                             is_repeat=i == 0,
                                             status=EnrolmentStatus.DEM if i == 1 else EnrolmentStatus.ENROLLED)
        Grade.objects.create(evaluation=ev1, enrolment=enrolment, value=Decimal(20 + i % 20), max_score=Decimal("40"))
        if i == 0:
            Bonus.objects.create(enrolment=enrolment, percent=Decimal("2.5"))
            first = JuryDecision.objects.create(enrolment=enrolment, level=JuryLevel.RCUE, subject="C1-2", code="AJ")
            JuryDecision.objects.create(enrolment=enrolment, level=JuryLevel.RCUE, subject="C1-2", code="ADJ",
                                        supersedes=first)
            JuryDecision.objects.create(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code="PAS1NCI")
        students.append(student)
    return instance, earlier, students, ev1


@pytest.mark.django_db
@pytest.mark.parametrize("n_students", [3, 40])
def test_it_loads_a_cohort_in_a_fixed_number_of_queries(django_assert_num_queries, n_students):
    instance, *_ = make_year(n_students)
    with django_assert_num_queries(LOADER_QUERIES):
        cohort = load_cohort(semester_instance=instance)
    assert len(cohort.students) == n_students


@pytest.mark.django_db
def test_it_gives_the_engine_every_figure_of_the_path():
    instance, earlier, students, ev1 = make_year(3)
    cohort = load_cohort(semester_instance=instance)
    first = next(s for s in cohort.students if s.id == students[0].id)
    assert [p.run for p in first.passages] == [earlier.id, instance.id]  # path in chronological order
    assert first.parcours == "MPI"
    assert first.passages[1].bonus == Decimal("2.5")
    # Only the current decision of a subject is loaded; the year decision uses the engine's key.
    assert dict(first.passages[1].jury) == {"C1-2": "ADJ", "year": "PAS1NCI"}
    assert first.prior["UE1.1"].code == "ADM" and first.prior["UE1.1"].average == Decimal("12.5")
    second = next(s for s in cohort.students if s.id == students[1].id)
    assert second.status == EnrolmentStatus.DEM

    run = cohort.runs[instance.id]
    assert run.semester == 3
    assert run.enrolled == frozenset({students[0].id, students[2].id})  # DEM does not count for R2
    assert run.enrolled_parcours == {students[0].id: "MPI", students[2].id: "MPI"}
    (evaluation,) = run.evaluations
    assert evaluation.id == ev1.id and evaluation.module == "R3.01"
    assert evaluation.coef == Decimal("2") and evaluation.max == Decimal("40") and evaluation.immediate
    assert evaluation.weights == {"UE3.1": Decimal("0.5")}
    assert run.grades[students[2].id][ev1.id] == GradeValue(value=Decimal("22"), code=None)

    ue31 = cohort.ues["UE3.1"]
    assert (ue31.semester, ue31.competence, ue31.level, ue31.ects, ue31.rcue_coef) == (
        3, "C1", 2, Decimal("4"), Decimal("2"))
    assert ue31.parcours == frozenset({"MPI"})
    assert cohort.ues["UE1.1"].ects == Decimal("6")
    # An unknown coefficient (null in the source) is left out of the matrix, never read as 0.
    assert cohort.modules["R3.01"].coefficients == {"UE3.1": Decimal("2.5")}
    assert cohort.modules["SAE3.01"].coefficients == {}

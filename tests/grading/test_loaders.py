"""The loaders build the engine input in a fixed number of queries, whatever the cohort size."""
from dataclasses import replace
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
from grading.engine import compute
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.engine.scores import modules_taken, r2_index_run
from grading.engine.types import GradeValue
from grading.loaders import load_cohort, load_students
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
from grading.services.enrolments import enrolment_update
from grading.services.errors import GradeConflict
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set, grades_import

LOADER_QUERIES = 12  # with the department's attendance rule (R20; off: nothing more is read)


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


# ---------------------------------------------------------------- R2 from counts, cached per instance version

PAGE_QUERIES = 12  # a few students of a larger semester, R2 counts cached (and the R20 rule, off)
PAGE_QUERIES_COLD = PAGE_QUERIES + 2  # the two aggregate counts, once per instance version


def r2_semester(make_semester_instance, users):
    """Four students (two MPI, one CAI, one DEM), a module only CAI takes, and six evaluations:

    E1 every grade → counts; E2 one missing → waits; E3 (CAI's module) only the CAI student graded → counts;
    E4 immediate with a missing grade → never waits; E5 an EXC, the DEM student missing → counts;
    E6 a grade row emptied since → waits.
    """
    instance = make_semester_instance(students=4)
    semester = instance.semester
    cai = Parcours.objects.create(speciality=semester.programme.speciality, code="CAI", name="CAI")
    level = UE.objects.filter(semester=semester).first().competence_level
    ue_cai = UE.objects.create(semester=semester, code="UE1.9", order=9, competence_level=level, ects=Decimal("3"))
    ue_cai.parcours.add(cai)
    cai_module = Module.objects.create(semester=semester, code="R1.09CAI", title="CAI", kind="resource")
    ModuleUE.objects.create(module=cai_module, ue=ue_cai, coefficient=Decimal("1"))
    common = semester.modules.get(code="R1.01")
    mpi1, mpi2, cai_student, dem = enrolments = list(Enrolment.objects.filter(semester_instance=instance)
                                                     .order_by("id"))
    enrolment_update(enrolment=cai_student, parcours=cai, status=EnrolmentStatus.ENROLLED,
                              is_repeat=False, groups=[])
    enrolment_update(enrolment=dem, parcours=dem.parcours, status=EnrolmentStatus.DEM, is_repeat=False,
                              groups=[])

    def evaluation(title, module=common, **flags):
        return evaluation_create(semester_instance=instance, module=module, title=title, **flags)

    e1, e2, e3, e4, e5, e6 = (evaluation("E1"), evaluation("E2"), evaluation("E3", module=cai_module),
                              evaluation("E4", is_immediate=True), evaluation("E5"), evaluation("E6"))
    user = users["secretariat"]

    def grades(ev, values):
        for enrolment, raw in zip(enrolments, values, strict=True):
            if raw is not None:
                grade_set(evaluation=ev, enrolment=enrolment, raw=raw, user=user)

    grades(e1, ["10", "11", "12", "13"])
    grades(e2, ["10", None, "12", "13"])
    grades(e3, [None, None, "15", None])
    grades(e4, ["10", None, None, None])
    grades(e5, ["EXC", "abs", "9", None])
    grades(e6, ["10", "11", "12", "13"])
    grades(e6, [None, "", None, None])  # emptied: the row stays, with nothing entered
    return instance, enrolments, (e1, e2, e3, e4, e5, e6)


def engine_complete(cohort, instance_id) -> frozenset:
    """What the engine decides on its own from everyone's grades (the loaders' counts set aside)."""
    run = replace(cohort.runs[instance_id], complete=None)
    taken = {s.id: modules_taken(cohort.modules, cohort.ues, s.parcours) for s in cohort.students}
    return r2_index_run(run, taken).complete


@pytest.mark.django_db
def test_r2_from_counts_agrees_with_the_engine_reading_everyones_grades(make_semester_instance, users):
    instance, enrolments, (e1, e2, e3, e4, e5, e6) = r2_semester(make_semester_instance, users)
    whole = load_cohort(semester_instance=instance)  # every enrolment loaded: counted from the grades
    one = load_students(student_ids=[enrolments[0].student_id])  # one student: from the database's counts
    assert whole.runs[instance.pk].complete == {e1.pk, e3.pk, e5.pk}
    assert one.runs[instance.pk].complete == {e1.pk, e3.pk, e5.pk}
    assert engine_complete(whole, instance.pk) == {e1.pk, e3.pk, e5.pk}
    assert set(one.runs[instance.pk].grades) == {enrolments[0].student_id}  # nobody else's grades were read
    result = compute(one)
    assert result.incomplete_evaluations[instance.pk] == (e2.pk, e6.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("n_students", [3, 40])
def test_a_page_about_one_student_costs_the_same_queries_whatever_the_semester_size(
        django_assert_num_queries, n_students):
    instance, _, students, _ = make_year(n_students)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        cohort = load_students(student_ids=[students[2].id])
    with django_assert_num_queries(PAGE_QUERIES):
        again = load_students(student_ids=[students[2].id])
    assert again.runs[instance.pk].complete == cohort.runs[instance.pk].complete
    assert [s.id for s in cohort.students] == [students[2].id]


@pytest.mark.django_db
def test_every_write_through_the_services_gives_new_counts(make_semester_instance, users):
    instance, enrolments, (e1, e2, *_) = r2_semester(make_semester_instance, users)
    student = [enrolments[0].student_id]

    def complete():
        return load_students(student_ids=student).runs[instance.pk].complete

    assert e2.pk not in complete()
    grade_set(evaluation=e2, enrolment=enrolments[1], raw="8", user=users["secretariat"])
    assert e2.pk in complete()  # a grid save
    grades_import(evaluation=e1, rows=[(enrolments[1].pk, "")], user=users["secretariat"], filename="x")
    assert e1.pk not in complete()  # an import that empties a cell
    enrolment_update(enrolment=enrolments[1], parcours=enrolments[1].parcours,
                              status=EnrolmentStatus.DEF, is_repeat=False, groups=[])
    assert e1.pk in complete()  # the student who had no grade left


@pytest.mark.django_db
def test_an_enrolment_saved_outside_the_services_gives_new_counts(make_semester_instance, users):
    """The admin saves an Enrolment model directly: its signal bumps the version too."""
    instance, enrolments, (e1, e2, *_) = r2_semester(make_semester_instance, users)
    student = [enrolments[0].student_id]
    assert e2.pk not in load_students(student_ids=student).runs[instance.pk].complete
    missing = enrolments[1]
    missing.status = EnrolmentStatus.DEM
    missing.save()
    assert e2.pk in load_students(student_ids=student).runs[instance.pk].complete


@pytest.mark.django_db
def test_a_refused_write_leaves_the_cached_counts_valid(make_semester_instance, users):
    instance, enrolments, (e1, *_) = r2_semester(make_semester_instance, users)
    version = SemesterInstance.objects.get(pk=instance.pk).results_version
    with pytest.raises(GradeConflict):
        grade_set(evaluation=e1, enrolment=enrolments[0], raw="3", expected_version=0,
                           user=users["secretariat"])
    assert SemesterInstance.objects.get(pk=instance.pk).results_version == version  # rolled back with the write

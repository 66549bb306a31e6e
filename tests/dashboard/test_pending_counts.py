"""The home pages' counts of missing grades (grading.selectors.pending) agree with R2 as the semester page reads it
(grading.selectors.missing.waiting_evaluations, from the whole cohort through the engine)."""
import pytest

from curriculum.models import UE, Parcours
from demo.jury_promotion import make_promotion
from grading.models import Enrolment, Evaluation, SemesterInstance
from grading.selectors.missing import waiting_evaluations
from grading.selectors.pending import pending_evaluations
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from tests import worlds


def incomplete_by_page(instance) -> dict[int, int]:
    return {w.evaluation.pk: w.count for w in waiting_evaluations(semester_instance=instance)}


def incomplete_by_home(instances) -> dict[int, dict[int, int]]:
    found = pending_evaluations(instances=SemesterInstance.objects.named().filter(pk__in=[i.pk for i in instances]))
    return {i: {p.evaluation.pk: p.missing for p in items if p.incomplete} for i, items in found.items()}


@pytest.mark.django_db
def test_a_promotion_with_a_student_who_left_an_att_and_a_missing_grade():
    promotion = make_promotion(students=12, seed=3, left=1, att=1, missing=2, repeaters=1)
    home = incomplete_by_home([promotion.s3, promotion.s4])
    page = {i.pk: incomplete_by_page(i) for i in (promotion.s3, promotion.s4)}
    assert home == page
    assert sum(len(v) for v in home.values()) >= 1  # the missing grades make some evaluation incomplete


@pytest.mark.django_db
def test_a_module_of_one_parcours_waits_only_for_its_students(users):
    """R3.02 feeds a UE of the MPI parcours only: the CAI students never hold it back."""
    levels = worlds.reference(competences={"C1": ("C1", "C1"), "C2": ("C2", "C2")}, levels=(2,))["levels"]
    programme = worlds.build_programme({3: {
        "modules": {"R3.01": "resource", "R3.02": "resource"},
        "ues": [("UE3.1", "C1", 2, 15, [("R3.01", 2, worlds.NO_HOURS)]),
                ("UE3.2", "C2", 2, 15, [("R3.01", 1, worlds.NO_HOURS), ("R3.02", 3, worlds.NO_HOURS)])]}},
        levels=levels, code="prog-parcours")
    mpi = programme.parcours
    cai = Parcours.objects.create(speciality=programme.speciality, code="CAI", name="Conception")
    UE.objects.get(semester__programme=programme, code="UE3.2").parcours.add(mpi)
    instance = worlds.semester_instance(programme=programme, number=3, students=5, start_year=2026)
    enrolments = list(Enrolment.objects.filter(semester_instance=instance).order_by("id"))
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments[3:]]).update(parcours=cai)
    r301, r302 = instance.semester.modules.order_by("code")
    everyone = evaluation_create(semester_instance=instance, module=r301, title="DS")
    mpi_only = evaluation_create(semester_instance=instance, module=r302, title="TP")
    half = evaluation_create(semester_instance=instance, module=r302, title="TP2")
    secretary = users["secretariat"]
    grades_import(evaluation=everyone, user=secretary, filename="x", rows=[(e.pk, "10") for e in enrolments[:4]])
    grades_import(evaluation=mpi_only, user=secretary, filename="x", rows=[(e.pk, "11") for e in enrolments[:3]])
    grades_import(evaluation=half, user=secretary, filename="x", rows=[(e.pk, "12") for e in enrolments[:1]])
    home = incomplete_by_home([instance])[instance.pk]
    assert home == incomplete_by_page(instance)
    assert home == {everyone.pk: 1, half.pk: 2}  # TP waits for nobody: the CAI students do not take R3.02
    assert Evaluation.objects.filter(semester_instance=instance).count() == 3

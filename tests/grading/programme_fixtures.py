"""A small graded cohort on a programme of its own, for the programme-editing tests (import the fixtures).

S1 of a `make_programme` programme: UE1.1 and UE1.2 (15 ECTS each), R1.01 and R1.02 with coefficient 2 in
both UEs; one evaluation per module; four students whose R1.01 / R1.02 grades are GRADES.
"""
from decimal import Decimal

import pytest

from grading.engine import compute
from grading.loaders import load_cohort
from grading.selectors.grade_entry import enrolments
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set

GRADES = [("14", "7"), ("8", "12"), ("12", "9"), ("6", "15")]


@pytest.fixture
def cohort(users, make_semester_instance):
    instance = make_semester_instance(students=len(GRADES))
    modules = list(instance.semester.modules.order_by("code"))
    evaluations = [evaluation_create(semester_instance=instance, module=m, title=f"DS {m.code}",
                                              coefficient=Decimal("1")) for m in modules]
    for enrolment, grades in zip(enrolments(semester_instance=instance), GRADES, strict=True):
        for evaluation, raw in zip(evaluations, grades, strict=True):
            grade_set(evaluation=evaluation, enrolment=enrolment, raw=raw, user=users["secretariat"])
    return instance


def outcomes(instance) -> dict:
    """Return each student's UE codes in the instance and proposed year decision, as the engine gives them now."""
    result = compute(load_cohort(semester_instance=instance))
    year = (instance.semester.number + 1) // 2
    return {sid: ({code: ue.decision for p in r.passages if p.run == instance.pk for code, ue in p.ues.items()},
                  r.year_proposals.get(year)) for sid, r in result.students.items()}


def results(instance) -> dict:
    """Return every UE average and code of every student of the instance (to compare two states)."""
    result = compute(load_cohort(semester_instance=instance))
    return {sid: sorted((p.run, code, ue.average, ue.decision) for p in r.passages for code, ue in p.ues.items())
            for sid, r in result.students.items()}

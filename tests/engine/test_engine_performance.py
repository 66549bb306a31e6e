"""A cohort of 500 students × 10 UEs × 40 evaluations: every student gets a year decision.

Its time is a benchmark (`bench/`, "engine alone, synthetic"), never a test: tests may pin query counts, never
seconds.
"""
import random
from decimal import Decimal

from grading.engine import compute
from grading.engine.types import (
    CohortInput,
    EvaluationDef,
    GradeValue,
    ModuleDef,
    Passage,
    SemesterRun,
    StudentInput,
    UEDef,
)


def big_cohort(students=500) -> CohortInput:
    """Return S1–S2, 5 competences (10 UEs), 20 modules and 20 evaluations per semester, every grade entered."""
    rng = random.Random(7)
    ues = {f"UE{s}.{i}": UEDef(f"UE{s}.{i}", s, f"C{i}", 1, Decimal(6)) for s in (1, 2) for i in range(1, 6)}
    modules, evaluations = {}, {1: [], 2: []}
    for s in (1, 2):
        for m in range(20):
            code = f"M{s}.{m:02}"
            modules[code] = ModuleDef(code, s, "resource",
                                      {f"UE{s}.{i}": Decimal(1 + (m + i) % 3) for i in range(1, 6) if (m + i) % 2})
            evaluations[s].append(EvaluationDef(id=f"E{s}.{m:02}", module=code))
    ids = range(students)
    runs = {
        s: SemesterRun(key=s, semester=s, evaluations=tuple(evaluations[s]), enrolled=frozenset(ids),
                       grades={i: {e.id: GradeValue(value=Decimal(rng.randint(0, 2000)) / 100) for e in evaluations[s]}
                               for i in ids})
        for s in (1, 2)
    }
    return CohortInput(ues=ues, modules=modules, runs=runs, students=tuple(
        StudentInput(id=i, passages=(Passage(run=1, semester=1), Passage(run=2, semester=2))) for i in ids))


def test_a_cohort_of_500_students_gets_a_year_decision_each():
    result = compute(big_cohort())
    assert len(result.students) == 500
    assert all(s.years[1] in {"ADM", "PASD", "RED"} for s in result.students.values())
    assert result.incomplete_evaluations == {1: (), 2: ()}  # every grade entered: every evaluation counts

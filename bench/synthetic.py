"""The engine alone on a synthetic cohort (no database): the figure tests/engine/test_engine_performance.py used to
assert in seconds (500 students under 2.5 s), now a benchmark line.

500 students, S1–S2, 5 competences (10 UEs), 20 modules and 20 evaluations per semester, every grade entered.
"""
import random
from decimal import Decimal

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

FORMER_LIMIT = 2.5  # seconds, the assertion the test used to make


def big_cohort(students: int = 500) -> CohortInput:
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

"""What the engine says about a jury's scope, as the report shows it: cached per results versions.

The report's figures (UE and RCUE cells, ECTS, the year proposal) and R2's reading (which evaluations are incomplete,
whom they hold back) come from the whole year's cohort and the engine: the costly part of the report. They are
computed once per results version of every instance the scope's students followed (`grading.cache_versions`), so a
grade, an evaluation, an enrolment, a bonus, a validation or a jury decision anywhere on their paths gives a new
key. Names, groups and the decisions in force are read fresh by every report (`jury.report`).
"""
from dataclasses import dataclass, replace
from decimal import Decimal

from grading.cache_versions import cached_for_paths
from grading.engine import compute
from grading.engine.compute import cyclic_gc_paused
from grading.engine.types import CohortInput, CohortResult
from grading.loaders import load_year
from grading.selectors.missing import concerned_in_cohort, missing_in_cohort
from jury.cells import Cell, rcue_cell, ue_cell
from jury.scope import Scope


@dataclass(frozen=True)
class StudentFigures:
    ues: dict[str, Cell]  # UE code -> cell, the scope's UEs in the report's order
    rcues: dict[str, Cell]  # RCUE key -> cell, the year's when the jury decides it
    ects_year: Decimal
    ects_total: Decimal
    proposal: str | None  # the year proposal when the jury decides the year (R16)
    dut: bool = False  # R18: the DUT within reach (the engine's, as of the scope)
    but: bool = False  # R18: the BUT within reach


@dataclass(frozen=True)
class ScopeFigures:
    students: dict[int, StudentFigures]  # student id -> figures
    missing: dict[int, list[int]]  # incomplete evaluation id -> the students it waits for (R2)
    concerned: frozenset[int]  # students an incomplete evaluation holds back (R2)


def run_engine(cohort: CohortInput, *, explain: bool) -> CohortResult:
    """Compute with the engine, asking for the explanations only when they are shown (the student's sheet)."""
    return compute(cohort, explain=explain)


def as_of_scope(cohort: CohortInput, scope: Scope, statuses: dict) -> CohortInput:
    """Cut every path after its last passage in the scope; the status is the one in the scope (R16)."""
    ids = set(scope.ids)
    students = []
    for student in cohort.students:
        last = max((i for i, p in enumerate(student.passages) if p.run in ids), default=None)
        if last is None:
            continue
        students.append(replace(student, passages=student.passages[:last + 1],
                                status=statuses.get(student.id, student.status)))
    return replace(cohort, students=tuple(students))


def scope_figures(*, scope: Scope, statuses: dict[int, str], ue_codes: list[str]) -> ScopeFigures:
    """Return the engine's figures of the scope's students (each path cut after the scope, with the status it
    has there: `statuses`), from the cache when nothing on their paths changed since."""
    return cached_for_paths(f"jury-{scope.kind}", scope.ids, lambda: _compute(scope, statuses, ue_codes))


def _compute(scope: Scope, statuses: dict[int, str], ue_codes: list[str]) -> ScopeFigures:
    cohort = as_of_scope(load_year(semester_instances=list(scope.instances)), scope, statuses)
    with cyclic_gc_paused():  # as grading.selectors.live_results runs the engine
        result = run_engine(cohort, explain=False)
    missing = missing_in_cohort(cohort, scope.ids)
    return ScopeFigures(students=_students(scope, result, ue_codes), missing=missing,
                        concerned=frozenset(concerned_in_cohort(cohort, list(missing), scope.ids)))


def _students(scope: Scope, result: CohortResult, ue_codes: list[str]) -> dict[int, StudentFigures]:
    numbers = set(scope.numbers) | ({2 * scope.year - 1, 2 * scope.year} if scope.decides_year else set())
    figures = {}
    for student_id, student in result.students.items():
        figures[student_id] = StudentFigures(
            ues={code: ue_cell(student.ues[code]) for code in ue_codes if code in student.ues},
            rcues={key: rcue_cell(rcue) for key, rcue in student.rcues.items()
                   if scope.decides_year and rcue.year == scope.year},
            ects_year=sum((ue.ects for ue in student.ues.values() if ue.semester in numbers), Decimal(0)),
            ects_total=student.ects,
            proposal=student.year_proposals.get(scope.year) if scope.decides_year else None,
            dut=student.dut_eligible, but=student.but_eligible,
        )
    return figures

"""Engine-backed reads: the averages the staff pages show, computed for the students they show only.

A page about a group or a student loads and computes them (their paths), not the semester: R2 comes from the
cached counts of `grading.grade_counts`. A page about the whole semester (results, a grid without a group
filter) reads the whole instance's results from the cache, computed once per results version
(`grading.cache_versions`). Nothing is stored in the database; the figures are shown the French way
(`grading.engine.rounding.fmt` with a decimal comma).
"""
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from grading.cache_versions import cached_for_paths, paths_key
from grading.engine import compute
from grading.engine.compute import cyclic_gc_paused
from grading.engine.rounding import fmt
from grading.engine.types import StudentInput
from grading.loaders import load_students
from grading.models import Enrolment, SemesterInstance

logger = logging.getLogger(__name__)

ENGINE_FAILED = "Les moyennes n'ont pas pu être calculées : {error}"


@dataclass
class LiveResults:
    """The engine's averages of some students in one semester instance, shown, never stored."""

    available: bool
    ue_codes: list[str] = field(default_factory=list)
    # student id -> UE code -> (shown average, decision)
    ues: dict[int, dict[str, tuple[str | None, str | None]]] = field(default_factory=dict)
    # student id -> UE code -> module code -> shown module average
    modules: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    incomplete: set[int] = field(default_factory=set)  # evaluation ids (R2)
    error: str = ""

    @property
    def incomplete_ids(self) -> str:
        """The incomplete evaluations' ids, sorted, comma-separated (the grid compares them after a save)."""
        return ",".join(str(pk) for pk in sorted(self.incomplete))


def live_results(*, semester_instance: SemesterInstance, student_ids: Iterable[int] | None = None,
                 averages_only: bool = False) -> LiveResults:
    """Compute the module and UE averages of the given students, or of every student of the instance (None).

    The whole instance's results are cached (see `grading.cache_versions`) under the results versions of every instance
    on its students' paths; a few students' results are computed afresh, at the cost of those students only. With
    `averages_only` (a grid), their paths are walked up to this semester only: its averages are final there, its
    decisions may wait for a later jury (not shown then).
    """
    if student_ids is not None:
        return _compute(semester_instance, list(student_ids), averages_only=averages_only)
    return cached_for_paths("live", [semester_instance.pk], lambda: _compute(
        semester_instance, Enrolment.objects.filter(semester_instance=semester_instance).values("student_id")),
        keep=lambda live: live.available)


def whole_key(semester_instance: SemesterInstance) -> str:
    """Return the cache key of an instance's whole results (see `grading.cache_versions.paths_key`)."""
    return paths_key("live", [semester_instance.pk])


def _compute(semester_instance: SemesterInstance, student_ids, averages_only: bool = False) -> LiveResults:
    try:
        cohort = load_students(student_ids=student_ids)
        if averages_only:
            cohort = replace(cohort, students=tuple(_up_to(student, semester_instance.pk)
                                                    for student in cohort.students))
        with cyclic_gc_paused():
            result = compute(cohort, explain=False)
    except Exception as exc:  # grade entry must go on even if the engine refuses the data: show why, log it
        logger.exception("Engine failed on %s", semester_instance)
        return LiveResults(available=False, error=ENGINE_FAILED.format(error=exc))
    live = LiveResults(available=True)
    codes = set()
    for student_id, student in result.students.items():
        for passage in student.passages:
            if passage.run != semester_instance.pk:
                continue
            ues = live.ues.setdefault(student_id, {})
            modules = live.modules.setdefault(student_id, {})
            for code, ue in passage.ues.items():
                codes.add(code)
                ues[code] = (fmt(ue.average, ","), ue.decision)
                modules[code] = {m: fmt(avg, ",") for m, avg in ue.module_averages.items()}
    live.ue_codes = [code for code in cohort.ues if code in codes]  # programme order (semester, order, code)
    live.incomplete = set(result.incomplete_evaluations.get(semester_instance.pk, ()))
    return live


def _up_to(student: StudentInput, run) -> StudentInput:
    """Return the student's path up to their (last) passage through the run."""
    last = max((i for i, passage in enumerate(student.passages) if passage.run == run), default=None)
    return student if last is None else replace(student, passages=student.passages[:last + 1])


def module_averages(*, live: LiveResults, student_id: int, module_code: str, ue_codes: list[str]
                    ) -> list[tuple[str, str | None]]:
    """Return (UE code, shown average of the module towards it) for each UE, as the grids show them."""
    per_ue = live.modules.get(student_id, {})
    return [(code, per_ue.get(code, {}).get(module_code)) for code in ue_codes]

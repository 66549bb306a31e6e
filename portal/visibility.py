"""Publication gating: feed the engine only what staff have published.

A student's averages come from published evaluations only; codes, ECTS and year decisions come from the
engine run on the path cut after the last semester whose jury decisions are published, with those published
decisions only. Nothing computed from an unpublished grade or a provisional proposal reaches a student. Where a
closed jury's decisions are published, its record is what students read (`records`, `portal.recorded`): the figures
of the PV, never a recomputation.
"""
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace

from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.engine.types import CohortInput, SemesterRun, StudentInput
from grading.loaders import YEAR_SUBJECT
from grading.models import Evaluation, JuryDecision, SemesterInstance
from grading.selectors.jury_records import published_records


@dataclass(frozen=True)
class Published:
    """What staff have published for some students: evaluations, decided semesters and their decisions."""

    evaluation_ids: frozenset
    decided_runs: frozenset  # semester instances with a published jury
    decisions: dict  # enrolment id -> subject (UE code, RCUE key, YEAR_SUBJECT) -> code
    # (student id, semester instance id) -> the published jury's record of that student (PublishedRecord)
    records: dict = field(default_factory=dict)


def load_published(*, enrolment_ids: Iterable[int], run_ids: Iterable[int], student_ids: Iterable[int] = ()
                   ) -> Published:
    """Return what is published on these enrolments and semester instances, and the published juries' records of
    these students (five queries)."""
    run_ids = list(run_ids)
    evaluation_ids = frozenset(Evaluation.objects.filter(semester_instance_id__in=run_ids, is_published=True)
                               .values_list("id", flat=True))
    decided = frozenset(SemesterInstance.objects.filter(id__in=run_ids, jury_sessions__published_at__isnull=False)
                        .values_list("id", flat=True))
    decisions: dict = {}
    # The latest decision of a published jury on each subject: a later unpublished one stays hidden (R19).
    for enrolment_id, level, subject, code in (
            JuryDecision.objects.filter(enrolment_id__in=list(enrolment_ids), session__published_at__isnull=False)
            .order_by("at", "id").values_list("enrolment_id", "level", "subject", "code")):
        decisions.setdefault(enrolment_id, {})[YEAR_SUBJECT if level == JuryLevel.YEAR else subject] = code
    records = published_records(student_ids=student_ids) if student_ids else {}
    return Published(evaluation_ids=evaluation_ids, decided_runs=decided, decisions=decisions, records=records)


def published_runs(cohort: CohortInput, published: Published) -> dict[Hashable, SemesterRun]:
    """Return the cohort's runs holding only published evaluations and their grades."""
    keep = published.evaluation_ids
    return {
        key: replace(run, evaluations=tuple(ev for ev in run.evaluations if ev.id in keep),
                     grades={student: {ev: g for ev, g in per_eval.items() if ev in keep}
                             for student, per_eval in run.grades.items()})
        for key, run in cohort.runs.items()
    }


def published_input(cohort: CohortInput, published: Published, *, enrolment_of: dict) -> CohortInput:
    """Return the engine input students may see: published evaluations, published jury decisions.

    `enrolment_of` maps (student id, run key) to the enrolment id the decisions hang on.
    """
    students = tuple(
        replace(s, passages=tuple(replace(p, jury=published.decisions.get(enrolment_of[(s.id, p.run)], {}))
                                  for p in s.passages))
        for s in cohort.students
    )
    return replace(cohort, runs=published_runs(cohort, published), students=students)


def decided_prefix(student: StudentInput, decided_runs: frozenset, *, status_of: dict) -> StudentInput:
    """Cut a student's path after the last passage whose jury is published.

    The engine then decides nothing a later, unpublished jury would decide (no provisional compensation, no
    year proposal, no status decision of a later enrolment). `status_of` maps (student id, run) to the status.
    """
    last = max((i for i, p in enumerate(student.passages) if p.run in decided_runs), default=-1)
    passages = student.passages[:last + 1]
    status = status_of.get((student.id, passages[-1].run), EnrolmentStatus.ENROLLED) if passages else \
        EnrolmentStatus.ENROLLED
    return replace(student, passages=passages, status=status)

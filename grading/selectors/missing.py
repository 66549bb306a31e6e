"""Who is missing (R2): which evaluations count for nobody yet, whose grades they wait for, and what a newcomer
would hold up.

An ordinary evaluation (neither immediate nor rattrapage) waits for every student enrolled and still
registered (`inscrit`: not DEM, DEF, ABAN) whose parcours takes its module. The jury report lists them as
blockers, with the action that settles them (`grading.services.missing_grades`); other pages include
`templates/grading/_incomplete_evaluations.html` with the list `incomplete_evaluations` returns.

A fixed number of queries each: the semester's cohort (`grading.loaders`), then the evaluations and enrolments
named by the engine's answer. Whom the semester's evaluations wait for is cached per results version of the
instance (`instance_missing`): a page showing it reloads no cohort while nothing changed, and reads nothing more
when nothing is missing. The rule itself is the engine's (`grading.engine.waiting`); the counts pages about a few
students use are `grading.grade_counts`.
"""
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache

from curriculum.models import Parcours
from grading.cache_versions import CACHE_FORMAT, CACHE_TIMEOUT
from grading.engine.scores import modules_taken
from grading.engine.types import CohortInput
from grading.engine.waiting import r2_newcomer_waits
from grading.loaders import load_cohort, load_year
from grading.models import Enrolment, Evaluation, SemesterInstance


@dataclass
class IncompleteEvaluation:
    evaluation: Evaluation
    missing: list[Enrolment] = field(default_factory=list)  # enrolled students without a grade, by name

    @property
    def count(self) -> int:
        return len(self.missing)


def missing_in_cohort(cohort: CohortInput, run_keys: Iterable[Hashable], *, only: Hashable | None = None,
                      immediate: bool = False) -> dict[Hashable, list[Hashable]]:
    """Return, for each incomplete evaluation of the given runs, the students it waits for (R2). Pure.

    With `only` (an evaluation id), look at that evaluation alone, immediate or not: its missing grades. With
    `immediate`, the immediate evaluations' missing grades too.
    """
    takes = _Taken(cohort)
    missing = {}
    for key in run_keys:
        run = cohort.runs.get(key)
        if run is None:
            continue
        for ev in run.evaluations:
            if ev.rattrapage or (ev.immediate and only is None and not immediate) or (only is not None
                                                                                   and ev.id != only):
                continue
            waiting = [s for s in run.enrolled
                       if takes(run.enrolled_parcours.get(s), ev.module) and not _entered(run.grades, s, ev.id)]
            if waiting:
                missing[ev.id] = waiting
    return missing


def concerned_in_cohort(cohort: CohortInput, evaluation_ids: Iterable[Hashable], run_keys: Iterable[Hashable]
                        ) -> set[Hashable]:
    """Return the students an incomplete evaluation holds back: registered and taking its module (R2). Pure."""
    wanted = set(evaluation_ids)
    takes = _Taken(cohort)
    concerned = set()
    for key in run_keys:
        run = cohort.runs.get(key)
        for ev in run.evaluations if run is not None else ():
            if ev.id in wanted:
                concerned |= {s for s in run.enrolled if takes(run.enrolled_parcours.get(s), ev.module)}
    return concerned


class _Taken:
    """Tell whether a parcours takes a module (it feeds one of the parcours' UEs), once per parcours."""

    def __init__(self, cohort: CohortInput):
        self.cohort = cohort
        self.cache: dict = {}

    def __call__(self, parcours, module) -> bool:
        if parcours not in self.cache:
            self.cache[parcours] = modules_taken(self.cohort.modules, self.cohort.ues, parcours)
        return module in self.cache[parcours]


def _entered(grades, student, evaluation_id) -> bool:
    grade = grades.get(student, {}).get(evaluation_id)
    return grade is not None and (grade.value is not None or bool(grade.code))


def incomplete_evaluations(*, semester_instances: list[SemesterInstance], cohort: CohortInput | None = None,
                           missing: dict | None = None, enrolments: Iterable[Enrolment] | None = None
                           ) -> list[IncompleteEvaluation]:
    """Return the incomplete evaluations of the instances, each with the enrolments it waits for.

    A fixed number of queries; the report passes what it holds already: the cohort or its `missing_in_cohort`
    reading, and the enrolments.
    """
    ids = [i.pk for i in semester_instances]
    if missing is None:
        missing = missing_in_cohort(cohort or load_year(semester_instances=semester_instances), ids)
    if not missing:
        return []
    if enrolments is None:  # those it waits for only (a few, not the semester)
        waiting = {s for students in missing.values() for s in students}
        enrolments = Enrolment.objects.filter(semester_instance_id__in=ids, student_id__in=waiting
                                              ).select_related("student")
    by_key = {(e.semester_instance_id, e.student_id): e for e in enrolments}
    evaluations = (Evaluation.objects.filter(pk__in=list(missing))
                   .select_related("module", "semester_instance__semester")
                   .order_by("semester_instance__semester__number", "module__code", "order", "date", "id"))
    found = []
    for evaluation in evaluations:
        waiting = [by_key[evaluation.semester_instance_id, s] for s in missing[evaluation.pk]
                   if (evaluation.semester_instance_id, s) in by_key]
        waiting.sort(key=lambda e: (e.student.last_name, e.student.first_name, e.student.ine))
        found.append(IncompleteEvaluation(evaluation=evaluation, missing=waiting))
    return found


@dataclass(frozen=True)
class InstanceMissing:
    """Whom each evaluation of an instance waits for (R2), immediate ones included (a rattrapage waits for nobody)."""

    missing: dict[int, list[int]]  # evaluation id -> student ids without a grade entered
    immediate: frozenset[int]  # the immediate evaluations among them: they hold nothing back (R2)

    @property
    def incomplete(self) -> dict[int, list[int]]:
        """The ordinary evaluations that count for nobody yet, with the students they wait for."""
        return {e: students for e, students in self.missing.items() if e not in self.immediate}


def instance_missing(*, semester_instance: SemesterInstance) -> InstanceMissing:
    """Return whom the instance's evaluations wait for, cached per results version of the instance.

    R2 in an instance depends on that instance's rows only (and the programmes, whose changes bump every version);
    `semester_instance` is read in this request: its version keys the cache.
    """
    pk = semester_instance.pk
    key = f"grading:missing:{CACHE_FORMAT}:{pk}:{semester_instance.results_version}"
    found = cache.get(key)
    if found is None:
        cohort = load_cohort(semester_instance=semester_instance)
        run = cohort.runs.get(pk)
        found = InstanceMissing(missing=missing_in_cohort(cohort, [pk], immediate=True),
                                immediate=frozenset(ev.id for ev in run.evaluations if ev.immediate)
                                if run is not None else frozenset())
        cache.set(key, found, CACHE_TIMEOUT)
    return found


def evaluation_missing(*, evaluation: Evaluation) -> list[Enrolment]:
    """Return the enrolments whose grade the evaluation still waits for (R2), by name."""
    instance = evaluation.semester_instance
    students = instance_missing(semester_instance=instance).missing.get(evaluation.pk, [])
    return list(Enrolment.objects.filter(semester_instance=instance, student_id__in=students)
                .select_related("student").order_by("student__last_name", "student__first_name", "student__ine"))


def waiting_evaluations(*, semester_instance: SemesterInstance) -> list[IncompleteEvaluation]:
    """Return the semester's incomplete evaluations (R2), each with the enrolled students it waits for, by name.

    `semester_instance` is read in this request: its results version keys the cache (`instance_missing`).
    """
    missing = instance_missing(semester_instance=semester_instance).incomplete
    return incomplete_evaluations(semester_instances=[semester_instance], missing=missing)


def _evaluations(ids) -> dict[int, Evaluation]:
    return Evaluation.objects.select_related("module").in_bulk(list(ids))


@dataclass
class NewcomerWait:
    """An evaluation a newcomer would hold up (R2): `already_incomplete` when it waits for others too."""

    evaluation: Evaluation
    already_incomplete: bool


def newcomer_waits(*, semester_instance: SemesterInstance, parcours: Parcours | None) -> list[NewcomerWait]:
    """Return the evaluations that already hold grades and would wait for a student enrolled now (R2).

    The newcomer's parcours decides which modules they take (the programme's parcours when none is given).
    """
    cohort = load_cohort(semester_instance=semester_instance)
    code = parcours.code if parcours is not None else semester_instance.semester.programme.parcours.code
    ids = r2_newcomer_waits(cohort, semester_instance.pk, code)
    if not ids:
        return []
    incomplete = set(missing_in_cohort(cohort, [semester_instance.pk]))
    evaluations = _evaluations(ids)
    return [NewcomerWait(evaluation=evaluations[i], already_incomplete=i in incomplete) for i in ids]


def list_newcomer_waits(*, semester_instance: SemesterInstance, plan, rows) -> list[NewcomerWait]:
    """Return the evaluations the new enrolments of a student-list plan would hold up (R2), once each.

    `plan` is a `StudentListPlan`, `rows` its checked rows (a row without parcours takes the programme's).
    """
    new = {item.ine for item in plan.new}
    parcours_ids = {r.parcours_id for r in rows if r.ine in new}
    if not parcours_ids:
        return []
    by_id = Parcours.objects.in_bulk([p for p in parcours_ids if p is not None])
    waits: dict[int, NewcomerWait] = {}
    for parcours_id in parcours_ids:
        for wait in newcomer_waits(semester_instance=semester_instance, parcours=by_id.get(parcours_id)):
            waits.setdefault(wait.evaluation.pk, wait)
    return list(waits.values())

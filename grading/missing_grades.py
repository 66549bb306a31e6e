"""Reads about R2: which evaluations count for nobody yet, whom they wait for, and what a newcomer would block.

A fixed number of queries each: the semester's cohort (grading.loaders), then the evaluations and enrolments
named by the engine's answer.
"""
from dataclasses import dataclass, field

from curriculum.models import Parcours
from grading.engine.waiting import r2_newcomer_waits, r2_waiting
from grading.loaders import load_cohort
from grading.models import Enrolment, Evaluation, SemesterInstance


@dataclass
class WaitingEvaluation:
    """An evaluation that counts for nobody yet (R2), and the enrolled students it waits for."""

    evaluation: Evaluation
    missing: list[Enrolment] = field(default_factory=list)


def _evaluations(ids) -> dict[int, Evaluation]:
    return Evaluation.objects.select_related("module").in_bulk(list(ids))


def waiting_evaluations(*, semester_instance: SemesterInstance) -> list[WaitingEvaluation]:
    """Return the semester's incomplete evaluations (R2), each with the students who have no grade in it yet."""
    waiting = r2_waiting(load_cohort(semester_instance=semester_instance), semester_instance.pk)
    if not waiting:
        return []
    evaluations = _evaluations(waiting)
    enrolments = {e.student_id: e for e in Enrolment.objects.filter(semester_instance=semester_instance)
                  .select_related("student")}
    items = [WaitingEvaluation(evaluation=evaluations[ev_id],
                               missing=sorted((enrolments[s] for s in students if s in enrolments),
                                              key=lambda e: (e.student.last_name, e.student.first_name)))
             for ev_id, students in waiting.items() if ev_id in evaluations]
    return sorted(items, key=lambda w: (w.evaluation.module.code, w.evaluation.order, w.evaluation.pk))


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
    incomplete = set(r2_waiting(cohort, semester_instance.pk))
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

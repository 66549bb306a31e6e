"""Reads about R2 for the secretariat: which evaluations count for nobody yet and whom they wait for (the jury's
reading, `grading.incomplete`), and what a newcomer would block.

A fixed number of queries each: the semester's cohort (grading.loaders), then the evaluations and enrolments
named by the engine's answer. Whom the semester's evaluations wait for is cached per results version of the
instance (`grading.incomplete.instance_missing`): a page showing it reloads no cohort while nothing changed, and
reads nothing more when nothing is missing.
"""
from dataclasses import dataclass

from curriculum.models import Parcours
from grading.engine.waiting import r2_newcomer_waits
from grading.incomplete import IncompleteEvaluation, incomplete_evaluations, instance_missing, missing_in_cohort
from grading.loaders import load_cohort
from grading.models import Evaluation, SemesterInstance


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

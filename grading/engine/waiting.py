"""R2 seen from the people it waits for: who each incomplete evaluation waits for, and what a newcomer would hold
up. No Django import."""
from collections.abc import Hashable

from .context import Context
from .scores import is_entered
from .types import CohortInput


def r2_waiting(cohort: CohortInput, run_key: Hashable) -> dict[Hashable, tuple[Hashable, ...]]:
    """Return, for each evaluation of a run that counts for nobody yet (R2), the students it waits for.

    Those are the enrolled students who take its module and have neither a grade nor a code, in the order of
    `run.enrolled`'s sorted ids.
    """
    run = cohort.runs.get(run_key)
    if run is None:
        return {}
    context = Context(cohort)
    cohort_parcours = {s.id: s.parcours for s in cohort.students}
    taken = {s: context.modules_taken(cohort_parcours.get(s, run.enrolled_parcours.get(s))) for s in run.enrolled}
    by_id = {ev.id: ev for ev in run.evaluations}
    return {
        ev_id: tuple(s for s in sorted(run.enrolled, key=str)
                     if by_id[ev_id].module in taken[s] and not is_entered(run.grades.get(s, {}).get(ev_id)))
        for ev_id in context.indexes[run_key].incomplete
    }


def r2_newcomer_waits(cohort: CohortInput, run_key: Hashable, parcours: str | None) -> tuple[Hashable, ...]:
    """Return the evaluations of a run that would wait for a newcomer of this parcours (R2), in evaluation order.

    Those are the ordinary evaluations (neither immediate nor rattrapage) of the modules the parcours takes that
    already hold a grade or a code: the newcomer has none, so each counts for nobody until they get one.
    """
    run = cohort.runs.get(run_key)
    if run is None:
        return ()
    taken = Context(cohort).modules_taken(parcours)
    graded = {ev_id for grades in run.grades.values() for ev_id, grade in grades.items() if is_entered(grade)}
    return tuple(ev.id for ev in run.evaluations
                 if not (ev.immediate or ev.rattrapage) and ev.module in taken and ev.id in graded)

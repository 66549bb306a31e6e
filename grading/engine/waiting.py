"""R2 seen from a newcomer: the evaluations a student enrolled now would hold up. No Django import.

Who an incomplete evaluation waits for is `grading.incomplete.missing_in_cohort`."""
from collections.abc import Hashable

from .context import Context
from .scores import is_entered
from .types import CohortInput


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

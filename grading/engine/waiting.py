"""R2, whom an evaluation waits for, in the two forms pages need. No Django import.

`r2_complete_from_counts`: which ordinary evaluations of a run count for everybody, read on aggregates a database
gives at once (the number of enrolled students of each parcours, the number of them with a grade entered in each
evaluation), the same rule as `scores.r2_index_run`, so that a page about a few students need not load everyone's
grades (pass the result as `SemesterRun.complete`). `r2_newcomer_waits`: the evaluations a student enrolled now
would hold up. Who an incomplete evaluation waits for is `grading.selectors.missing.missing_in_cohort`.
"""
from collections.abc import Callable, Hashable, Iterable, Mapping

from .context import Context
from .scores import is_entered
from .types import CohortInput, EvaluationDef


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


def r2_complete_from_counts(
    evaluations: Iterable[EvaluationDef],
    enrolled: Mapping[str | None, int],
    entered: Mapping[Hashable, Mapping[str | None, int]],
    modules_taken: Callable[[str | None], frozenset],
) -> frozenset:
    """Return the ids of the ordinary evaluations that count for everybody (R2).

    `enrolled`: parcours -> number of enrolled students (status enrolled) of the run; `entered`: evaluation id ->
    parcours -> how many of them have a grade or a code in it; `modules_taken(parcours)`: the modules a parcours
    takes. An evaluation counts once, in every parcours taking its module, every enrolled student has one.
    """
    complete = set()
    for ev in evaluations:
        if ev.immediate or ev.rattrapage:
            continue
        counts = entered.get(ev.id, {})
        if all(counts.get(parcours, 0) >= n for parcours, n in enrolled.items()
               if n and ev.module in modules_taken(parcours)):
            complete.add(ev.id)
    return frozenset(complete)

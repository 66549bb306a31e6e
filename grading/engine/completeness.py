"""R2 from counts: which ordinary evaluations of a run count for everybody, without anyone's grades. No Django import.

The same rule as `scores.r2_index_run`, read on aggregates a database gives at once (the number of enrolled
students of each parcours, the number of them with a grade entered in each evaluation), so that a page about a
few students need not load everyone's grades. Pass the result as `SemesterRun.complete`.
"""
from collections.abc import Callable, Hashable, Iterable, Mapping

from .types import EvaluationDef


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

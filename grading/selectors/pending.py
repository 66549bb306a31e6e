"""What is still to do on the grades of many semesters at once, for the home pages: each evaluation with how many
grades it waits for (R2) and whether it is published.

A fixed number of queries whatever the number of semesters: the evaluations, R2's cached counts of grades entered
(`grading.grade_counts`: enrolled students per parcours, grades entered per evaluation and parcours) and which
parcours take which module (the modules' UEs and the UEs' parcours). The rule is R2's, as the engine states it: an
ordinary evaluation (neither immediate nor rattrapage) waits for every registered student whose parcours takes
its module (`grading.engine.waiting`); an immediate evaluation's missing grades are counted too (a teacher still
has them to enter), but it holds nothing back.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from curriculum.models import UE, ModuleUE
from grading.grade_counts import instance_counts
from grading.models import Evaluation, SemesterInstance


@dataclass
class PendingEvaluation:
    """An evaluation of a semester and what it still waits for."""

    evaluation: Evaluation
    missing: int  # registered students taking its module without a grade or a code entered

    @property
    def incomplete(self) -> bool:
        """It counts for nobody yet (R2): an ordinary evaluation still waiting for grades."""
        return self.missing > 0 and not (self.evaluation.is_immediate or self.evaluation.is_rattrapage)


def pending_evaluations(*, instances: Iterable[SemesterInstance], module_ids: set[int] | None = None
                        ) -> dict[int, list[PendingEvaluation]]:
    """Return, per semester instance id, its evaluations (those of `module_ids` only, when given) with their
    missing grades, by module and date. The instances come with their programme's parcours (`.named()`)."""
    instances = list(instances)
    if not instances:
        return {}
    evaluations = Evaluation.objects.filter(semester_instance__in=[i.pk for i in instances]).select_related("module")
    if module_ids is not None:
        evaluations = evaluations.filter(module_id__in=module_ids)
    evaluations = list(evaluations.order_by("semester_instance_id", "module__code", "order", "date", "id"))
    if not evaluations:
        return {i.pk: [] for i in instances}
    counts = instance_counts({i.pk: (i.results_version, i.semester.programme.parcours.code) for i in instances})
    taken = _parcours_taking({e.module_id for e in evaluations})
    found: dict[int, list[PendingEvaluation]] = {i.pk: [] for i in instances}
    for evaluation in evaluations:
        count = counts[evaluation.semester_instance_id]
        entered = count.entered.get(evaluation.pk, {})
        takes = taken.get(evaluation.module_id)
        missing = sum(max(n - entered.get(parcours, 0), 0) for parcours, n in count.enrolled.items()
                      if takes is not None and (takes is ALL or parcours in takes))
        found[evaluation.semester_instance_id].append(PendingEvaluation(evaluation=evaluation, missing=missing))
    return found


ALL = frozenset({"*"})  # a module feeding a UE every parcours takes


def _parcours_taking(module_ids: set[int]) -> dict[int, frozenset]:
    """Return, per module, the parcours codes that take it (ALL for every parcours); a module feeding no UE (no
    positive coefficient) is taken by nobody and absent, as `grading.engine.scores.modules_taken` says. Two queries."""
    feeds = defaultdict(set)
    for module_id, ue_id, coefficient in ModuleUE.objects.filter(module_id__in=module_ids).values_list(
            "module_id", "ue_id", "coefficient"):
        if coefficient is not None and coefficient > 0:
            feeds[module_id].add(ue_id)
    ue_parcours = defaultdict(set)
    for ue_id, code in UE.parcours.through.objects.filter(
            ue_id__in={u for ues in feeds.values() for u in ues}).values_list("ue_id", "parcours__code"):
        ue_parcours[ue_id].add(code)
    taken = {}
    for module_id, ues in feeds.items():
        if any(not ue_parcours.get(u) for u in ues):
            taken[module_id] = ALL
        else:
            taken[module_id] = frozenset(code for u in ues for code in ue_parcours[u])
    return taken

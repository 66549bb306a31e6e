"""What a student sees of the promotion's figures: each published evaluation's, and on a bulletin each UE's and
module's mean, minimum and maximum; under six results nothing."""
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from grading.cache_versions import cached_for_paths
from grading.models import Evaluation, JurySession, SemesterInstance, Student
from grading.selectors.statistics import for_student, instance_statistics
from grading.statistics import for_students, summarise


def with_class_statistics(results):
    """Give each published evaluation line of a student's results (`portal.results`) what the student may
    see of the promotion's figures (`class_statistics`: None under six results); one query for the versions."""
    if results is None:
        return results
    instances = SemesterInstance.objects.filter(pk__in=[s.instance_id for s in results.semesters]).only(
        "pk", "results_version")
    every = {instance.pk: instance_statistics(semester_instance=instance) for instance in instances}
    for semester in results.semesters:
        for ue in semester.ues:
            for module in ue.modules:
                for line in module.evaluations:
                    line.class_statistics = for_student(
                        every[semester.instance_id].get(line.evaluation_id), evaluation_id=line.evaluation_id,
                        title=line.title, value=line.value, code=line.code,
                        max_score=line.max_score) if line.published else None
    return results



# ---------------------------------------------------------------- the promotion's figures on a bulletin


@dataclass(frozen=True)
class Figures:
    """The promotion's mean, minimum and maximum of one average (only built from six results or more)."""

    count: int
    mean: Decimal
    minimum: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Promotion:
    """The promotion's figures of one semester instance: per UE and per (UE, module), from the averages each of
    its students is shown (the same figures the student reads); none under six results. `ue_averages` keeps each
    UE's averages, best first, for the rank (shown only where the department enables it)."""

    size: int  # students of the instance still enrolled with a result
    ues: dict = field(default_factory=dict)  # UE code -> Figures
    modules: dict = field(default_factory=dict)  # (UE code, module code) -> Figures
    ue_averages: dict = field(default_factory=dict)  # UE code -> [average, …] best first (six or more)

    def rank(self, ue_code: str, average: Decimal | None) -> tuple[int, int] | None:
        """Return (rank, out of) of an average among the promotion's in a UE (ties share the best rank)."""
        averages = self.ue_averages.get(ue_code)
        if average is None or not averages:
            return None
        return 1 + sum(1 for other in averages if other > average), len(averages)


def _figures(values: list[Decimal]) -> Figures | None:
    summary = summarise(values)
    if for_students(summary, summary.count) is None:
        return None
    return Figures(count=summary.count, mean=summary.mean, minimum=summary.minimum, maximum=summary.maximum)


def promotion_figures(semesters: Iterable) -> Promotion:
    """Return the promotion's figures from the semester results (`portal.results.SemesterResults`) of its
    students: a UE's or a module's average counts for each student still enrolled who has one (a student who left,
    DEM, DEF or ABAN, is not counted, as in ScoDoc; nor in the six results a figure needs)."""
    ues, modules = defaultdict(list), defaultdict(list)
    size = 0
    for semester in semesters:
        if semester.left:
            continue
        counted = False
        for ue in semester.ues:
            if ue.average is not None:
                ues[ue.code].append(ue.average)
                counted = True
            for module in ue.modules:
                if module.average is not None:
                    modules[ue.code, module.code].append(module.average)
        size += counted
    shown_ues = {code: found for code, values in ues.items() if (found := _figures(values)) is not None}
    return Promotion(size=size, ues=shown_ues,
                     modules={key: found for key, values in modules.items() if (found := _figures(values)) is not None},
                     ue_averages={code: sorted(ues[code], reverse=True) for code in shown_ues})


def promotion_statistics(*, semester_instance_id: int, draft: bool) -> Promotion:
    """Return the promotion's figures of a semester instance as its bulletins show them (published figures, or
    every figure in a working document), cached by the results versions of its students' paths and by what is
    published there (publishing changes what students see, not the versions)."""
    from portal.results import results_for_students

    published = (sorted(Evaluation.objects.filter(semester_instance_id=semester_instance_id, is_published=True)
                        .values_list("id", flat=True)),
                 JurySession.objects.filter(semester_instances=semester_instance_id, published_at__isnull=False)
                 .order_by("pk").values_list("pk", "published_at").first())
    digest = hashlib.sha256(repr((draft, published)).encode()).hexdigest()[:16]

    def compute() -> Promotion:
        students = Student.objects.filter(enrolments__semester_instance=semester_instance_id)
        results = results_for_students(students=students, draft=draft)
        return promotion_figures(found for r in results.values()
                                 if (found := r.semester(semester_instance_id)) is not None)

    return cached_for_paths(f"bulletin-promotion:{digest}", [semester_instance_id], compute)

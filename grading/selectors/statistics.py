"""Reads for the class statistics pages show (`grading.statistics`), and the charts drawn from them.

An evaluation's statistics are read afresh (two queries: its grades, its awaited students); the statistics of every
evaluation of a semester, which its students read (the published ones), are computed once per results version of
the instance.
The overview of a semester's results reads the live results (already cached per results version) and the
students' groups and parcours. What a student sees goes through `statistics.for_students` (six results or more).
"""
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from django.core.cache import cache
from django.utils.safestring import mark_safe

from butgmp.charts.geometry import Histogram, HorizontalBars, histogram, horizontal_bars
from butgmp.charts.plots import bands_svg
from grading.cache_versions import CACHE_FORMAT, CACHE_TIMEOUT
from grading.engine.codes import MAX_SCORE, UE_VALIDATED, EnrolmentStatus
from grading.models import Enrolment, Evaluation, Grade, SemesterInstance
from grading.statistics import (
    BAND_LABELS,
    BIN_WIDTH,
    GradeStatistics,
    Line,
    Overview,
    Summary,
    decision_counts,
    for_students,
    grade_statistics,
    identical_columns,
    overview,
    summarise,
)


@dataclass(frozen=True)
class Shown:
    """Statistics with their chart, as a page shows them."""

    statistics: GradeStatistics
    chart: Histogram


@dataclass(frozen=True)
class StudentShown:
    """What a student sees of an evaluation: the promotion's figures and an anonymous histogram, their bar marked."""

    count: int
    mean: Decimal
    minimum: Decimal
    maximum: Decimal
    chart: Histogram


def evaluation_statistics(*, evaluation: Evaluation) -> Shown:
    """Return an evaluation's statistics and histogram, of the students still enrolled: those who left (DEM, DEF,
    ABAN) are neither counted nor awaited, as in ScoDoc."""
    grades = Grade.objects.filter(evaluation=evaluation, enrolment__status=EnrolmentStatus.ENROLLED).values_list(
        "value", "code", "max_score")
    awaited = Enrolment.objects.filter(semester_instance_id=evaluation.semester_instance_id,
                                       status=EnrolmentStatus.ENROLLED).count()
    statistics = grade_statistics(grades, expected=awaited)
    return Shown(statistics=statistics, chart=summary_chart(statistics.summary,
                                                            title=f"Répartition des notes : {evaluation.title}",
                                                            key=f"evaluation-{evaluation.pk}"))


def summary_chart(summary: Summary, *, title: str, key: str, marked: int | None = None, width: int = 320
                  ) -> Histogram:
    """Return the histogram of a summary, ten bars of two points."""
    return histogram([(b.label, b.count) for b in summary.bins], title=title, marked=marked, width=width, key=key)


def instance_statistics(*, semester_instance: SemesterInstance) -> dict[int, GradeStatistics]:
    """Return the statistics of every evaluation of an instance (evaluation id -> statistics), of the students still
    enrolled, computed once per results version of the instance (a grade, an evaluation or an enrolment's status
    changed: a new version). Whether an evaluation is published is for the caller to check: publishing does not
    change the figures."""
    key = f"grading:evaluation-statistics:{CACHE_FORMAT}:{semester_instance.pk}:{semester_instance.results_version}"
    found = cache.get(key)
    if found is None:
        grades = defaultdict(list)
        for evaluation_id, value, code, maximum in Grade.objects.filter(
                evaluation__semester_instance=semester_instance,
                enrolment__status=EnrolmentStatus.ENROLLED).values_list("evaluation_id", "value", "code", "max_score"):
            grades[evaluation_id].append((value, code, maximum))
        found = {evaluation_id: grade_statistics(rows) for evaluation_id, rows in grades.items()}
        cache.set(key, found, CACHE_TIMEOUT)
    return found


def for_student(statistics: GradeStatistics | None, *, evaluation_id: int, title: str, value: Decimal | None,
                code: str | None, max_score: Decimal | None) -> StudentShown | None:
    """Return what a student may see of an evaluation's statistics with their own grade marked; None under six
    results (a number or ABS)."""
    if statistics is None or for_students(statistics, statistics.graded) is None:
        return None
    summary = statistics.summary
    marked = None
    if code == "ABS":
        marked = 0
    elif value is not None and max_score:
        on_twenty = Fraction(value) * Fraction(MAX_SCORE) / Fraction(max_score)
        marked = min(int(on_twenty // BIN_WIDTH), len(summary.bins) - 1)
    return StudentShown(count=summary.count, mean=summary.mean, minimum=summary.minimum, maximum=summary.maximum,
                        chart=summary_chart(summary, title=f"Répartition anonyme des notes de la promotion : {title}"
                                            + (" (votre note est marquée « vous »)" if marked is not None else ""),
                                            marked=marked, width=280, key=f"mine-{evaluation_id}"))


@dataclass(frozen=True)
class ResultsOverview:
    """A results page's overview: the figures, the bands chart (markup) and the decisions chart."""

    figures: Overview
    bands_markup: str  # matplotlib's SVG (see `bands_chart`)
    decisions_chart: HorizontalBars | None
    decisions_title: str

    @property
    def bands_chart(self) -> str:
        """The bands chart to embed: matplotlib writes the names and labels escaped, and the markup is ours."""
        return mark_safe(self.bands_markup)  # noqa: S308


def lines_from_live(*, enrolments: Iterable[Enrolment], ues: Mapping[int, Mapping[str, tuple[str | None, str | None]]]
                    ) -> list[Line]:
    """Return one overview line per enrolment from the live results (student id -> UE code -> (shown average,
    code)); its keys are its groups and its parcours; a student who left (DEM, DEF, ABAN) is marked so."""
    return [Line(keys=keys_of(enrolment), cells={code: (number_of(average), decision) for code, (average, decision)
                                                 in ues.get(enrolment.student_id, {}).items()},
                 left=enrolment.status != EnrolmentStatus.ENROLLED)
            for enrolment in enrolments]


def keys_of(enrolment: Enrolment) -> tuple[str, ...]:
    """Return what an enrolment is counted under: its groups (prefetched), then its parcours."""
    groups = tuple(group.name for group in enrolment.groups.all())
    return groups + ((f"Parcours {enrolment.parcours.code}",) if enrolment.parcours_id else ())


def results_overview(*, lines: list[Line], subjects: list[str], title: str, passing=UE_VALIDATED,
                     decisions: list[tuple[str, int]] | None = None, decisions_title: str = "") -> ResultsOverview:
    """Return the overview of results lines: bands of each subject's averages, decisions (those given, else the
    lines' own), pass rates. Cached by the digest of what it is computed from: the same figures (the same results
    version, the same filter) cost one lookup."""
    key = f"grading:results-overview:{CACHE_FORMAT}:" + hashlib.sha256(repr((
        [(line.keys, sorted(line.cells.items()), line.decision, line.left) for line in lines], subjects, title,
        sorted(passing), decisions, decisions_title)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        figures = overview(lines, subjects=subjects, passing=passing)
        counted = decisions if decisions is not None else list(figures.decisions)
        found = ResultsOverview(
            figures=figures,
            bands_markup=bands_svg(figures.bands, title=title, labels=BAND_LABELS) if subjects else "",
            decisions_chart=horizontal_bars(counted, title=decisions_title) if counted else None,
            decisions_title=decisions_title)
        cache.set(key, found, CACHE_TIMEOUT)
    return found


def ue_decision_counts(lines: list[Line]) -> list[tuple[str, int]]:
    """Return the codes of every UE of the lines, counted together."""
    return decision_counts(code for line in lines for _, code in line.cells.values())


def number_of(average: str | None) -> Decimal | None:
    """Return a shown average (« 12,35 » or « 12.35 ») as a Decimal; None stays None."""
    return None if average is None else Decimal(average.replace(",", "."))


@dataclass(frozen=True)
class ColumnStatistics:
    """A results column's statistics, for the table under « Moyennes de mes modules »."""

    label: str
    note: str  # why it stands for several columns, or ""
    summary: Summary
    chart: Histogram


def column_statistics(*, columns: list[tuple[str, str, str]], values: Mapping[str, list[str | None]]
                      ) -> list[ColumnStatistics]:
    """Return the statistics of each results column (key, label, tooltip) from its shown values (those of the
    students still enrolled: `staying_rows` leaves out those who left)."""
    shown = []
    for key, label, _ in columns:
        summary = summarise(number for number in map(number_of, values.get(key, [])) if number is not None)
        shown.append(ColumnStatistics(label=label, note=merged_note(label), summary=summary, chart=histogram(
            [(b.label, b.count) for b in summary.bins], title=f"Répartition des moyennes : {label}", width=120,
            height=34, key=f"column-{key}", labelled=False)))
    return shown


def staying_rows(rows: Iterable[Mapping]) -> list[Mapping]:
    """Return the rows of a results table (`grading.tables.results_row`) of the students still enrolled."""
    return [row for row in rows if row["status"] == EnrolmentStatus.ENROLLED]


def weight_signatures(*, semester_instance: SemesterInstance, pairs: Iterable[tuple[str, int, str]]
                      ) -> dict[str, tuple]:
    """Return, for each (column key, module id, UE code), the weights of the module's evaluations towards that UE
    scaled so that the first non-zero one is 1 (absent: 1, R3). Two columns of a module with the same signature
    always have the same averages: their weights are proportional. A module without evaluations has none."""
    pairs = list(pairs)
    evaluations = defaultdict(list)
    for evaluation in (Evaluation.objects.filter(semester_instance=semester_instance,
                                                 module_id__in={module for _, module, _ in pairs})
                       .prefetch_related("weights__ue").order_by("pk")):
        evaluations[evaluation.module_id].append({w.ue.code: Fraction(w.weight) for w in evaluation.weights.all()})
    signatures = {}
    for key, module, ue in pairs:
        weights = [found.get(ue, Fraction(1)) for found in evaluations[module]]
        first = next((w for w in weights if w), None)
        if first is not None:
            signatures[key] = tuple(w / first for w in weights)
    return signatures


def merge_identical(*, columns: list[tuple[str, str, str]], signatures: Mapping[str, tuple],
                    module_of: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """Return the columns with those of one module whose averages are always the same (the same weight signature)
    merged into the first: its label names every UE (« R3.01 → UE3.2 = UE3.3 ») and its tooltip says why."""
    keyed = [(key, (module_of[key], signatures[key])) for key, *_ in columns if key in signatures]
    merged = {group[0]: group for group in identical_columns([(key, [value]) for key, value in keyed])}
    absorbed = {key for group in merged.values() for key in group[1:]}
    labels = {key: label for key, label, _ in columns}
    result = []
    for key, label, tooltip in columns:
        if key in absorbed:
            continue
        group = merged.get(key, [key])
        if len(group) > 1:
            label = f"{label.split(' → ', 1)[0]} → {' = '.join(labels[k].split(' → ', 1)[-1] for k in group)}"
            tooltip = f"{tooltip} — {merged_note(label)}"
        result.append((key, label, tooltip))
    return result


def merged_note(label: str) -> str:
    """Return why a merged column (« R3.01 → UE3.2 = UE3.3 ») stands for several UEs; "" for any other column."""
    targets = label.split(" → ", 1)[-1].split(" = ")
    if " → " not in label or len(targets) < 2:
        return ""
    return (f"moyennes identiques vers {' et '.join(targets)} (les évaluations du module ont les mêmes poids, ou des "
            f"poids proportionnels, vers ces UE) : une seule colonne")


@dataclass(frozen=True)
class EvaluationRow:
    """One evaluation of a module grid's statistics table, with its small histogram."""

    evaluation: Evaluation
    statistics: GradeStatistics
    chart: Histogram


def module_statistics(*, semester_instance: SemesterInstance, evaluations: list[Evaluation]) -> list[EvaluationRow]:
    """Return the statistics of a module's evaluations (those of the instance, cached per results version), their
    « non saisies » counted against the students still enrolled."""
    every = instance_statistics(semester_instance=semester_instance)
    awaited = Enrolment.objects.filter(semester_instance=semester_instance, status=EnrolmentStatus.ENROLLED).count()
    rows = []
    for evaluation in evaluations:
        found = every.get(evaluation.pk) or grade_statistics([])
        entered = found.graded + found.excused + found.pending
        found = replace(found, missing=max(0, awaited - entered))
        rows.append(EvaluationRow(evaluation=evaluation, statistics=found, chart=histogram(
            [(b.label, b.count) for b in found.summary.bins], title=f"Répartition des notes : {evaluation.title}",
            width=120, height=34, key=f"evaluation-{evaluation.pk}", labelled=False)))
    return rows


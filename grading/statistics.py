"""Class statistics: of an evaluation's grades, of averages (modules, UEs, RCUEs), of decisions. No Django import.

Everything is computed exactly (R6): values come in as `Decimal` or `Fraction`, means and medians are exact
fractions, and what is shown is rounded half-up to the cent by `grading.engine.rounding.shown`, as averages are.
The bands of averages (below 8, 8 to 10, 10 and more) are tested on the shown value, as the jury reads it (R6).

What a student may see follows one rule (`for_students`): statistics of at least `STUDENT_MINIMUM` results (a
number or ABS for a grade; an average for an average), otherwise nothing at all.
"""
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from grading.engine.codes import MAX_SCORE, PASS_MARK, RCUE_FLOOR, DecisionCode, GradeCode
from grading.engine.rounding import at_least, cents, shown

STUDENT_MINIMUM = 6  # statistics a student sees need at least this many results (as ScoDoc's passerelle)
BIN_WIDTH = 2  # points on /20 per bar of a histogram: ten bars
# A year passes with these codes (the jury's report counts them; R16); a UE with `UE_VALIDATED` (R15).
YEAR_PASSED = frozenset({DecisionCode.ADM, DecisionCode.PASD, DecisionCode.PAS1NCI, DecisionCode.ADJ})
BAND_LABELS = ("moins de 8", "de 8 à moins de 10", "10 et plus")

S = TypeVar("S")


@dataclass(frozen=True)
class Bin:
    low: int  # on /20, included
    high: int  # excluded, except for the last bar, which holds 20
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


@dataclass(frozen=True)
class Summary:
    """Statistics of a list of values on /20 (grades normalised, or averages)."""

    count: int
    mean: Decimal | None  # shown: rounded half-up to the cent (R6); None when there is no value
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    bins: tuple[Bin, ...]  # the histogram, 0 to 20 by BIN_WIDTH
    bands: tuple[int, int, int]  # below 8, 8 to below 10, 10 and more (on the shown value, R6)


@dataclass(frozen=True)
class GradeStatistics:
    """Statistics of one evaluation's grades: the numbers and ABS (as 0, R1) make the summary."""

    summary: Summary
    absent: int  # ABS
    excused: int  # EXC: left out
    pending: int  # ATT: left out
    missing: int  # not entered

    @property
    def graded(self) -> int:
        """How many students have a result: a number or ABS (EXC and ATT do not count)."""
        return self.summary.count


@dataclass(frozen=True)
class Rate:
    key: str
    passed: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        """The share that passed, in per cent, rounded half-up to one decimal; None when nobody counts."""
        if not self.total:
            return None
        return Decimal(cents(Fraction(self.passed * 10, self.total))).scaleb(-1)


def summarise(values: Iterable[Decimal | Fraction | int]) -> Summary:
    """Return the count, mean, median, extremes, histogram and bands of values on /20."""
    exact = sorted(Fraction(value) for value in values)
    count = len(exact)
    bins = _histogram(exact)
    bands = _bands(exact)
    if not count:
        return Summary(count=0, mean=None, median=None, minimum=None, maximum=None, bins=bins, bands=bands)
    middle = count // 2
    median = exact[middle] if count % 2 else (exact[middle - 1] + exact[middle]) / 2
    return Summary(count=count, mean=shown(sum(exact) / count), median=shown(median), minimum=shown(exact[0]),
                   maximum=shown(exact[-1]), bins=bins, bands=bands)


def grade_statistics(grades: Iterable[tuple[Decimal | None, str | None, Decimal]], *, expected: int = 0
                     ) -> GradeStatistics:
    """Return the statistics of an evaluation's grades, given as (value, code, maximum) per entered cell (of the
    students still enrolled: the caller leaves out those who left).

    A value is normalised to /20 from its maximum; ABS counts as 0 (R1); EXC and ATT are counted apart and left
    out. `expected` is the number of students waited for: those without a cell are `missing`.
    """
    values: list[Fraction] = []
    codes: Counter = Counter()
    entered = 0
    for value, code, maximum in grades:
        if value is None and not code:
            continue
        entered += 1
        if code:
            codes[code] += 1
            if code == GradeCode.ABS:
                values.append(Fraction(0))
        else:
            values.append(Fraction(value) * Fraction(MAX_SCORE) / Fraction(maximum))
    return GradeStatistics(summary=summarise(values), absent=codes[GradeCode.ABS], excused=codes[GradeCode.EXC],
                           pending=codes[GradeCode.ATT], missing=max(0, expected - entered))


def for_students(statistics: S | None, count: int) -> S | None:
    """Return statistics a student may see: only those of at least STUDENT_MINIMUM results, else None."""
    return statistics if count >= STUDENT_MINIMUM else None


def decision_counts(codes: Iterable[str | None]) -> list[tuple[str, int]]:
    """Return how many of each decision code, in the order of the codes' list; no decision counts as « — »."""
    counted = Counter(code or "—" for code in codes)
    order = [code.value for code in DecisionCode] + ["—"]
    return [(code, counted[code]) for code in order if counted[code]]


def pass_rates(rows: Iterable[tuple[Iterable[str], str | None]], *, passing: frozenset) -> list[Rate]:
    """Return the pass rate of each key (a group, a parcours, « Tous ») from (keys, code) per student.

    Every student with a code counts, whatever it is (ATT included: not passed yet); no code, not counted.
    """
    passed: Counter = Counter()
    total: Counter = Counter()
    for keys, code in rows:
        if not code:
            continue
        for key in keys:
            total[key] += 1
            passed[key] += code in passing
    return [Rate(key=key, passed=passed[key], total=total[key]) for key in sorted(total)]


def rates_by(members: Mapping[Hashable, Iterable[str]], codes: Mapping[Hashable, str | None], *,
             passing: frozenset, everyone: str = "Tous") -> list[Rate]:
    """Return the pass rates of everyone first, then of each key the students belong to (groups, parcours)."""
    rows = [((everyone, *members.get(student, ())), code) for student, code in codes.items()]
    rates = pass_rates(rows, passing=passing)
    return sorted(rates, key=lambda rate: (rate.key != everyone, rate.key))


def _histogram(values: list[Fraction]) -> tuple[Bin, ...]:
    top = int(MAX_SCORE)
    counts = Counter(min(int(value // BIN_WIDTH), top // BIN_WIDTH - 1) for value in values)
    return tuple(Bin(low=i * BIN_WIDTH, high=(i + 1) * BIN_WIDTH, count=counts[i]) for i in range(top // BIN_WIDTH))


def _bands(values: list[Fraction]) -> tuple[int, int, int]:
    high = sum(1 for value in values if at_least(value, PASS_MARK))
    middle = sum(1 for value in values if at_least(value, RCUE_FLOOR)) - high
    return (len(values) - high - middle, middle, high)


@dataclass(frozen=True)
class Line:
    """One student as an overview reads them: the keys they count under (groups, parcours), each subject's
    (shown average, code), the decision counted in the bar (a year's, or None), and whether they left (DEM, DEF,
    ABAN: counted in the decisions' bar only, as ScoDoc leaves them out of its statistics)."""

    keys: tuple[str, ...]
    cells: Mapping[str, tuple[Decimal | None, str | None]]
    decision: str | None = None
    left: bool = False


@dataclass(frozen=True)
class Overview:
    """A semester's or a jury's results at a glance."""

    bands: tuple[tuple[str, tuple[int, int, int]], ...]  # subject -> students below 8, 8 to 10, 10 and more
    summaries: tuple[tuple[str, Summary], ...]  # subject -> the statistics of its averages
    decisions: tuple[tuple[str, int], ...]  # decision code -> students
    keys: tuple[str, ...]  # « Tous », then the keys by their place in the lines' keys, then by name
    rates: Mapping[tuple[str, str], Rate]  # (key, subject) -> UE or RCUE pass rate; (key, "") the decision's
    left: int = 0  # students who left (DEM, DEF, ABAN): in the decisions, not in the bands nor the rates

    @property
    def rate_rows(self) -> list[tuple[str, list[Rate | None], Rate | None]]:
        """Return each key with its rate per subject (None: nobody counted) and its decision's rate."""
        subjects = [subject for subject, _ in self.summaries]
        return [(key, [self.rates.get((key, subject)) for subject in subjects], self.rates.get((key, "")))
                for key in self.keys]


def overview(lines: Iterable[Line], *, subjects: Sequence[str], passing: frozenset,
             decision_passing: frozenset = YEAR_PASSED, everyone: str = "Tous") -> Overview:
    """Return the bands of each subject's averages, the decisions counted, and the pass rates of every key.

    The students who left (DEM, DEF, ABAN) count in the decisions only (the jury records their DEM or DEF): the
    bands, the statistics and the pass rates, denominators included, are those of the students still enrolled."""
    lines = list(lines)
    staying = [line for line in lines if not line.left]
    summaries = tuple((subject, summarise(cells[subject][0] for cells in (line.cells for line in staying)
                                          if subject in cells and cells[subject][0] is not None))
                      for subject in subjects)
    place: dict[str, int] = {}  # a key's place in the lines' keys (groups before parcours, as the caller gives them)
    for line in staying:
        for i, key in enumerate(line.keys):
            place[key] = min(i, place.get(key, i))
    keys = [everyone, *sorted(place, key=lambda key: (place[key], key))]
    rates = {}
    for subject in (*subjects, ""):
        rows = [((everyone, *line.keys), line.decision if not subject else line.cells.get(subject, (None, None))[1])
                for line in staying]
        for rate in pass_rates(rows, passing=decision_passing if not subject else passing):
            rates[(rate.key, subject)] = rate
    return Overview(bands=tuple((subject, summary.bands) for subject, summary in summaries), summaries=summaries,
                    decisions=tuple(decision_counts(line.decision for line in lines)), keys=tuple(keys),
                    rates=rates, left=len(lines) - len(staying))


def identical_columns(columns: Sequence[tuple[Hashable, Sequence[object]]]) -> list[list[Hashable]]:
    """Group the keys of columns whose values are the same on every row, in the order of first appearance (a
    module's averages towards two UEs are identical when its evaluations weigh the same towards both, R3)."""
    groups: dict[tuple, list[Hashable]] = {}
    for key, values in columns:
        groups.setdefault(tuple(values), []).append(key)
    return list(groups.values())

"""Plain data in and out of the rules engine. No Django import.

Identifiers (student ids, run keys, evaluation ids) are opaque hashables: the loaders use
database ids, the scenario runner uses the same, tests use strings.

Numbers come in as `Decimal` (grades, maxima, coefficients, weights, bonuses, external validations, ECTS).
Averages come out as `fractions.Fraction`, exact (R6): show them with `rounding.fmt` / `rounding.shown`, which
round half-up to the cent; ECTS stay `Decimal`.
"""
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

from .codes import BonusMode, EnrolmentStatus

EMPTY: Mapping = MappingProxyType({})
ONE = Decimal("1")


def _empty() -> Mapping:
    """Return the shared empty mapping (a default_factory: Python 3.11 refuses an unhashable default)."""
    return EMPTY


@dataclass(frozen=True)
class UEDef:
    code: str
    semester: int
    competence: str
    level: int
    ects: Decimal
    rcue_coef: Decimal = ONE
    parcours: frozenset[str] = frozenset()  # empty: every parcours takes it

    @property
    def rcue_key(self) -> str:
        return f"{self.competence}-{self.level}"

    @property
    def year(self) -> int:
        return (self.semester + 1) // 2

    def taken_by(self, parcours: str | None) -> bool:
        return not self.parcours or parcours in self.parcours


@dataclass(frozen=True)
class ModuleDef:
    code: str
    semester: int
    kind: str  # ModuleKind value
    coefficients: Mapping[str, Decimal] = field(default_factory=_empty)  # UE code -> coefficient (R4)


@dataclass(frozen=True)
class EvaluationDef:
    id: Hashable
    module: str
    coef: Decimal = ONE
    max: Decimal = Decimal("20")
    weights: Mapping[str, Decimal] = field(default_factory=_empty)  # UE code -> weight; absent means 1 (R3)
    immediate: bool = False
    rattrapage: bool = False

    def weight(self, ue: str) -> Decimal:
        return self.weights.get(ue, ONE)


class GradeValue(NamedTuple):
    """R1: a number (on the evaluation's maximum) or a code; both None means not entered.

    A NamedTuple: immutable, and light enough to build one per grade of a 10 000-student year.
    """

    value: Decimal | None = None
    code: str | None = None  # GradeCode value


@dataclass(frozen=True)
class SemesterRun:
    """One semester instance: its evaluations and every enrolled student's grades."""

    key: Hashable
    semester: int
    evaluations: tuple[EvaluationDef, ...] = ()
    # student -> evaluation -> grade
    grades: Mapping[Hashable, Mapping[Hashable, GradeValue]] = field(default_factory=_empty)
    enrolled: frozenset = frozenset()  # students whose grades decide completeness (R2)
    # parcours of enrolled students, for those not in the cohort (R2 asks only those who take the module)
    enrolled_parcours: Mapping[Hashable, str | None] = field(default_factory=_empty)
    # R2 decided beforehand (e.g. from counts of entered grades): the ids of the ordinary evaluations that count
    # for everybody; every other ordinary evaluation waits. None: the engine decides from `grades` and `enrolled`.
    complete: frozenset | None = None


@dataclass(frozen=True)
class Passage:
    """One semester followed by a student, in path order (a repeat appears twice)."""

    run: Hashable
    semester: int
    bonus: Decimal | None = None  # per cent (R5)
    # subject (UE code, RCUE key "C1-2", or "year") -> decision code
    jury: Mapping[str, str] = field(default_factory=_empty)
    label: str = ""  # the academic year, « 2026-2027 », for the explanation's headings
    unjustified_half_days: int = 0  # R20: fed only when the department's rule is on
    # the enrolment's status in that semester: one left (DEM, DEF, ABAN) validates nothing, even before the last (R2)
    status: str = EnrolmentStatus.ENROLLED


@dataclass(frozen=True)
class PriorValidation:
    """A UE validated before the path (admission, another IUT): capitalised (R11)."""

    code: str
    average: Decimal | None = None


@dataclass(frozen=True)
class StudentInput:
    id: Hashable
    parcours: str | None = None
    status: str = EnrolmentStatus.ENROLLED
    prior: Mapping[str, PriorValidation] = field(default_factory=_empty)  # UE code -> validation
    passages: tuple[Passage, ...] = ()
    extra_repeats_granted: int = 0  # R17: the IUT director may grant one more


@dataclass(frozen=True)
class AttendanceRule:
    """R20: beyond `threshold` unjustified half-days in a semester, each further one takes `points` off every UE
    average of that semester (after the bonus, never below 0)."""

    threshold: int
    points: Decimal


@dataclass(frozen=True)
class CohortInput:
    ues: Mapping[str, UEDef]
    modules: Mapping[str, ModuleDef]
    runs: Mapping[Hashable, SemesterRun]
    students: tuple[StudentInput, ...]
    bonus_mode: str = BonusMode.PERCENT
    attendance: AttendanceRule | None = None  # R20, off by default


# ---------------------------------------------------------------- results


class ExactAverages(Mapping):
    """Module code -> exact average (a `Fraction`), each made from its numerator and denominator when first
    read: a year computation reads few of them, a page all of one module's."""

    __slots__ = ("_terms", "_made")

    def __init__(self, terms: Mapping[str, tuple]):
        self._terms = terms  # module -> (numerator, denominator, …)
        self._made: dict[str, Fraction] | None = None  # made on first read: most are never read

    def __getitem__(self, module: str) -> Fraction:
        made = self._made
        if made is None:
            made = self._made = {}
        average = made.get(module)
        if average is None:
            numerator, denominator = self._term(module)
            average = made[module] = Fraction(numerator, denominator)
        return average

    def _term(self, module: str) -> tuple:
        """Return a module average's (numerator, denominator)."""
        return self._terms[module][:2]

    def __iter__(self):
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


# Results are slotted dataclasses: a 10 000-student year makes a few hundred thousand of them.
@dataclass(slots=True)
class UEResult:
    code: str
    semester: int
    average: Fraction | None = None  # after bonus, exact (R5, R6)
    average_before_bonus: Fraction | None = None
    decision: str | None = None  # DecisionCode value, None when none can be given
    ects: Decimal = Decimal("0")  # ECTS acquired through this UE
    module_averages: Mapping[str, Fraction] = field(default_factory=_empty)  # module -> exact average (ExactAverages)
    capitalised: bool = False  # the decision comes from an earlier passage or a prior validation
    by_jury: bool = False  # the decision was recorded by a jury (R16), not proposed
    blocked: bool = False  # an ATT grade in this UE's passage blocks its decision (R1)

    def copy(self, **changes) -> "UEResult":
        """Return a copy with some fields changed (dataclasses.replace, without its cost; a test checks that it
        copies every field)."""
        new = UEResult(self.code, self.semester, self.average, self.average_before_bonus, self.decision, self.ects,
                       self.module_averages, self.capitalised, self.by_jury, self.blocked)
        for name, value in changes.items():
            setattr(new, name, value)
        return new


@dataclass(slots=True)
class RCUEResult:
    key: str
    year: int
    ues: tuple[str, str]
    average: Fraction | None = None  # exact (R6)
    decision: str | None = None
    by_jury: bool = False  # the decision was recorded by a jury (R16), not proposed


@dataclass(slots=True)
class PassageResult:
    run: Hashable
    semester: int
    ues: dict[str, UEResult] = field(default_factory=dict)


@dataclass(slots=True)
class StudentResult:
    id: Hashable
    ues: dict[str, UEResult] = field(default_factory=dict)  # final state of every UE
    rcues: dict[str, RCUEResult] = field(default_factory=dict)
    passages: list[PassageResult] = field(default_factory=list)
    year_proposals: dict[int, str | None] = field(default_factory=dict)  # R16, before the jury
    years: dict[int, str | None] = field(default_factory=dict)  # the decision of each year's last jury
    may_enter_odd: dict[int, bool | None] = field(default_factory=dict)  # R14 after year y (None: unknown)
    may_enter_s5: bool | None = None  # R15
    ects: Decimal = Decimal("0")
    dut_eligible: bool = False  # R18
    but_eligible: bool = False
    # The explanation as the walk noted it: (section, an `explain` function, its facts) per line, written out in
    # French only when read (the jury sheet reads one student's; the walk itself formats nothing).
    reasons: list[tuple] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # what the report must point out (« BUT1 non renseigné », R15)

    @property
    def explain_groups(self) -> list[tuple[str, list[tuple[str | None, list[str]]]]]:
        """Return the explanation by year, the latest first: [(heading, [(semester heading, [sentences])])];
        within a year, its parts in the order noted (each line written by its `explain` function when read)."""
        groups: dict[int, tuple[str, dict]] = {}
        for (year, heading, part), line_of, facts in self.reasons:
            line = line_of(*facts)
            if line is None:  # nothing worth saying (a code restated)
                continue
            groups.setdefault(year, (heading, {}))[1].setdefault(part, []).append(line)
        return [(heading, list(parts.items())) for _, (heading, parts) in sorted(groups.items(), reverse=True)]

    @property
    def explain(self) -> list[str]:
        """Return the jury's explanation as lines: each year's heading, its semesters' headings and sentences
        (French, rule id as a tag), the latest year first (empty when not asked for)."""
        lines = []
        for heading, parts in self.explain_groups:
            lines.append(heading)
            for part, sentences in parts:
                if part:
                    lines.append(part)
                lines.extend(sentences)
        return lines


@dataclass(slots=True)
class CohortResult:
    students: dict[Hashable, StudentResult]
    incomplete_evaluations: dict[Hashable, tuple[Hashable, ...]]  # run key -> evaluation ids (R2)

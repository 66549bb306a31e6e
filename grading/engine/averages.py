"""R1, R3, R4 for one semester run: module and UE averages, exact (R6) and cheap per student.

What every student of a run shares is worked out once (`RunPlan`): each evaluation's factor
20 · coef · weight(u) / max, as whole numbers over a common denominator, for each group of UEs the module's
evaluations weigh alike. A student's module average is then Σ value·factor / Σ weight in integers, and a UE
average (when every module average has its usual denominator) one more integer sum over a denominator also
computed once. Nothing is rounded: the results are `Fraction`s (R6).
"""
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from operator import itemgetter, mul
from typing import NamedTuple

from .codes import MAX_SCORE, GradeCode
from .rounding import exact
from .scores import RunIndex, r3_apply_rattrapage, r4_ue_average
from .types import EvaluationDef, ExactAverages, GradeValue, ModuleDef, UEDef

# Grade values are counted in thousandths: every value the application stores (two decimals) is a whole number
# of them. A finer value stays exact too (a Fraction), only slower.
SCALE = 1000
TWENTY = Fraction(MAX_SCORE)
ABS, ATT = GradeCode.ABS.value, GradeCode.ATT.value


class Weighting(NamedTuple):
    """How a module's evaluations weigh towards some UEs (R3): average = Σ units·factor / (SCALE · Σ weight)."""

    factors: tuple[int, ...]  # 20·coef·weight/max over a common denominator (0 when coef·weight is 0)
    weights: tuple[int, ...]  # coef·weight over the same denominator
    full: int  # Σ weights: the denominator's part when every evaluation counts


def weighting(evaluations: tuple[EvaluationDef, ...], ue: str) -> Weighting:
    """Return the integer factors of evaluations towards one UE (an evaluation weighing 0 or less counts nowhere)."""
    weights = [max(exact(ev.coef) * exact(ev.weight(ue)), Fraction(0)) for ev in evaluations]
    factors = [w * TWENTY / exact(ev.max) for w, ev in zip(weights, evaluations, strict=True)]
    common = lcm(*(x.denominator for x in weights + factors))
    weights_ = tuple(int(w * common) for w in weights)
    return Weighting(tuple(int(f * common) for f in factors), weights_, sum(weights_))


@dataclass(frozen=True)
class ModulePlan:
    """One module in one run: the evaluations that may count, and their weightings by UE (R2, R3)."""

    code: str
    ordinary_ids: tuple[Hashable, ...]  # evaluations complete or immediate, not rattrapage (R2)
    retakes: tuple[EvaluationDef, ...]  # rattrapage evaluations (R3)
    weightings: tuple[tuple[Weighting, Weighting], ...]  # (ordinary, retakes), distinct
    of_ue: Mapping[str, int]  # UE code -> index in weightings


# A module feeding a UE (R4), as a plain tuple (unpacked per student: a NamedTuple unpacks ten times slower):
# (module code, its weighting, coef(m,u) as a whole number over the UE's common coefficient denominator,
#  its usual denominator SCALE · full (0: never), coefficient · UE denominator / usual (0 when usual is 0)).
Feeder = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class UEPlan:
    """One UE in one run: its feeders and the common denominator of their usual module averages (R4)."""

    code: str
    feeders: tuple[Feeder, ...]
    denominator: int


# A UE in the usual case (every ordinary evaluation graded, no rattrapage entered), as a plain tuple:
# (what picks the values of the evaluations weighing in the UE out of the passage's (`PassagePlan.ordinary_ids`
#  order), their weights in the UE's numerator; the UE average's denominator, 0 when no module has one; where
#  each module with an average reads its own (`UsualAverages`); the modules left out, in feeder order (R3)).
UsualUE = tuple[itemgetter, tuple[int, ...], int, dict, tuple[str, ...]]


@dataclass(frozen=True)
class PassagePlan:
    """What a passage through a run computes for one parcours: its UEs, the modules feeding them, and the
    evaluations whose ATT blocks the semester (R1); and, for the usual case, the same R3–R4 arithmetic folded
    into one integer weight per evaluation and UE (`usual`)."""

    ues: tuple[tuple[UEDef, UEPlan], ...]
    modules: tuple[ModulePlan, ...]
    taken: frozenset
    ordinary_ids: tuple[Hashable, ...]  # the modules' ordinary evaluations, module after module
    others: tuple[Hashable, ...]  # the other evaluations of taken modules (waiting, rattrapage): none entered
    usual: tuple[tuple[UEDef, UsualUE], ...]  # as `ues`


class RunPlan:
    """Everything the students of a run share for R1, R3 and R4, built once per run (each part on first use)."""

    def __init__(self, index: RunIndex, modules: Mapping[str, ModuleDef]):
        self.index = index
        self._definitions = modules
        self.modules: dict[str, ModulePlan] = {}
        self._ues: dict[str, UEPlan] = {}

    def module(self, code: str) -> ModulePlan:
        """Return the plan of a module of the programme (one without evaluations in the run has no average)."""
        plan = self.modules.get(code)
        if plan is None:
            plan = self.modules[code] = module_plan(self._definitions[code], self.index.by_module.get(code, ()),
                                                    self.index.complete)
        return plan

    def ue(self, code: str, feeders: list[tuple[str, Decimal]]) -> UEPlan:
        """Return the plan of a UE fed by (module, coefficient) pairs."""
        plan = self._ues.get(code)
        if plan is None:
            plan = self._ues[code] = ue_plan(code, [(self.module(m), coef) for m, coef in feeders])
        return plan

    def passage(self, ues: list[UEDef], feeders: Mapping[str, list], taken: frozenset) -> PassagePlan:
        """Return the plan of a passage computing these UEs (`feeders`: UE -> [(module, coefficient)])."""
        plans = tuple((d, self.ue(d.code, feeders.get(d.code, ()))) for d in ues)
        modules = {module: self.module(module) for _, plan in plans for module, *_ in plan.feeders}
        ordinary_ids = tuple(eid for module in modules.values() for eid in module.ordinary_ids)
        retakes = [ev.id for module in modules.values() for ev in module.retakes]
        ordinary = set(ordinary_ids)
        others = tuple(dict.fromkeys(eid for eid in [*taken, *retakes] if eid not in ordinary))
        usual = tuple((d, usual_ue(plan, modules, len(ordinary_ids))) for d, plan in plans)
        return PassagePlan(plans, tuple(modules.values()), taken, ordinary_ids, others, usual)


def module_plan(module: ModuleDef, evaluations: tuple[EvaluationDef, ...], complete: frozenset) -> ModulePlan:
    """Return a module's plan: its evaluations that may count, grouped weightings for the UEs it feeds."""
    ordinary = tuple(ev for ev in evaluations if not ev.rattrapage and (ev.immediate or ev.id in complete))
    retakes = tuple(ev for ev in evaluations if ev.rattrapage)
    distinct: dict[tuple, int] = {}
    weightings, of_ue = [], {}
    for ue, coef in module.coefficients.items():
        if coef <= 0:
            continue
        pair = (weighting(ordinary, ue), weighting(retakes, ue))
        if pair not in distinct:
            distinct[pair] = len(weightings)
            weightings.append(pair)
        of_ue[ue] = distinct[pair]
    return ModulePlan(module.code, tuple(ev.id for ev in ordinary), retakes, tuple(weightings), of_ue)


def ue_plan(code: str, feeders: list[tuple[ModulePlan, Decimal]]) -> UEPlan:
    """Return a UE's plan: integer coefficients and each usual module average's share of one denominator."""
    present = [(plan, exact(coef)) for plan, coef in feeders]
    scale = lcm(*(coef.denominator for _, coef in present))
    usual = [SCALE * plan.weightings[plan.of_ue[code]][0].full for plan, _ in present]
    denominator = lcm(*(u for u in usual if u))
    return UEPlan(code, tuple(
        (plan.code, plan.of_ue[code], int(coef * scale), u, int(coef * scale) * (denominator // u) if u else 0)
        for (plan, coef), u in zip(present, usual, strict=True)
    ), denominator)


def usual_ue(plan: UEPlan, modules: Mapping[str, ModulePlan], length: int) -> UsualUE:
    """Return a UE's arithmetic in the usual case, folded: r4_student_ue_average sums coefficient · (usual
    denominator share) · Σ value·factor over the modules; distributing the products gives one weight per
    evaluation, so a student's UE numerator is a single dot product (same integers, same Fraction)."""
    weights, layout, left_out = [0] * length, {}, []
    start, starts = 0, {}
    for code, module in modules.items():
        starts[code] = start
        start += len(module.ordinary_ids)
    coefficients = 0
    for code, weighting, coefficient, usual_denominator, multiplier in plan.feeders:
        if not usual_denominator:
            left_out.append(code)  # no evaluation weighs towards the UE: the module drops out (R3)
            continue
        factors = modules[code].weightings[weighting][0].factors
        first = starts[code]
        for i, factor in enumerate(factors):
            weights[first + i] = multiplier * factor
        layout[code] = (first, first + len(factors), factors, usual_denominator)
        coefficients += coefficient
    # Only the evaluations weighing in the UE (a UE reads about a third of a passage's), picked in C by an
    # itemgetter; one of fewer than two indices returns no tuple, so then every value is taken.
    indices = [i for i, weight in enumerate(weights) if weight]
    if len(indices) < 2:
        indices = range(length)
    pick = itemgetter(*indices) if len(indices) >= 2 else tuple
    return pick, tuple(weights[i] for i in indices), plan.denominator * coefficients, layout, tuple(left_out)


# ------------------------------------------------------------------ per student


class UsualAverages(ExactAverages):
    """A student's module averages in one UE, in the usual case: each one's numerator summed from the passage's
    values when first read (a year computation reads none)."""

    __slots__ = ("_values",)

    def __init__(self, values: list, layout: Mapping[str, tuple]):
        self._terms = layout  # module -> (first, end of its values, their factors, SCALE · full)
        self._values = values
        self._made = None

    def _term(self, module: str) -> tuple:
        first, end, factors, denominator = self._terms[module]
        return sum(map(mul, self._values[first:end], factors)), denominator


def r1_usual_values(plan: PassagePlan, grades: Mapping[Hashable, GradeValue], known: dict) -> list | None:
    """Return a student's values in thousandths (R1) in `plan.ordinary_ids` order when the usual case holds:
    every ordinary evaluation holds a number or ABS (0), no other evaluation of a taken module holds anything
    (no ATT to block, no rattrapage to weigh). None otherwise: the general path (`r3_student_module_averages`)
    decides.

    `known`: cell -> what it brings (`r1_usual_cell`), for the cells of the usual case met so far in the
    computation (a year holds a few hundred distinct ones). The values are then read by two lookups per grade
    in C, no Python loop; a grade missing, or a cell not met before, raises KeyError and the loop below settles
    it (storing the new cells).
    """
    try:
        values = list(map(known.__getitem__, map(grades.__getitem__, plan.ordinary_ids)))
    except KeyError:
        values = []
        for eid in plan.ordinary_ids:
            cell = grades.get(eid)
            if cell is None:
                return None
            value = known.get(cell)
            if value is None:
                value = r1_usual_cell(cell)
                if value is None:
                    return None
                known[cell] = value
            values.append(value)
    for eid in plan.others:
        cell = grades.get(eid)
        if cell is not None and (cell[0] is not None or cell[1]):
            return None
    return values


def r1_usual_cell(cell: GradeValue) -> int | Fraction | None:
    """Return what a grade cell brings in the usual case (as `r1_counted`): its value in thousandths, 0 for ABS;
    None for a cell the usual case leaves to the general path (EXC, ATT, another code, nothing entered)."""
    value, code = cell
    if code:
        return 0 if code.upper() == ABS else None
    return None if value is None else units(value)


def units(value) -> int | Fraction:
    """Return a grade value in thousandths: a whole number for every value the application stores (two
    decimals), a Fraction for a finer one (exact either way)."""
    numerator, denominator = value.as_integer_ratio()
    return numerator * (SCALE // denominator) if SCALE % denominator == 0 else Fraction(numerator * SCALE, denominator)


def r1_counted(grades: Mapping[Hashable, GradeValue], taken: frozenset, known: dict) -> tuple[dict, bool]:
    """Return what each of a student's grades brings (R1) and whether one blocks the semester.

    By evaluation id: the value in thousandths, 0 for ABS; EXC, ATT and empty cells bring nothing. An ATT in a
    module the student takes (`taken`: evaluation ids) blocks the decisions.

    `known`: value -> units, shared by the whole computation. A year holds a few hundred distinct values, and
    looking one up (hashing a two-decimal `Decimal`) costs about a ninth of converting it (`as_integer_ratio`).
    """
    counted, blocked = {}, False
    for eid, (value, code) in grades.items():
        if code:
            code = code.upper()
            if code == ABS:
                counted[eid] = 0
            elif code == ATT and eid in taken:
                blocked = True
        elif value is not None:
            try:
                counted[eid] = known[value]
            except KeyError:
                counted[eid] = known.setdefault(value, units(value))
    return counted, blocked


def r1_retake(grade: GradeValue | None):
    """Return what a rattrapage evaluation brings (R2, R3): a numeric grade only."""
    if grade is None or grade.code or grade.value is None:
        return None
    return units(grade.value)


def partial(values: list, weighting: Weighting) -> tuple[int | Fraction, int]:
    """Return Σ value·factor and Σ weight over the values that count (some evaluation is left out)."""
    total = weights = 0
    for value, factor, weight in zip(values, weighting.factors, weighting.weights, strict=True):
        if value is not None:
            total += value * factor
            weights += weight
    return total, weights


def r3_student_module_averages(plan: PassagePlan, grades: Mapping[Hashable, GradeValue], known: dict
                               ) -> tuple[dict[str, list], bool]:
    """Return a student's averages of the modules a passage needs, and whether an ATT blocks it (R1, R3).

    By module, one entry per weighting: None (no evaluation counts: the module drops out), or (numerator,
    denominator, False or the average a rattrapage replaced: a Fraction or None).
    """
    counted, blocked = r1_counted(grades, plan.taken, known)
    get = counted.get
    averages = {}
    for module in plan.modules:
        values = list(map(get, module.ordinary_ids))
        every = None not in values  # the usual case: one product per evaluation, the usual denominator
        entries = []
        for ordinary, _ in module.weightings:
            if every:
                total, weights = sum(map(mul, values, ordinary.factors)), ordinary.full
            else:
                total, weights = partial(values, ordinary)
            entries.append((total, SCALE * weights, False) if weights else None)
        if module.retakes:
            r3_rattrapage(module, entries, grades)
        averages[module.code] = entries
    return averages, blocked


def r3_rattrapage(module: ModulePlan, entries: list, grades: Mapping[Hashable, GradeValue]) -> None:
    """Let the best rattrapage replace a module average when higher, or when there was none (R3)."""
    values = [r1_retake(grades.get(ev.id)) for ev in module.retakes]
    if all(value is None for value in values):
        return
    for i, (_, retake_weighting) in enumerate(module.weightings):
        best = r3_best_rattrapage(values, retake_weighting)
        if best is None:
            continue
        total, weights = best
        before = entries[i] and Fraction(entries[i][0], entries[i][1])
        after = r3_apply_rattrapage(before, Fraction(total, SCALE * weights))
        if after is not before:
            entries[i] = (total, SCALE * weights, before)


def r3_best_rattrapage(values: list, weighting: Weighting) -> tuple[int | Fraction, int] | None:
    """Return (Σ value·factor, Σ weight) of the best rattrapage a student sat that weighs towards the UE (R3:
    with several rattrapages in a module, the best of them is taken, never their mean); None when none."""
    best = None
    for value, factor, weight in zip(values, weighting.factors, weighting.weights, strict=True):
        if value is None or not weight:
            continue
        if best is None or Fraction(value * factor, weight) > Fraction(best[0], best[1]):
            best = (value * factor, weight)
    return best


def r4_student_ue_average(plan: UEPlan, averages: Mapping[str, list]) -> tuple[Fraction | None, ExactAverages]:
    """Return the exact UE average Σ coef·average / Σ coef over the modules with an average (R4), and those
    module averages by module.

    A module average over its usual denominator adds one integer product; any other (an evaluation left out,
    a rattrapage) sends the UE through the plain Fraction sum.
    """
    total = coefficients = 0
    usual = True
    terms = {}
    for module, weighting, coefficient, usual_denominator, multiplier in plan.feeders:
        average = averages[module][weighting]
        if average is None:
            continue
        terms[module] = average
        coefficients += coefficient
        if average[1] == usual_denominator:
            total += average[0] * multiplier
        else:
            usual = False
    module_averages = ExactAverages(terms)
    if not coefficients:
        return None, module_averages
    if usual:
        return Fraction(total, plan.denominator * coefficients), module_averages
    return r4_ue_average((coefficient, module_averages[module]) for module, _, coefficient, *_ in plan.feeders
                         if module in terms), module_averages

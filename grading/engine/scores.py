"""R1–R5: from grades to module and UE averages. Exact rational arithmetic (R6), no Django import."""
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .codes import MAX_SCORE, BonusMode
from .rounding import exact
from .types import EMPTY, EvaluationDef, GradeValue, ModuleDef, SemesterRun, UEDef

TWENTY = Fraction(MAX_SCORE)
POINTS = BonusMode.POINTS  # a plain name: enum attribute lookups are slow


def grade_code(grade: GradeValue | None) -> str | None:
    """Return the grade's code in upper case (R1: codes are case-insensitive), or None."""
    return grade.code.upper() if grade is not None and grade.code else None


def is_entered(grade: GradeValue | None) -> bool:
    """Tell whether a grade cell holds a number or a code (R2)."""
    return grade is not None and (grade.value is not None or bool(grade.code))


# ------------------------------------------------------------------ R2


@dataclass(frozen=True)
class RunIndex:
    """What every student of one semester run shares: evaluations by module and R2 completeness."""

    run: SemesterRun
    by_module: Mapping[str, tuple[EvaluationDef, ...]]
    complete: frozenset  # ids of evaluations that count for everybody (R2)
    incomplete: tuple  # ids of evaluations that count for nobody yet, in evaluation order (R2)
    rattrapage_modules: frozenset = frozenset()  # modules holding a rattrapage evaluation (R3)


def modules_taken(modules: Mapping[str, ModuleDef], ues: Mapping[str, UEDef], parcours: str | None) -> frozenset:
    """Return the codes of the modules feeding at least one UE the parcours takes (a module feeding none is not
    taken)."""
    return frozenset(
        m.code for m in modules.values()
        if any(coef > 0 and u in ues and ues[u].taken_by(parcours) for u, coef in m.coefficients.items())
    )


def r2_index_run(run: SemesterRun, taken_by_student: Mapping[Hashable, frozenset] | None = None) -> RunIndex:
    """Group a run's evaluations by module and find which count for everybody.

    R2: an ordinary evaluation counts once every enrolled student who takes its module has a grade or a code.
    Immediate and rattrapage evaluations never wait. `taken_by_student` maps a student to the modules they take;
    a student missing from it is taken to follow every module. A run whose `complete` is given is not recounted.
    """
    taken_by_student = taken_by_student or {}
    by_module: dict[str, list[EvaluationDef]] = {}
    for ev in run.evaluations:
        by_module.setdefault(ev.module, []).append(ev)
    waiting = [ev for ev in run.evaluations if not (ev.immediate or ev.rattrapage)]
    if run.complete is not None:  # completeness counted by the database (aggregate counts), not from the grades
        missing = {ev.id for ev in waiting if ev.id not in run.complete}
    else:
        missing: set = set()  # evaluations a student still has to be graded in
        pending = waiting  # those not found missing yet: one student's gap is enough
        for s in run.enrolled:
            cells = run.grades.get(s) or EMPTY
            taken = taken_by_student.get(s)
            found = len(missing)
            for ev in pending:
                cell = cells.get(ev.id)
                if (cell is None or (cell.value is None and not cell.code)) and (taken is None or ev.module in taken):
                    missing.add(ev.id)  # not entered (is_entered, inlined: this loop sees every grade)
            if len(missing) > found:
                pending = [ev for ev in pending if ev.id not in missing]
    complete = frozenset(ev.id for ev in waiting if ev.id not in missing)
    incomplete = tuple(ev.id for ev in waiting if ev.id in missing)
    return RunIndex(run=run, by_module={m: tuple(evs) for m, evs in by_module.items()},
                    complete=complete, incomplete=incomplete,
                    rattrapage_modules=frozenset(ev.module for ev in run.evaluations if ev.rattrapage))


# ------------------------------------------------------------------ R3


def r3_weighted_average(scored: Iterable[tuple[Fraction | Decimal, Fraction | Decimal]]) -> Fraction | None:
    """Return the exact Σ score·w / Σ w over (score, w) pairs with w > 0, or None when none is left.

    In integer numerators and denominators (one Fraction at the end: Fraction arithmetic is slow).
    """
    total, total_den, weights, weights_den = 0, 1, 0, 1
    for score, w in scored:
        if score is None or w <= 0:
            continue
        score_num, score_den = score.as_integer_ratio()
        w_num, w_den = w.as_integer_ratio()
        total, total_den = total * score_den * w_den + score_num * w_num * total_den, total_den * score_den * w_den
        weights, weights_den = weights * w_den + w_num * weights_den, weights_den * w_den
    if not weights:
        return None
    return Fraction(total * weights_den, total_den * weights)


def r3_apply_rattrapage(average: Fraction | None, rattrapage: Fraction | None) -> Fraction | None:
    """Return the module average once a rattrapage replaces it when higher (exact comparison), or when there
    was none."""
    if rattrapage is None:
        return average
    if average is None or rattrapage > average:
        return rattrapage
    return average


# ------------------------------------------------------------------ R4, R5


def r4_ue_average(module_averages: Iterable[tuple[Decimal, Fraction]]) -> Fraction | None:
    """Return the exact Σ coef(m,u)·avg(m,u) / Σ coef(m,u) over (coef, average) pairs of the modules with an
    average."""
    return r3_weighted_average((avg, coef) for coef, avg in module_averages)


def r5_bonus(average: Fraction, bonus: Decimal | None, mode: str = BonusMode.PERCENT) -> Fraction:
    """Return the exact UE average raised by the semester bonus, capped at 20 (percent: ×(1+p/100); points: +p)."""
    if not bonus:
        return exact(average)
    num, den = average.as_integer_ratio()
    p_num, p_den = bonus.as_integer_ratio()
    if mode == POINTS:
        num, den = num * p_den + p_num * den, den * p_den
    else:
        num, den = num * (100 * p_den + p_num), den * 100 * p_den
    return TWENTY if num >= MAX_SCORE * den else Fraction(num, den)


def r20_penalty(unjustified_half_days: int, threshold: int, points: Decimal) -> Fraction | None:
    """Return the exact points R20 takes off each UE average of a semester: one `points` per unjustified half-day
    beyond the threshold; None when there is nothing to take off."""
    beyond = unjustified_half_days - threshold
    if beyond <= 0 or not points:
        return None
    return exact(points) * beyond


def r20_absences(average: Fraction, penalty: Fraction) -> Fraction:
    """Return a UE average lowered by the R20 penalty, never below 0 (exact, R6)."""
    after = average - penalty
    return after if after > 0 else Fraction(0)

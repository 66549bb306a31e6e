"""R1–R5: from grades to module and UE averages. Plain Decimal arithmetic, no Django import."""
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .codes import MAX_SCORE, BonusMode, GradeCode
from .types import EvaluationDef, GradeValue, ModuleDef, SemesterRun, UEDef

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def exact_sum(terms: Iterable[Decimal]) -> Decimal:
    """Sum in a fixed (sorted) order, so that permuting the inputs never changes a digit."""
    return sum(sorted(terms), ZERO)


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
    complete, incomplete = set(), []
    for ev in run.evaluations:
        if ev.immediate or ev.rattrapage:
            continue
        if run.complete is not None:
            counts = ev.id in run.complete
        else:
            counts = all(is_entered(run.grades.get(s, {}).get(ev.id)) for s in run.enrolled
                         if s not in taken_by_student or ev.module in taken_by_student[s])
        if counts:
            complete.add(ev.id)
        else:
            incomplete.append(ev.id)
    return RunIndex(run=run, by_module={m: tuple(evs) for m, evs in by_module.items()},
                    complete=frozenset(complete), incomplete=tuple(incomplete),
                    rattrapage_modules=frozenset(ev.module for ev in run.evaluations if ev.rattrapage))


# ------------------------------------------------------------------ R1


def r1_normalise(value: Decimal, maximum: Decimal) -> Decimal:
    """Return a grade on the evaluation's maximum as a score out of 20."""
    return value * MAX_SCORE / maximum


def r1_counted_score(grade: GradeValue | None, ev: EvaluationDef, complete: bool) -> Decimal | None:
    """Return the /20 score an evaluation brings to one student, or None when it does not count.

    R1: ABS counts 0, EXC and ATT are left out. R2: an ordinary evaluation counts only once complete, an
    immediate one as soon as the student has a grade, a rattrapage one only for a numeric grade.
    """
    code = grade_code(grade)
    if ev.rattrapage:
        return r1_normalise(grade.value, ev.max) if code is None and grade and grade.value is not None else None
    if not (complete or ev.immediate) or grade is None:
        return None
    if code == GradeCode.ABS:
        return ZERO
    if code is not None or grade.value is None:  # EXC, ATT, or not entered
        return None
    return r1_normalise(grade.value, ev.max)


def r1_blocked(grades: Mapping[Hashable, GradeValue], evaluations: Iterable[EvaluationDef]) -> bool:
    """Tell whether any of the student's grades on these evaluations is ATT (R1: it blocks the decisions)."""
    return any(grade_code(grades.get(ev.id)) == GradeCode.ATT for ev in evaluations)


# ------------------------------------------------------------------ R3


def r3_weighted_average(scored: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Return Σ score·w / Σ w over (score, w) pairs with w > 0, or None when none is left."""
    pairs = [(score, w) for score, w in scored if w > 0 and score is not None]
    if not pairs:
        return None
    return exact_sum(score * w for score, w in pairs) / exact_sum(w for _, w in pairs)


def r1_scores(evaluations: Iterable[EvaluationDef], grades: Mapping[Hashable, GradeValue],
              complete: frozenset) -> dict[Hashable, Decimal]:
    """Return the /20 score of every evaluation that counts for one student, by evaluation id (R1, R2)."""
    scores = {}
    for ev in evaluations:
        score = r1_counted_score(grades.get(ev.id), ev, ev.id in complete)
        if score is not None:
            scores[ev.id] = score
    return scores


def r3_module_average(evaluations: Iterable[EvaluationDef], scores: Mapping[Hashable, Decimal],
                      ue: str) -> Decimal | None:
    """Return the module average towards a UE over its ordinary (non-rattrapage) evaluations that count.

    R3: Σ score·coef·weight(u) / Σ coef·weight(u); a weight of 0 leaves the evaluation out of that UE;
    no evaluation counting gives no average (the module drops out, it is not 0). `scores` holds the
    student's counted scores (r1_scores).
    """
    return r3_weighted_average(
        (scores[ev.id], ev.coef * ev.weight(ue)) for ev in evaluations if not ev.rattrapage and ev.id in scores
    )


def r3_rattrapage_average(evaluations: Iterable[EvaluationDef], scores: Mapping[Hashable, Decimal],
                          ue: str) -> Decimal | None:
    """Return the average of the module's rattrapage evaluations the student sat, towards a UE (R2, R3)."""
    return r3_weighted_average(
        (scores[ev.id], ev.coef * ev.weight(ue)) for ev in evaluations if ev.rattrapage and ev.id in scores
    )


def r3_apply_rattrapage(average: Decimal | None, rattrapage: Decimal | None) -> Decimal | None:
    """Return the module average once a rattrapage replaces it when higher (or when there was none)."""
    if rattrapage is None:
        return average
    if average is None or rattrapage > average:
        return rattrapage
    return average


# ------------------------------------------------------------------ R4, R5


def r4_ue_average(module_averages: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Return Σ coef(m,u)·avg(m,u) / Σ coef(m,u) over (coef, average) pairs of the modules with an average."""
    return r3_weighted_average((avg, coef) for coef, avg in module_averages)


def r5_bonus(average: Decimal, bonus: Decimal | None, mode: str = BonusMode.PERCENT) -> Decimal:
    """Return the UE average raised by the semester bonus, capped at 20 (percent: ×(1+p/100); points: +p)."""
    if not bonus:
        return average
    raised = average + bonus if mode == BonusMode.POINTS else average * (1 + bonus / HUNDRED)
    return min(MAX_SCORE, raised)

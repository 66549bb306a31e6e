"""R7–R11 and R13: UE and RCUE codes, compensation, lower levels, capitalisation. No Django import."""
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from .codes import PASS_MARK, RCUE_VALIDATED, UE_VALIDATED, DecisionCode
from .rounding import at_least
from .scores import r3_weighted_average
from .types import RCUEResult, UEDef, UEResult

ZERO = Decimal("0")
# Codes as plain names: an enum attribute lookup costs ten times a global one, and these run per student.
ADM, AJ, ATT, CMP, ADSUP = DecisionCode.ADM, DecisionCode.AJ, DecisionCode.ATT, DecisionCode.CMP, DecisionCode.ADSUP
RETAKEN_TO_ADM = frozenset({DecisionCode.CMP, DecisionCode.ADJR})  # R11: their code follows a new average ≥ 10


def is_validated(ue: UEResult | None) -> bool:
    """Tell whether a UE is validated and carries its ECTS (R7, R9, R10, R11, R15)."""
    return ue is not None and ue.decision in UE_VALIDATED


def is_rcue_validated(rcue: RCUEResult | None) -> bool:
    """Tell whether an RCUE counts as validated (R9, R10, R14)."""
    return rcue is not None and rcue.decision in RCUE_VALIDATED


def with_decision(ue: UEResult, decision: str | None, ects: Decimal) -> UEResult:
    """Return a copy of the UE with a new code; its ECTS only when the code validates it."""
    return UEResult(ue.code, ue.semester, ue.average, ue.average_before_bonus, decision,
                    ects if decision in UE_VALIDATED else ZERO, ue.module_averages, ue.capitalised, ue.by_jury,
                    ue.blocked)


def set_decision(ue: UEResult, decision: str | None, ects: Decimal) -> None:
    """Give a UE result its code (and its ECTS when the code validates it) in place, as `with_decision` does in
    a copy: only for a result the walk has just made, that only its current state holds and no explanation
    has noted yet (copying it would make a second object for nothing)."""
    ue.decision = decision
    ue.ects = ects if decision in UE_VALIDATED else ZERO


# ------------------------------------------------------------------ R7, R13


def r7_acquired(average: Fraction | None) -> bool:
    """Tell whether a UE average is ≥ 10 on its shown value (R6, R7)."""
    return average is not None and at_least(average, PASS_MARK)


def r13_provisional_code(ue: UEResult, blocked: bool) -> str | None:
    """Return the odd-semester jury's provisional code of a UE: ATT when blocked (R1), none without average (R4),
    ADM at 10 or more (R7), AJ below."""
    if blocked:
        return ATT
    if ue.average is None:
        return None
    return ADM if at_least(ue.average, PASS_MARK) else AJ  # r7_acquired, inlined


# ------------------------------------------------------------------ R8, R9


def r8_rcue_average(ues: list[UEResult | None], weights: tuple[int, ...]) -> Fraction | None:
    """Return the exact RCUE average: the UE averages weighted by their RCUE coefficients (`weights`, whole
    numbers in the same proportions); None if a UE has no average."""
    if len(ues) == 2:  # the usual RCUE, odd and even semester: one fraction, no generic sum
        first, second = ues
        if first is None or second is None or first.average is None or second.average is None:
            return None
        (n1, d1), (n2, d2) = first.average.as_integer_ratio(), second.average.as_integer_ratio()
        w1, w2 = weights
        if w1 > 0 and w2 > 0:
            return Fraction(w1 * n1 * d2 + w2 * n2 * d1, d1 * d2 * (w1 + w2))
    if any(result is None or result.average is None for result in ues):
        return None
    return r3_weighted_average((result.average, w) for result, w in zip(ues, weights, strict=True))


def r9_rcue_code(average: Fraction | None, blocked: bool) -> str | None:
    """Return the code of an RCUE of this average: ADM at 10 or more, AJ below; ATT when blocked (R1); none
    without average."""
    if blocked:
        return ATT
    if average is None:
        return None
    return ADM if at_least(average, PASS_MARK) else AJ


def r9_compensate(ue: UEResult, rcue: RCUEResult | None, blocked: bool) -> tuple[str | None, bool]:
    """Return a UE's code at the year jury (ADM, CMP or AJ), and whether it is worth explaining.

    A UE validated earlier (R11) or by a jury keeps its code; a UE of a blocked semester stays ATT (R1): both
    were explained already, like a UE without average (R4). (is_validated and r7_acquired inlined: this runs
    for every UE of every year.)
    """
    decision = ue.decision
    if decision in UE_VALIDATED and (ue.capitalised or ue.by_jury or decision != ADM):
        return decision, False
    if blocked:
        return ATT, False
    if ue.average is None:
        return None, False
    if at_least(ue.average, PASS_MARK):
        return ADM, True
    if rcue is None:
        return AJ, True
    if rcue.decision == ATT:
        return ATT, True
    if rcue.decision == ADM:
        return CMP, True
    return AJ, True


# ------------------------------------------------------------------ R10


def r10_lower_levels(competence: str, level: int, ue_defs: dict[str, UEDef], ues: dict[str, UEResult],
                     rcues: dict[str, RCUEResult]) -> list[tuple[str, str | None]]:
    """Give ADSUP, with ECTS, to every not-yet-validated UE and RCUE of lower levels of the competence that is
    already known (in `ues` / `rcues`, updated in place); return what changed: (« UE1.1 » or « RCUE C1-1 »,
    its code before)."""
    changed = []
    for code, ue in list(ues.items()):
        d = ue_defs.get(code)
        if d and d.competence == competence and d.level < level and not is_validated(ue):
            ues[code] = with_decision(ue, ADSUP, d.ects)
            changed.append((code, ue.decision))
    for key, rcue in list(rcues.items()):
        comp, _, lvl = key.rpartition("-")
        if comp == competence and lvl.isdigit() and int(lvl) < level and not is_rcue_validated(rcue):
            rcues[key] = replace(rcue, decision=ADSUP)
            changed.append((f"RCUE {key}", rcue.decision))
    return changed


# ------------------------------------------------------------------ R11


def r11_capitalise(previous: UEResult | None, new: UEResult) -> UEResult:
    """Merge a new UE result with an earlier validated one: code and ECTS kept, better average used (the new
    result itself when nothing was validated before); a CMP or ADJR UE whose new average reaches 10 becomes
    ADM (R11)."""
    if not is_validated(previous):
        return new
    best = previous
    if new.average is not None and (previous.average is None or new.average > previous.average):
        best = new
    decision = previous.decision
    if decision in RETAKEN_TO_ADM and new.average is not None and at_least(new.average, PASS_MARK):
        decision = ADM  # R11: a CMP or ADJR UE retaken at 10 or more becomes ADM, as ScoDoc records it
    return new.copy(decision=decision, ects=previous.ects, capitalised=True,
                    average=best.average, average_before_bonus=best.average_before_bonus)

"""R7–R11 and R13: UE and RCUE codes, compensation, lower levels, capitalisation. No Django import."""
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from .codes import PASS_MARK, RCUE_VALIDATED, UE_VALIDATED, DecisionCode
from .rounding import at_least, fmt
from .scores import r3_weighted_average
from .types import RCUEResult, UEDef, UEResult

ZERO = Decimal("0")


def shown(value: Fraction | None) -> str:
    """Return an average as the explanation prints it (two decimals, or 'no average')."""
    return "no average" if value is None else fmt(value)


def compare(value: Fraction, threshold: Decimal) -> str:
    """Return '>=' or '<' as the shown value stands against the threshold (R6)."""
    return ">=" if at_least(value, threshold) else "<"


def is_validated(ue: UEResult | None) -> bool:
    """Tell whether a UE is validated and carries its ECTS (R7, R9, R10, R11, R15)."""
    return ue is not None and ue.decision in UE_VALIDATED


def is_rcue_validated(rcue: RCUEResult | None) -> bool:
    """Tell whether an RCUE counts as validated (R9, R10, R14)."""
    return rcue is not None and rcue.decision in RCUE_VALIDATED


def with_decision(ue: UEResult, decision: str | None, ects: Decimal) -> UEResult:
    """Return a copy of the UE with a new code; its ECTS only when the code validates it."""
    return ue.copy(decision=decision, ects=ects if decision in UE_VALIDATED else ZERO)


# ------------------------------------------------------------------ R7, R13


def r7_acquired(average: Fraction | None) -> bool:
    """Tell whether a UE average is ≥ 10 on its shown value (R6, R7)."""
    return average is not None and at_least(average, PASS_MARK)


def r13_provisional_code(ue: UEResult, blocked: bool) -> tuple[str | None, str]:
    """Return the odd-semester jury's provisional code of a UE, with its explanation."""
    if blocked:
        return DecisionCode.ATT, f"R1: {ue.code} ATT (an ATT grade blocks the semester)"
    if ue.average is None:
        return None, f"R4: {ue.code} has no average (no module has one): no code"
    code = DecisionCode.ADM if r7_acquired(ue.average) else DecisionCode.AJ
    return code, f"R13: {ue.code} {fmt(ue.average)} {compare(ue.average, PASS_MARK)} 10 -> {code} (provisional)"


# ------------------------------------------------------------------ R8, R9


def r8_rcue_average(ues: list[tuple[UEDef, UEResult | None]]) -> Fraction | None:
    """Return the exact RCUE average: the UE averages weighted by their RCUE coefficients; None if one has none."""
    if any(result is None or result.average is None for _, result in ues):
        return None
    return r3_weighted_average((r.average, d.rcue_coef) for d, r in ues)


def r9_rcue_code(rcue: RCUEResult, blocked: bool) -> tuple[str | None, str]:
    """Return an RCUE's code (ADM ≥ 10, AJ below; ATT when blocked; None without average), with its explanation."""
    if blocked:
        return DecisionCode.ATT, f"R1: RCUE {rcue.key} ATT (an ATT grade blocks the year)"
    if rcue.average is None:
        return None, f"R8: RCUE {rcue.key} has no average (a UE has none): no code"
    code = DecisionCode.ADM if at_least(rcue.average, PASS_MARK) else DecisionCode.AJ
    return code, f"R9: RCUE {rcue.key} {fmt(rcue.average)} {compare(rcue.average, PASS_MARK)} 10 -> {code}"


def r9_compensate(ue: UEResult, rcue: RCUEResult | None, blocked: bool) -> tuple[str | None, str | None]:
    """Return a UE's code at the year jury (ADM, CMP or AJ), with its explanation (None: nothing to say).

    A UE validated earlier (R11) or by a jury keeps its code; a UE of a blocked semester stays ATT (R1).
    """
    if is_validated(ue) and (ue.capitalised or ue.by_jury or ue.decision != DecisionCode.ADM):
        return ue.decision, None
    if blocked:
        return DecisionCode.ATT, None  # already explained when the semester was blocked
    if ue.average is None:
        return None, None  # R4, already explained
    if r7_acquired(ue.average):
        return DecisionCode.ADM, f"R7: {ue.code} {fmt(ue.average)} >= 10 -> ADM"
    below = f"R9: {ue.code} {fmt(ue.average)} < 10"
    if rcue is None:
        return DecisionCode.AJ, f"{below}, in no RCUE -> AJ"
    if rcue.decision == DecisionCode.ATT:
        return DecisionCode.ATT, f"R1: {ue.code} {fmt(ue.average)} < 10, RCUE {rcue.key} ATT -> ATT"
    if rcue.decision == DecisionCode.ADM:
        return DecisionCode.CMP, f"{below}, RCUE {rcue.key} {fmt(rcue.average)} >= 10 -> CMP"
    return DecisionCode.AJ, f"{below}, RCUE {rcue.key} {shown(rcue.average)} not validated -> AJ"


# ------------------------------------------------------------------ R10


def r10_lower_levels(competence: str, level: int, ue_defs: dict[str, UEDef], ues: dict[str, UEResult],
                     rcues: dict[str, RCUEResult], source: str) -> list[str]:
    """Give ADSUP, with ECTS, to every not-yet-validated UE and RCUE of lower levels of the competence that is
    already known (in `ues` / `rcues`, updated in place); return the explanations."""
    explain = []
    for code, ue in list(ues.items()):
        d = ue_defs.get(code)
        if d and d.competence == competence and d.level < level and not is_validated(ue):
            ues[code] = with_decision(ue, DecisionCode.ADSUP, d.ects)
            explain.append(f"R10: RCUE {source} validated -> {code} ADSUP (was {ue.decision or 'no code'})")
    for key, rcue in list(rcues.items()):
        comp, _, lvl = key.rpartition("-")
        if comp == competence and lvl.isdigit() and int(lvl) < level and not is_rcue_validated(rcue):
            rcues[key] = replace(rcue, decision=DecisionCode.ADSUP)
            explain.append(f"R10: RCUE {source} validated -> RCUE {key} ADSUP (was {rcue.decision or 'no code'})")
    return explain


# ------------------------------------------------------------------ R11


def r11_capitalise(previous: UEResult | None, new: UEResult) -> tuple[UEResult, str | None]:
    """Merge a new UE result with an earlier validated one: code and ECTS kept, better average used."""
    if not is_validated(previous):
        return new, None
    best = previous
    if new.average is not None and (previous.average is None or new.average > previous.average):
        best = new
    merged = new.copy(decision=previous.decision, ects=previous.ects, capitalised=True,
                      average=best.average, average_before_bonus=best.average_before_bonus)
    return merged, (f"R11: {new.code} capitalised {previous.decision} kept, average: better of "
                    f"{shown(previous.average)} and {shown(new.average)} -> {shown(merged.average)}")

"""The jury's explanation lines, in plain French: one line per decision, its rule id first (the jury sheet
groups the lines by it), figures as the jury reads them (two decimals, decimal comma).

Only called when explanations are asked for (`compute(..., explain=True)`): nothing here runs otherwise.
No Django import.
"""
from decimal import Decimal
from fractions import Fraction

from .codes import PASS_MARK, RCUE_FLOOR, DecisionCode
from .progression import r14_is_pending, r14_rcue_at_floor
from .rounding import at_least, fmt
from .types import RCUEResult, UEResult
from .validation import is_rcue_validated

NO_AVERAGE = "pas de moyenne"
NO_CODE = "sans code"


def number(value: Fraction | Decimal | None) -> str:
    """Return an average as the jury reads it: « 12,50 », or « pas de moyenne »."""
    return NO_AVERAGE if value is None else fmt(value, ",")


def plain(value: Decimal) -> str:
    """Return a plain number (bonus, ECTS) with a decimal comma and no trailing zero: « 2,5 », « 60 »."""
    return format(value.normalize(), "f").replace(".", ",")


def against(value: Fraction, threshold: Decimal) -> str:
    """Return « 9,40 < 10 » or « 10,25 ≥ 10 », as the shown value stands against the threshold (R6)."""
    sign = "≥" if at_least(value, threshold) else "<"
    return f"{number(value)} {sign} {plain(threshold)}"


def code_or_none(code: str | None) -> str:
    return code or NO_CODE


# ------------------------------------------------------------------ R1–R5, R11 (a passage)


def r1_blocked(semester: int) -> str:
    return f"R1 — note ATT en S{semester} → ses UE, les RCUE et la décision d'année sont ATT"


def r3_left_out(module: str, ue: str) -> str:
    return f"R3 — {module} : aucune évaluation ne compte vers {ue}, module écarté"


def r3_rattrapage(module: str, ue: str, average: Fraction, replaced: Fraction | None) -> str:
    return f"R3 — {module} : rattrapage {number(average)} remplace {number(replaced)} vers {ue}"


def r5_bonus(ue: str, before: Fraction, bonus: Decimal, points: bool, after: Fraction) -> str:
    unit = " point" + ("s" if bonus > 1 else "") if points else " %"
    capped = " (plafonnée à 20)" if after == 20 else ""
    return f"R5 — {ue} : {number(before)} + bonus {plain(bonus)}{unit} → {number(after)}{capped}"


def r11_prior_unknown(ue: str) -> str:
    return f"R11 — {ue} : validation antérieure hors du programme, ignorée"


def r11_prior(ue: str, code: str, average: Fraction | None) -> str:
    return f"R11 — {ue} : {code} avant le parcours ({number(average)})"


def r11_capitalised(previous: UEResult, new: UEResult, merged: UEResult) -> str:
    return (f"R11 — {new.code} capitalisée {previous.decision} conservée ; moyenne : meilleure de "
            f"{number(previous.average)} et {number(new.average)} → {number(merged.average)}")


def r11_rcue_kept(key: str, code: str) -> str:
    return f"R11 — RCUE {key} validé auparavant ({code}) : conservé"


def r17_repeated(semester: int, repeats: int) -> str:
    return f"R17 — S{semester} redoublé (semestres redoublés jusqu'ici : {repeats})"


# ------------------------------------------------------------------ R7–R10, R13 (codes)


def r13_provisional(ue: UEResult, code: str | None) -> str:
    """Explain an odd-semester provisional code (validation.r13_provisional_code)."""
    if code == DecisionCode.ATT:
        return f"R1 — {ue.code} : ATT (une note ATT bloque le semestre)"
    if code is None:
        return f"R4 — {ue.code} : {NO_AVERAGE} (aucun module n'en a), pas de code"
    return f"R13 — {ue.code} : {against(ue.average, PASS_MARK)} → {code} (provisoire)"


def r8_rcue(key: str, members: list[UEResult | None], codes: tuple[str, ...], average: Fraction | None) -> str:
    parts = " et ".join(f"{code} {number(ue.average if ue else None)}" for code, ue in zip(codes, members,
                                                                                            strict=True))
    return f"R8 — RCUE {key} : moyenne de {parts} → {number(average)}"


def r9_rcue(rcue: RCUEResult) -> str:
    """Explain an RCUE's code (validation.r9_rcue_code)."""
    if rcue.decision == DecisionCode.ATT:
        return f"R1 — RCUE {rcue.key} : ATT (une note ATT bloque l'année)"
    if rcue.decision is None:
        return f"R8 — RCUE {rcue.key} : {NO_AVERAGE} (une UE n'en a pas), pas de code"
    return f"R9 — RCUE {rcue.key} : {against(rcue.average, PASS_MARK)} → {rcue.decision}"


def r9_compensate(ue: UEResult, rcue: RCUEResult | None, code: str) -> str:
    """Explain a UE's code at the year jury (validation.r9_compensate, when it has something to say)."""
    if code == DecisionCode.ADM:
        return f"R7 — {ue.code} : {against(ue.average, PASS_MARK)} → ADM"
    below = f"{ue.code} : {against(ue.average, PASS_MARK)}"
    if rcue is None:
        return f"R9 — {below}, dans aucun RCUE → AJ"
    if code == DecisionCode.ATT:
        return f"R1 — {below} et RCUE {rcue.key} ATT → ATT"
    if code == DecisionCode.CMP:
        return f"R9 — {below} mais RCUE {rcue.key} : {against(rcue.average, PASS_MARK)} → CMP"
    return f"R9 — {below} et RCUE {rcue.key} : {number(rcue.average)} non validé → AJ"


def r10_lower_level(source: str, subject: str, was: str | None) -> str:
    return f"R10 — RCUE {source} validé → {subject} ADSUP (était {code_or_none(was)})"


# ------------------------------------------------------------------ R14–R18 (progression), jury


def r14_progression(year: int, rcues: list[RCUEResult], allowed: bool | None) -> str:
    """Explain whether the year's RCUEs open the next odd semester (progression.r14_may_enter_odd)."""
    target = f"S{2 * year + 1}"
    if allowed is None:
        return f"R14 — année {year} : un RCUE en attente → passage en {target} indécis"
    validated = sum(1 for r in rcues if is_rcue_validated(r))
    half = "plus de la moitié" if 2 * validated > len(rcues) else "pas plus de la moitié"
    low = [f"RCUE {r.key} : {against(r.average, RCUE_FLOOR)}" for r in rcues if not r14_rcue_at_floor(r)]
    floor = ", ".join(low) or "tous les RCUE ≥ 8"
    verdict = f"accès en {target}" if allowed else f"pas d'accès en {target}"
    return f"R14 — année {year} : {validated}/{len(rcues)} RCUE validés ({half}), {floor} → {verdict}"


def r15_s5(allowed: bool | None, missing: tuple[str, ...]) -> str:
    if allowed is None:
        return "R15 — S1/S2 inconnus → passage en S5 indécis"
    if missing:
        return f"R15 — {', '.join(missing)} non validée{'s' if len(missing) > 1 else ''} → pas d'accès en S5"
    return "R15 — toutes les UE de S1 et S2 validées → accès en S5"


def r16_proposal(year: int, code: str, rcues: list[RCUEResult], may_enter_odd: bool | None) -> str:
    """Explain the proposed year decision (progression.r16_year_proposal)."""
    if code == DecisionCode.ATT:
        pending = ", ".join(r.key for r in rcues if r14_is_pending(r)) or "manquant"
        return f"R16 — année {year} : RCUE {pending} en attente → ATT"
    if code == DecisionCode.ADM:
        return f"R16 — année {year} : tous les RCUE validés → ADM"
    if code == DecisionCode.PASD:
        rules = "R14 et R15 satisfaites" if year == 2 else "R14 satisfaite"
        return f"R16 — année {year} : RCUE pas tous validés, {rules} → PASD"
    why = "R14 non satisfaite" if year < 3 else "pas de PASD en BUT3"
    if year == 2 and may_enter_odd:
        why = "R15 non satisfaite"
    repeat = "redoublement possible" if code == DecisionCode.RED else "redoublement impossible"
    return f"R16 — année {year} : RCUE pas tous validés, {why} ; R17 : {repeat} → {code}"


def r16_status(status: str, year: int, code: str) -> str:
    return f"R16 — statut {status} → année {year} {code}"


def r16_jury(subject: str, code: str, previous: str | None) -> str:
    return f"R16 — jury {subject} : {code} prime sur {code_or_none(previous)}"


def r16_jury_year(code: str, proposal: str | None) -> str:
    return f"R16 — jury année : {code} prime sur {proposal or 'aucune proposition'}"


def r16_jury_ignored(subject: str, code: str) -> str:
    return f"R16 — jury {subject} {code} : ni une UE ni un RCUE du parcours, ignoré"


def r16_adjr(ue: UEResult, key: str) -> str:
    return f"R16 — {ue.code} : {number(ue.average)} dans le RCUE {key} ADJ → ADJR"


def r18_diplomas(ects: Decimal, dut: bool, but: bool) -> str:
    return (f"R18 — {plain(ects)} ECTS acquis ; DUT : {'accessible' if dut else 'pas encore'}, "
            f"BUT : {'accessible' if but else 'pas encore'}")

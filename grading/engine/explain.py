"""The jury's explanation lines, in plain French: one sentence per decision, its rule id as a tag at the end
(« Passage de droit en BUT3 : 3 RCUE validés sur 4, aucun sous 8 → PASD — R14 »), figures as the jury reads
them (two decimals, decimal comma) and the exact value where a rounding decides (R6).

The walk notes each line under a section (a BUT year under a heading, then a semester), as one of these
functions and its facts; `StudentResult.explain_groups` calls them when read and orders the lines: the current
year first, earlier years after it. Only called when explanations are asked for
(`compute(..., explain=True)`): nothing here runs otherwise. No Django import.
"""
from decimal import Decimal
from fractions import Fraction

from .codes import PASS_MARK, RCUE_FLOOR, DecisionCode
from .progression import r14_is_pending, r14_rcue_at_floor
from .rounding import at_least, fmt, shown
from .types import RCUEResult, UEResult
from .validation import is_rcue_validated

NO_AVERAGE = "pas de moyenne"
CENT = Decimal("0.01")
EXACT_DIGITS = 6  # the exact value of a non-terminating average is shown to this many decimals, then « … »


def number(value: Fraction | Decimal | None) -> str:
    """Return an average as the jury reads it: « 12,50 », or « pas de moyenne »."""
    return NO_AVERAGE if value is None else fmt(value, ",")


def plain(value: Decimal) -> str:
    """Return a plain number (bonus, ECTS) with a decimal comma and no trailing zero: « 2,5 », « 60 »."""
    return format(value.normalize(), "f").replace(".", ",")


def exact_text(value: Fraction) -> str:
    """Return the exact value of an average, « 9,9925 », or « 9,994444… » when its decimals never end."""
    value = Fraction(value)
    for digits in range(EXACT_DIGITS + 1):
        scaled = value * 10 ** digits
        if scaled.denominator == 1:
            return plain(Decimal(scaled.numerator).scaleb(-digits))
    truncated = Decimal(int(value * 10 ** EXACT_DIGITS)).scaleb(-EXACT_DIGITS)
    return format(truncated, "f").replace(".", ",") + "…"


def decides(value: Fraction | Decimal, threshold: Decimal) -> bool:
    """Tell whether the rounding to the cent decides against a threshold: the exact value differs from the shown
    one, which stands within a cent of the threshold (9,9925 shows 9,99; 9,995 shows 10,00)."""
    shown_value = shown(value)
    return Fraction(value) != Fraction(shown_value) and abs(shown_value - threshold) <= CENT


def against(value: Fraction, threshold: Decimal) -> str:
    """Return « 9,40 < 10 » or « 10,25 ≥ 10 » as the shown value stands against the threshold (R6), with the
    exact value when the rounding decides: « 9,99 (exactement 9,9925) < 10 »."""
    sign = "≥" if at_least(value, threshold) else "<"
    exactly = f" (exactement {exact_text(value)})" if decides(value, threshold) else ""
    return f"{number(value)}{exactly} {sign} {plain(threshold)}"


def tagged(sentence: str, *rules: str) -> str:
    """Return a sentence with its rule ids as a tag: « … — R9 », « … — R14, R17 »."""
    return f"{sentence} — {', '.join(rules)}"


def listed(codes) -> str:
    return ", ".join(codes)


# ------------------------------------------------------------------ R1–R5, R11, R17 (a passage)


def r1_blocked(semester: int) -> str:
    return tagged(f"Une note ATT en S{semester} : les UE du semestre, les RCUE et la décision d'année attendent",
                  "R1")


def r3_left_out(module: str, ue: str, waiting: bool) -> str:
    if waiting:  # its evaluations count for nobody yet (R2), not a weight of zero
        return tagged(f"{module} ne compte pas vers {ue} : ses évaluations attendent encore des notes", "R2")
    return tagged(f"{module} ne compte pas vers {ue} : aucune de ses évaluations n'y compte", "R3")


def r3_rattrapage(module: str, ue: str, average: Fraction, replaced: Fraction | None) -> str:
    was = f"la moyenne {number(replaced)}" if replaced is not None else "l'absence de moyenne"
    return tagged(f"{module} : le rattrapage, {number(average)}, remplace {was} vers {ue}", "R3")


def r5_bonus(ue: str, before: Fraction, bonus: Decimal, points: bool, after: Fraction) -> str:
    unit = " point" + ("s" if bonus > 1 else "") if points else " %"
    capped = " (plafonnée à 20)" if after == 20 else ""
    return tagged(f"{ue} : {number(before)} + bonus de {plain(bonus)}{unit} = {number(after)}{capped}", "R5")


def r20_absences(ue: str, before: Fraction, beyond: int, points: Decimal, after: Fraction) -> str:
    half_days = f"{beyond} demi-journée" + ("s" if beyond > 1 else "")
    unit = " point" + ("s" if points > 1 else "")
    floored = " (ramenée à 0)" if after == 0 else ""
    return tagged(f"{ue} : {number(before)} − {half_days} d'absence non justifiée{'s' if beyond > 1 else ''} "
                  f"au-delà du seuil × {plain(points)}{unit} = {number(after)}{floored}", "R20")


def r11_prior_unknown(ue: str) -> str:
    return tagged(f"{ue} : validation antérieure hors du programme, ignorée", "R11")


def r11_prior(ue: str, code: str, average: Fraction | None) -> str:
    figure = f", {number(average)}" if average is not None else ""
    return tagged(f"{ue} : {code} avant ce parcours{figure}", "R11")


def r11_capitalised(previous: UEResult, new: UEResult, merged: UEResult) -> str:
    if merged.decision != previous.decision:
        return tagged(f"{new.code} acquise auparavant en {previous.decision}, reprise à "
                      f"{against(new.average, PASS_MARK)} → {merged.decision}", "R11")
    if merged.average is not None and merged.average == new.average and merged.average != previous.average:
        return tagged(f"{new.code} déjà acquise ({previous.decision}) : la nouvelle moyenne, {number(new.average)}, "
                      f"meilleure que {number(previous.average)}, est retenue", "R11")
    return tagged(f"{new.code} déjà acquise ({previous.decision}) : sa moyenne {number(previous.average)} est "
                  f"conservée (cette fois {number(new.average)})", "R11")


def r11_rcue_kept(key: str, code: str, average: Fraction | None) -> str:
    return tagged(f"RCUE {key} déjà validé ({code}), il le reste ; moyenne recalculée {number(average)}", "R11")


def r17_repeated(semester: int, repeats: int) -> str:
    return tagged(f"S{semester} redoublé ({repeats} semestre{'s' if repeats > 1 else ''} redoublé"
                  f"{'s' if repeats > 1 else ''} jusqu'ici)", "R17")


def r2_left(semester: int, status: str, ues: list[UEResult]) -> str:
    figures = ", ".join(f"{ue.code} {number(ue.average)}" for ue in ues if ue.average is not None)
    info = f" ; moyennes pour information : {figures}" if figures else ""
    return tagged(f"S{semester} quitté ({status}) : aucune UE validée, 0 ECTS, codes {status}{info}", "R2")


# ------------------------------------------------------------------ R7–R10, R13 (codes)


def r13_provisional(ue: UEResult, code: str | None) -> str:
    """Explain an odd-semester provisional code (validation.r13_provisional_code)."""
    if code == DecisionCode.ATT:
        return tagged(f"{ue.code} : ATT, une note est attendue", "R1")
    if code is None:
        return tagged(f"{ue.code} : aucun module n'a de moyenne, pas de code", "R4")
    return tagged(f"{ue.code} : {against(ue.average, PASS_MARK)} → {code}, provisoire jusqu'au jury d'année",
                  "R13")


def r9_rcue(rcue: RCUEResult, members: list[UEResult | None]) -> str:
    """Explain an RCUE's average (R8) and code (R9) in one sentence."""
    parts = ", ".join(f"{code} {number(ue.average if ue else None)}" for code, ue in zip(rcue.ues, members,
                                                                                           strict=True))
    if rcue.decision == DecisionCode.ATT:
        return tagged(f"RCUE {rcue.key} en attente ({parts}) : une note ATT → ATT", "R1")
    if rcue.average is None:
        missing = listed(code for code, ue in zip(rcue.ues, members, strict=True) if ue is None or ue.average is None)
        return tagged(f"RCUE {rcue.key} sans moyenne : {missing} n'en a pas, pas de code", "R8")
    verdict = "validé" if rcue.decision == DecisionCode.ADM else "non validé"
    return tagged(f"RCUE {rcue.key} {verdict} : {against(rcue.average, PASS_MARK)} ({parts}) → {rcue.decision}",
                  "R9")


def r9_compensate(ue: UEResult, rcue: RCUEResult | None, code: str) -> str:
    """Explain a UE's code at the year jury (validation.r9_compensate, when it has something to say)."""
    if code == DecisionCode.ADM:
        return tagged(f"{ue.code} acquise : {against(ue.average, PASS_MARK)} → ADM", "R7")
    below = f"{ue.code} : {against(ue.average, PASS_MARK)}"
    if rcue is None:
        return tagged(f"{below}, dans aucun RCUE → AJ", "R9")
    if code == DecisionCode.ATT:
        return tagged(f"{below}, RCUE {rcue.key} en attente → ATT", "R1")
    if code == DecisionCode.CMP:
        return tagged(f"{ue.code} compensée : {number(ue.average)} < 10 mais RCUE {rcue.key} "
                      f"{against(rcue.average, PASS_MARK)} → CMP", "R9")
    return tagged(f"{below} et RCUE {rcue.key} non validé ({number(rcue.average)}) → AJ", "R9")


def r10_lower_level(source: str, subject: str, was: str | None) -> str:
    before = f"{was} → " if was else ""
    return tagged(f"{subject} validé par le niveau supérieur (RCUE {source} validé) : {before}ADSUP", "R10")


# ------------------------------------------------------------------ R14–R18 (progression), jury


def _r14_reasons(rcues: list[RCUEResult]) -> str:
    validated = sum(1 for r in rcues if is_rcue_validated(r))
    low = [f"RCUE {r.key} {against(r.average, RCUE_FLOOR)}" for r in rcues if not r14_rcue_at_floor(r)]
    half = "" if 2 * validated > len(rcues) else " (il en faut plus de la moitié)"
    return (f"{validated} RCUE validé{'s' if validated > 1 else ''} sur {len(rcues)}{half}, "
            + (listed(low) if low else "aucun sous 8"))


def r16_proposal(year: int, code: str, rcues: list[RCUEResult], may_enter_odd: bool | None,
                 s5: tuple[bool | None, tuple[str, ...]] | None) -> str:
    """Explain the proposed year decision (progression.r16_year_proposal) with what decides it (R14, R15, R17)."""
    if code == DecisionCode.ADM:
        every = "le RCUE de l'année est validé" if len(rcues) == 1 else f"les {len(rcues)} RCUE de l'année sont validés"
        return tagged(f"BUT{year} validé : {every} → ADM", "R16")
    if code == DecisionCode.ATT:
        if s5 is not None and s5[0] is None and may_enter_odd:
            absent = f" ({listed(s5[1])} absentes du dossier)" if s5[1] else ""
            return tagged(f"Pas de proposition : BUT1 non renseigné{absent}, le passage en BUT3 ne peut être établi "
                          f"→ ATT", "R15")
        pending = listed(r.key for r in rcues if r14_is_pending(r)) or "manquants"
        return tagged(f"Pas de proposition : RCUE {pending} en attente → ATT", "R16")
    if code == DecisionCode.PASD:
        if year == 2:
            return tagged(f"Passage de droit en BUT3 : {_r14_reasons(rcues)}, toutes les UE de BUT1 validées → PASD",
                          "R14", "R15")
        return tagged(f"Passage de droit en BUT{year + 1} : {_r14_reasons(rcues)} → PASD", "R14")
    repeat = "redoublement possible" if code == DecisionCode.RED else "redoublement impossible"
    if year == 3:
        return tagged(f"BUT3 non validé, pas de passage de droit en BUT3 ; {repeat} → {code}", "R16", "R17")
    if year == 2 and may_enter_odd and s5 is not None:
        return tagged(f"Pas de passage en BUT3 : {listed(s5[1])} de BUT1 non validée"
                      f"{'s' if len(s5[1]) > 1 else ''} ; {repeat} → {code}", "R15", "R17")
    return tagged(f"Pas de passage en BUT{year + 1} : {_r14_reasons(rcues)} ; {repeat} → {code}", "R14", "R17")


def r16_status(status: str, year: int, code: str) -> str:
    return tagged(f"Inscription terminée ({status}) : la décision de BUT{year} est {code}", "R2", "R16")


def r16_jury(subject: str, code: str, previous: str | None) -> str | None:
    if code == previous:
        return None  # the jury confirmed the code already given: nothing new to read
    was = f"au lieu de {previous}" if previous else "sans code auparavant"
    return tagged(f"Jury : {subject} {code}, {was}", "R16")


def r16_jury_year(code: str, proposal: str | None) -> str | None:
    if code == proposal:
        return None
    was = f"au lieu de la proposition {proposal}" if proposal else "sans proposition"
    return tagged(f"Jury : décision d'année {code}, {was}", "R16")


def r16_jury_ignored(subject: str, code: str) -> str:
    return tagged(f"Jury : {subject} {code} ignoré, ni une UE ni un RCUE du parcours", "R16")


def r13_refused(semester: int, subject: str, code: str) -> str:
    what = "décision d'année" if subject == "year" else f"RCUE {subject}"
    return tagged(f"Jury de S{semester} : {what} {code} refusée, un jury de semestre impair ne décide que des UE",
                  "R13")


def r16_adjr(ue: UEResult, key: str) -> str:
    return tagged(f"{ue.code} : {number(ue.average)} dans le RCUE {key} validé par le jury → ADJR", "R16")


def r18_diplomas(ects: Decimal, dut: bool, but: bool) -> str:
    return tagged(f"{plain(ects)} ECTS acquis ; DUT {'accessible' if dut else 'pas encore'}, "
                  f"BUT {'accessible' if but else 'pas encore'}", "R18")

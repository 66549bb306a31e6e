"""R14–R18: progression, year decisions, repeat limits, diplomas. No Django import."""
from collections.abc import Mapping
from decimal import Decimal

from .codes import (
    BUT_ECTS,
    DUT_ECTS,
    MAX_SEMESTER_REPEATS,
    RCUE_FLOOR,
    RCUE_VALIDATED,
    STATUS_DECISIONS,
    UE_VALIDATED,
    DecisionCode,
    EnrolmentStatus,
)
from .rounding import at_least
from .types import RCUEResult, UEResult
from .validation import is_rcue_validated, is_validated

# Codes as plain names: an enum attribute lookup costs ten times a global one, and these run per student.
ENROLLED = EnrolmentStatus.ENROLLED
ADM, ATT, PASD, RED, NAR = DecisionCode.ADM, DecisionCode.ATT, DecisionCode.PASD, DecisionCode.RED, DecisionCode.NAR


def r14_rcue_at_floor(rcue: RCUEResult) -> bool:
    """Tell whether an RCUE stands at 8 or more (shown value); a validated one (ADJ, ADSUP) counts as ≥ 8."""
    return is_rcue_validated(rcue) or (rcue.average is not None and at_least(rcue.average, RCUE_FLOOR))


def r14_is_pending(rcue: RCUEResult) -> bool:
    """Tell whether an RCUE's outcome is unknown: ATT, or no average and not validated."""
    return rcue.decision == ATT or (rcue.average is None and not is_rcue_validated(rcue))


def r14_may_enter_odd(rcues: list[RCUEResult]) -> bool | None:
    """Tell whether the year's RCUEs open the next odd semester: more than half validated, every one ≥ 8.

    None when an RCUE is pending (ATT or without average) or the year has none.

    One explicit loop (r14_is_pending, is_rcue_validated, r14_rcue_at_floor, inlined): it runs for every
    student's year, on four or five RCUEs, where generator expressions cost more than the tests.
    """
    if not rcues:
        return None
    validated, at_floor = 0, True
    for rcue in rcues:
        if rcue.decision in RCUE_VALIDATED:  # never pending, counts as ≥ 8
            validated += 1
        elif rcue.decision == ATT or rcue.average is None:
            return None
        elif at_floor and not at_least(rcue.average, RCUE_FLOOR):
            at_floor = False
    return 2 * validated > len(rcues) and at_floor


def r15_may_enter_s5(required: tuple[str, ...], ues: Mapping[str, UEResult]) -> tuple[bool | None, tuple[str, ...]]:
    """Tell whether every UE of S1 and S2 is validated (`required`: those the parcours takes, in order; UEs of
    S1/S2 validated elsewhere count too); return it with the UEs that decide it.

    False with the UEs on record and not validated (a known failure); None with the UEs of the parcours not on
    record (R15 unknown: BUT1 not on record); True with ().
    """
    known = [code for code, ue in ues.items() if ue.semester <= 2]
    others = [code for code in known if code not in required]  # validated elsewhere (R11)
    failed = tuple(c for c in (sorted([*required, *others]) if others else required)
                   if c in ues and not is_validated(ues[c]))
    if failed:
        return False, failed
    absent = tuple(c for c in required if c not in ues)
    if absent:
        return None, absent
    if not any(ues[c].semester == 1 for c in known) or not any(ues[c].semester == 2 for c in known):
        return None, ()  # a programme without S1/S2 (a BUT2 on its own) and no BUT1 validation on record
    return True, ()


def r17_may_repeat(repeats_so_far: int, repeated_in_year: int, extra_granted: int = 0) -> bool:
    """Tell whether a year may still be repeated (its two semesters).

    Neither semester of the year repeated before (one may be, when the director granted extra repeats), and the
    cursus stays within 4 semester repeats (4 + extra).
    """
    allowed_in_year = 1 if extra_granted >= 1 else 0
    return repeated_in_year <= allowed_in_year and repeats_so_far + 2 <= MAX_SEMESTER_REPEATS + extra_granted


def r16_status_decision(status: str) -> str | None:
    """Return the year decision an enrolment status imposes (DEF, DEM, ABAN), or None for `inscrit`."""
    if status == ENROLLED:
        return None
    return STATUS_DECISIONS.get(status, status)


def r16_year_proposal(*, year: int, rcues: list[RCUEResult], may_enter_odd: bool | None,
                      may_enter_s5: bool | None, may_repeat: bool) -> str:
    """Propose the year decision: ATT, ADM, PASD (not in BUT3), RED or NAR."""
    if not rcues:
        return ATT
    every = True  # every RCUE validated (a loop, not any()/all() over generators: see r14_may_enter_odd)
    for rcue in rcues:
        if rcue.decision in RCUE_VALIDATED:
            continue
        if rcue.decision == ATT or rcue.average is None:  # r14_is_pending
            return ATT
        every = False
    if every:
        return ADM
    if year < 3 and may_enter_odd:
        if year != 2 or may_enter_s5:
            return PASD
        if may_enter_s5 is None:  # R15 unknown (BUT1 not on record): no proposal until it is recorded
            return ATT
    return RED if may_repeat else NAR


def r18_eligible(required: tuple[str, ...], ues: Mapping[str, UEResult], needed: Decimal) -> bool:
    """Tell whether every required UE (those of S1..S4 or S1..S6 the parcours takes) is validated, adding up to
    `needed` ECTS."""
    if not required:
        return False
    total = Decimal(0)
    for code in required:  # a loop rather than all() and sum() over generators: it runs for every student
        ue = ues.get(code)
        if ue is None or ue.decision not in UE_VALIDATED:
            return False
        total += ue.ects
    return total >= needed


def r18_diplomas(required: Mapping[int, tuple[str, ...]], ues: Mapping[str, UEResult]) -> tuple[bool, bool]:
    """Return (DUT eligible, BUT eligible): 120 ECTS of S1–S4, 180 ECTS of S1–S6, every UE validated.

    `required`: the codes of the UEs the parcours takes up to S4 and up to S6, by last semester."""
    return r18_eligible(required[4], ues, DUT_ECTS), r18_eligible(required[6], ues, BUT_ECTS)

"""The juries of a student's walk (`compute.StudentWalk`): the odd semester's provisional codes (R13), the year
jury (R8–R10, R14–R17) and the decisions a jury records itself (R16). No Django import.

A mixin of `StudentWalk`, whose state (`ues`, `rcues`, `result`, `say`, …) it reads and updates: the walk's
passages in `compute.py`, its juries here.
"""
from dataclasses import replace

from . import explain as why
from .codes import DecisionCode
from .context import RCUEDef
from .progression import (
    r14_may_enter_odd,
    r15_may_enter_s5,
    r16_status_decision,
    r16_year_proposal,
    r17_may_repeat,
)
from .types import Passage, PassageResult, RCUEResult, UEResult
from .validation import (
    ZERO,
    is_rcue_validated,
    is_validated,
    r8_rcue_average,
    r9_compensate,
    r9_rcue_code,
    r10_lower_levels,
    r13_provisional_code,
    set_decision,
    with_decision,
)

YEAR = "year"  # the jury subject of a year decision (Passage.jury)
ATT = DecisionCode.ATT
BUT1_MISSING = "BUT1 non renseigné"  # R15 unknown: a flag the report shows
RCUE_VALIDATING = frozenset({DecisionCode.ADM, DecisionCode.ADJ})  # what triggers R10


class Juries:
    """The juries of one student's walk (see `compute.StudentWalk` for the state they share)."""

    # ------------------------------------------------------------ odd semester jury (R13)

    def r13_odd_jury(self, passage: Passage, result: PassageResult, year: int, last: bool) -> None:
        """Give the odd semester's UEs their provisional codes, then apply its jury decisions.

        A UE result not capitalised is the one the passage just made, which only the walk's state holds and no
        line has noted yet: it gets its code in place (`set_decision`) rather than as a copy.
        """
        ue_defs = self.ue_defs
        for code, ue in result.ues.items():
            if ue.capitalised:
                continue
            decision = r13_provisional_code(ue, ue.blocked)
            set_decision(ue, decision, ue_defs[code].ects)
            if self.lines is not None:
                self.say(why.r13_provisional, ue, decision)
        self.pending_odd[year] = result
        self.apply_jury(passage, odd=True)
        self.sync(result)

    # ------------------------------------------------------------ year jury (R8–R10, R14–R17)

    def year_jury(self, passage: Passage, result: PassageResult, year: int, last: bool) -> None:
        """Decide the year at its even semester: RCUEs, compensation, jury, lower levels, progression."""
        parcours = self.student.parcours
        odd, even = 2 * year - 1, 2 * year
        blocked = self.blocked.get(odd, False) or self.blocked.get(even, False)
        rcue_defs, ue_defs = self.context.year_plan(year, parcours)
        if self.lines is not None:
            self.enter_part("Décision d'année")
        for rd in rcue_defs:
            self.r9_rcue(rd, blocked)
        ues, rcues = self.ues, self.rcues
        for d, rcue_key in ue_defs:
            ue = ues.get(d.code)
            if ue is not None:
                rcue = rcues[rcue_key] if rcue_key else None
                decision, worth_saying = r9_compensate(ue, rcue, ue.blocked)
                # an odd semester's provisional code confirmed is not said again
                if worth_saying and decision != ue.decision and self.lines is not None:
                    self.say(why.r9_compensate, ue, rcue, decision)
                if decision != ue.decision:
                    ues[d.code] = with_decision(ue, decision, d.ects)
        self.apply_jury(passage, deciding_year=year)
        for rd in rcue_defs:
            if self.rcues[rd.key].decision in RCUE_VALIDATING:
                self.r10_lower_levels(rd.competence, rd.level, rd.key)
        rcues = [self.rcues[rd.key] for rd in rcue_defs]
        self.r16_year(year, rcues, last)
        self.apply_year_jury(passage, year)
        self.sync(result)
        pending = self.pending_odd.pop(year, None)
        if pending is not None:
            self.sync(pending)

    def r9_rcue(self, rd: RCUEDef, blocked: bool) -> None:
        """Compute an RCUE's average (R8) and code (R9); one validated before keeps its code (R11)."""
        ues = self.ues
        members = [ues.get(code) for code in rd.codes]
        average = r8_rcue_average(members, rd.weights)
        previous = self.rcues.get(rd.key)
        # positional, made once with its code: this runs for every RCUE of every year
        if is_rcue_validated(previous):
            rcue = RCUEResult(rd.key, rd.year, rd.codes, average, previous.decision, previous.by_jury)
            self.say(why.r11_rcue_kept, rd.key, previous.decision, average)
        else:
            rcue = RCUEResult(rd.key, rd.year, rd.codes, average, r9_rcue_code(average, blocked), False)
            if self.lines is not None:
                self.say(why.r9_rcue, rcue, members)
        self.rcues[rd.key] = rcue

    def r10_lower_levels(self, competence: str, level: int, source: str) -> None:
        """Validate the lower levels of a competence whose level `level` was just validated (R10).

        A lower-level RCUE counts as known once one of its UEs is (from a passage or a prior validation).
        """
        if not self.context.has_lower_levels(competence, level):
            return
        for rd in self.context.rcues(self.student.parcours).values():
            if (rd.competence == competence and rd.level < level and rd.key not in self.rcues
                    and any(d.code in self.ues for d in rd.ues)):
                members = [self.ues.get(code) for code in rd.codes]
                self.rcues[rd.key] = RCUEResult(key=rd.key, year=rd.year, ues=rd.codes,
                                                average=r8_rcue_average(members, rd.weights))
        for subject, was in r10_lower_levels(competence, level, self.ue_defs, self.ues, self.rcues):
            self.say(why.r10_lower_level, source, subject, was)

    def r16_year(self, year: int, rcues: list[RCUEResult], last: bool) -> None:
        """Set the R14/R15 flags and propose the year decision (R16, R17)."""
        may_odd = None
        if year < 3:
            may_odd = self.result.may_enter_odd[year] = r14_may_enter_odd(rcues)
        s5 = self.r15_may_enter_s5() if year == 2 else None
        odd, even = 2 * year - 1, 2 * year
        repeated_in_year = (self.seen.get(odd, 0) > 1) + (self.seen.get(even, 0) > 1)
        may_repeat = r17_may_repeat(self.repeats, repeated_in_year, self.student.extra_repeats_granted)
        proposal = r16_year_proposal(year=year, rcues=rcues, may_enter_odd=may_odd,
                                     may_enter_s5=s5[0] if s5 else None, may_repeat=may_repeat)
        if proposal == ATT and s5 is not None and s5[0] is None and may_odd:
            self.result.flags.append(BUT1_MISSING)  # R15 unknown: the report points it out
        self.say(why.r16_proposal, year, proposal, rcues, may_odd, s5)
        self.result.year_proposals[year] = self.result.years[year] = proposal

    def r16_status(self, year: int, status: str) -> None:
        """Give the year of the semester left the decision its enrolment status imposes (DEF, DEM, ABAN)."""
        decision = r16_status_decision(status)
        self.result.year_proposals[year] = self.result.years[year] = decision
        self.say(why.r16_status, status, year, decision)

    def r15_may_enter_s5(self) -> tuple[bool | None, tuple[str, ...]]:
        """Compute R15 on the current state: (allowed, the UEs that decide it)."""
        allowed, missing = r15_may_enter_s5(self.context.required_ues(self.student.parcours)[2], self.ues)
        self.result.may_enter_s5 = allowed
        return allowed, missing

    # ------------------------------------------------------------ leaving (R2)

    def r2_leaving(self, passage: Passage, result: PassageResult, year: int, status: str) -> None:
        """Close the semester during which the enrolment ended (DEF, DEM, ABAN): it validates no UE and earns no
        ECTS, its UE codes (and, at an even semester, its year's RCUE codes) are the status, averages kept for
        information; the year decision is the status unless the jury records one (R2, R16). What was capitalised
        or validated before keeps its code. `status`: the passage's (a semester left before the last one enrolled
        in, as a student who left in November is in S3 and S4), else the student's."""
        semester = passage.semester
        left = []
        for code, ue in result.ues.items():
            if not ue.capitalised:
                self.ues[code] = ue.copy(decision=status, ects=ZERO)
                left.append(self.ues[code])
        self.say(why.r2_left, semester, status, left)
        even = not semester % 2
        if even:
            for rd in self.context.year_plan(year, self.student.parcours)[0]:
                previous = self.rcues.get(rd.key)
                if is_rcue_validated(previous):
                    continue
                average = r8_rcue_average([self.ues.get(code) for code in rd.codes], rd.weights)
                self.rcues[rd.key] = RCUEResult(rd.key, rd.year, rd.codes, average, status, False)
        self.apply_jury(passage, deciding_year=year if even else None, odd=not even)
        if self.lines is not None:
            self.enter_part("Décision d'année")
        self.r16_status(year, status)
        if even:
            self.apply_year_jury(passage, year)
        self.sync(result)
        pending = self.pending_odd.pop(year, None)
        if pending is not None:
            self.sync(pending)

    # ------------------------------------------------------------ jury decisions (R16)

    def apply_jury(self, passage: Passage, deciding_year: int | None = None, odd: bool = False) -> None:
        """Record the jury's RCUE then UE decisions of a passage; they prevail over the proposals. An odd
        semester's jury decides UEs only: an RCUE or year decision recorded there is refused (R13)."""
        for subject, code in passage.jury.items():
            if odd and subject not in self.ue_defs:
                self.say(why.r13_refused, passage.semester, subject, code)
            elif subject != YEAR and subject not in self.ue_defs:
                self.jury_rcue(subject, code, deciding_year)
        for subject, code in passage.jury.items():
            if subject in self.ue_defs:
                self.jury_ue(subject, code)

    def jury_rcue(self, key: str, code: str, deciding_year: int | None) -> None:
        """Record a jury decision on an RCUE; an ADJ RCUE turns its UEs not validated into ADJR (R16)."""
        rd = self.context.rcues(self.student.parcours).get(key)
        if rd is None:
            self.say(why.r16_jury_ignored, key, code)
            return
        rcue = self.rcues.get(key) or RCUEResult(key=key, year=rd.year, ues=rd.codes)
        self.say(why.r16_jury, key, code, rcue.decision)
        self.rcues[key] = replace(rcue, decision=code, by_jury=True)
        if code == DecisionCode.ADJ:
            for d in rd.ues:
                ue = self.ues.get(d.code)
                if ue is not None and not is_validated(ue):
                    self.ues[d.code] = with_decision(ue, DecisionCode.ADJR, d.ects)
                    self.say(why.r16_adjr, ue, key)
        if code in RCUE_VALIDATING and rd.year != deciding_year:  # the year jury runs R10 on its own RCUEs
            self.r10_lower_levels(rd.competence, rd.level, key)

    def jury_ue(self, code: str, decision: str) -> None:
        """Record a jury decision on a UE, with its ECTS when it validates it."""
        d = self.ue_defs[code]
        ue = self.ues.get(code) or UEResult(code=code, semester=d.semester)
        self.say(why.r16_jury, code, decision, ue.decision)
        self.ues[code] = with_decision(ue, decision, d.ects).copy(by_jury=True)

    def apply_year_jury(self, passage: Passage, year: int) -> None:
        """Record the jury's year decision, which prevails over the proposal."""
        decision = passage.jury.get(YEAR)
        if decision:
            proposal = self.result.years.get(year)
            self.say(why.r16_jury_year, decision, proposal)
            self.result.years[year] = decision


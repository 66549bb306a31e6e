"""Walk every student's path and apply the rules R1–R18 (rules.md). No Django import.

`compute(cohort, explain=...)` is the only entry point. Per-run work (R2 completeness, the R1–R4 plans) is done
once and shared; each student then costs a walk over their own grades. The jury's explanation lines
(`explain.py`, in French) are noted only when asked for, as a function and its facts, and written out only when
read (`StudentResult.explain`).
"""
import gc
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal

from . import explain as why
from .averages import (
    UEPlan,
    UsualUE,
    r1_usual_values,
    r3_student_module_averages,
    r4_student_ue_average,
    r4_usual_ue_average,
)
from .codes import BonusMode, DecisionCode
from .context import Context, RCUEDef
from .progression import (
    r14_may_enter_odd,
    r15_may_enter_s5,
    r16_status_decision,
    r16_year_proposal,
    r17_may_repeat,
    r18_diplomas,
)
from .rounding import exact
from .scores import r5_bonus
from .types import (
    EMPTY,
    CohortInput,
    CohortResult,
    Passage,
    PassageResult,
    RCUEResult,
    StudentInput,
    StudentResult,
    UEDef,
    UEResult,
)
from .validation import (
    ZERO,
    is_rcue_validated,
    is_validated,
    r8_rcue_average,
    r9_compensate,
    r9_rcue_code,
    r10_lower_levels,
    r11_capitalise,
    r13_provisional_code,
    with_decision,
)

YEAR = "year"  # the jury subject of a year decision (Passage.jury)
RCUE_VALIDATING = frozenset({DecisionCode.ADM, DecisionCode.ADJ})  # what triggers R10


def compute(cohort: CohortInput, *, explain: bool = True) -> CohortResult:
    """Compute every student's results and every run's incomplete evaluations.

    With `explain=False` no explanation line is built (`StudentResult.explain` stays empty): for pages that
    only show averages and codes.
    """
    with cyclic_gc_paused():
        context = Context(cohort)
        students = {s.id: StudentWalk(context, s, explain).run() for s in cohort.students}
    incomplete = {key: index.incomplete for key, index in context.indexes.items()}
    return CohortResult(students=students, incomplete_evaluations=incomplete)


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector, then restore it as it was.

    The walk allocates a few hundred small objects per student and creates no reference cycle (a test checks
    it): reference counting frees everything, while the collector's passes over the growing results cost about
    a quarter of the time of a 10 000-student year. The loaders pause it too while building the engine's input
    (plain acyclic values), where its passes cost about a sixth of the loading.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class StudentWalk:
    """Follow one student's passages in order, keeping the current state of every UE and RCUE."""

    def __init__(self, context: Context, student: StudentInput, explain: bool = True):
        self.context = context
        self.ue_defs = context.cohort.ues
        self.student = student
        self.result = StudentResult(student.id)
        self.ues = self.result.ues  # current state of every UE, final at the end
        self.rcues = self.result.rcues
        self.seen: dict[int, int] = {}  # semester -> passages so far (a dict: a Counter's lookups cost more)
        self.repeats = 0  # R17: semester repeats so far
        self.blocked: dict[int, bool] = {}  # semester -> its latest passage holds an ATT grade (R1)
        self.pending_odd: dict[int, PassageResult] = {}  # year -> odd passage awaiting its year jury
        self.said_r15: tuple | None = None
        self.lines: list[tuple] | None = self.result.reasons if explain else None  # None: nothing to explain

    def say(self, line_of, *facts) -> None:
        """Note the explanation line `line_of(*facts)` (an `explain` function), only when explaining; it is
        written out when read. The facts are results the walk no longer changes (it copies, never mutates, a
        result once said)."""
        if self.lines is not None:
            self.lines.append((line_of, facts))

    def run(self) -> StudentResult:
        """Walk the path and return the student's results."""
        self.r11_load_prior()
        passages = self.student.passages
        for i, passage in enumerate(passages):
            self.walk_passage(passage, last=i == len(passages) - 1)
        self.finish()
        return self.result

    # ------------------------------------------------------------ prior validations (R11)

    def r11_load_prior(self) -> None:
        """Load validations obtained before the path: capitalised with their ECTS when validated."""
        for code, prior in self.student.prior.items():
            d = self.ue_defs.get(code)
            if d is None:
                self.say(why.r11_prior_unknown, code)
                continue
            average = exact(prior.average)
            ue = with_decision(UEResult(code=code, semester=d.semester, average=average,
                                        average_before_bonus=average), prior.code, d.ects)
            ue.capitalised = is_validated(ue)
            self.ues[code] = ue
            self.say(why.r11_prior, code, prior.code, average)

    # ------------------------------------------------------------ one passage

    def walk_passage(self, passage: Passage, last: bool) -> None:
        """Compute a passage's UEs, then its jury: provisional UE codes (odd) or the year jury (even)."""
        semester = passage.semester
        year = (semester + 1) // 2
        seen = self.seen.get(semester, 0)
        if seen:
            self.repeats += 1
            self.say(why.r17_repeated, semester, self.repeats)
        self.seen[semester] = seen + 1
        result = self.compute_passage(passage)
        self.result.passages.append(result)
        if semester % 2:
            self.r13_odd_jury(passage, result, year, last)
        else:
            self.year_jury(passage, result, year, last)

    def compute_passage(self, passage: Passage) -> PassageResult:
        """Compute the UE averages of a passage and merge them with capitalised UEs (R1–R5, R11).

        The usual case (every evaluation graded, nothing blocked, no rattrapage) takes one dot product per UE
        (`r4_usual_ue_average`); any other case the general path, module by module.
        """
        context = self.context
        plan = context.passage_plan(passage.run, passage.semester, self.student.parcours)
        grades = context.index(passage.run, passage.semester).run.grades.get(self.student.id, EMPTY)
        values = r1_usual_values(plan, grades, context.units)
        bonus = passage.bonus
        if values is not None:
            blocked = False
            news = (self.usual_ue_average(d, usual, values, bonus) for d, usual in plan.usual)
        else:
            averages, blocked = r3_student_module_averages(plan, grades, context.units)
            if blocked:
                self.say(why.r1_blocked, passage.semester)
            news = (self.ue_average(d, ue_plan, averages, bonus, blocked) for d, ue_plan in plan.ues)
        self.blocked[passage.semester] = blocked
        result = PassageResult(passage.run, passage.semester)
        ues = self.ues
        for new in news:  # a generator: each UE's lines (R3, R5) come before its merge's (R11)
            code = new.code
            previous = ues.get(code)
            merged = r11_capitalise(previous, new) if previous is not None else new
            if merged is not new:
                self.say(why.r11_capitalised, previous, new, merged)
            ues[code] = result.ues[code] = merged
        return result

    def usual_ue_average(self, d: UEDef, usual: UsualUE, values: list, bonus) -> UEResult:
        """Compute one UE's average in one passage, in the usual case (R3, R4), then the bonus (R5)."""
        before, module_averages = r4_usual_ue_average(usual, values)
        if self.lines is not None:
            for module in usual[3]:
                self.say(why.r3_left_out, module, d.code)
        after = self.r5_bonus(d, before, bonus) if before is not None and bonus else before
        # positional: keyword arguments cost a third more, and this runs for every UE of every passage
        return UEResult(d.code, d.semester, after, before, None, ZERO, module_averages, False, False, False)

    def ue_average(self, d: UEDef, plan: UEPlan, averages: Mapping[str, list], bonus, blocked: bool) -> UEResult:
        """Compute one UE's average in one passage from the module averages (R3): R4, then the bonus (R5)."""
        before, module_averages = r4_student_ue_average(plan, averages)
        if self.lines is not None:
            for module, weighting, *_ in plan.feeders:
                average = averages[module][weighting]
                if average is None:
                    self.say(why.r3_left_out, module, d.code)
                elif average[2] is not False:
                    self.say(why.r3_rattrapage, module, d.code, module_averages[module], average[2])
        after = self.r5_bonus(d, before, bonus) if before is not None and bonus else before
        return UEResult(d.code, d.semester, after, before, None, ZERO, module_averages, False, False, blocked)

    def r5_bonus(self, d: UEDef, before, bonus):
        """Return a UE average raised by the semester bonus (R5)."""
        mode = self.context.cohort.bonus_mode
        after = r5_bonus(before, bonus, mode)
        self.say(why.r5_bonus, d.code, before, bonus, mode == BonusMode.POINTS, after)
        return after

    # ------------------------------------------------------------ odd semester jury (R13)

    def r13_odd_jury(self, passage: Passage, result: PassageResult, year: int, last: bool) -> None:
        """Give the odd semester's UEs their provisional codes, then apply its jury decisions."""
        ues, ue_defs = self.ues, self.ue_defs
        for code, ue in result.ues.items():
            if ue.capitalised:
                continue
            decision = r13_provisional_code(ue, ue.blocked)
            if self.lines is not None:
                self.say(why.r13_provisional, ue, decision)
            ues[code] = with_decision(ue, decision, ue_defs[code].ects)
        self.pending_odd[year] = result
        self.apply_jury(passage)
        if last:
            self.r16_status(year)
        self.apply_year_jury(passage, year)
        self.sync(result)

    # ------------------------------------------------------------ year jury (R8–R10, R14–R17)

    def year_jury(self, passage: Passage, result: PassageResult, year: int, last: bool) -> None:
        """Decide the year at its even semester: RCUEs, compensation, jury, lower levels, progression."""
        parcours = self.student.parcours
        odd, even = 2 * year - 1, 2 * year
        blocked = self.blocked.get(odd, False) or self.blocked.get(even, False)
        rcue_defs, ue_defs = self.context.year_plan(year, parcours)
        for rd in rcue_defs:
            self.r9_rcue(rd, blocked)
        ues, rcues = self.ues, self.rcues
        for d, rcue_key in ue_defs:
            ue = ues.get(d.code)
            if ue is not None:
                rcue = rcues[rcue_key] if rcue_key else None
                decision, worth_saying = r9_compensate(ue, rcue, ue.blocked)
                if worth_saying and self.lines is not None:
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
        if self.lines is not None:
            self.say(why.r8_rcue, rd.key, members, rd.codes, average)
        previous = self.rcues.get(rd.key)
        # positional, made once with its code: this runs for every RCUE of every year
        if is_rcue_validated(previous):
            rcue = RCUEResult(rd.key, rd.year, rd.codes, average, previous.decision, previous.by_jury)
            self.say(why.r11_rcue_kept, rd.key, previous.decision)
        else:
            rcue = RCUEResult(rd.key, rd.year, rd.codes, average, r9_rcue_code(average, blocked), False)
            if self.lines is not None:
                self.say(why.r9_rcue, rcue)
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
            self.say(why.r14_progression, year, rcues, may_odd)
        may_s5 = self.r15_may_enter_s5() if year == 2 else None
        if last and self.r16_status(year):
            return
        odd, even = 2 * year - 1, 2 * year
        repeated_in_year = (self.seen.get(odd, 0) > 1) + (self.seen.get(even, 0) > 1)
        may_repeat = r17_may_repeat(self.repeats, repeated_in_year, self.student.extra_repeats_granted)
        proposal = r16_year_proposal(year=year, rcues=rcues, may_enter_odd=may_odd, may_enter_s5=may_s5,
                                     may_repeat=may_repeat)
        self.say(why.r16_proposal, year, proposal, rcues, may_odd)
        self.result.year_proposals[year] = self.result.years[year] = proposal

    def r16_status(self, year: int) -> bool:
        """Give the year of the last passage the decision its enrolment status imposes (DEF, DEM, ABAN)."""
        decision = r16_status_decision(self.student.status)
        if decision is None:
            return False
        self.result.year_proposals[year] = self.result.years[year] = decision
        self.say(why.r16_status, self.student.status, year, decision)
        return True

    def r15_may_enter_s5(self) -> bool | None:
        """Compute R15 on the current state; explain it when its outcome changes."""
        allowed, missing = r15_may_enter_s5(self.context.required_ues(self.student.parcours)[2], self.ues)
        self.result.may_enter_s5 = allowed
        if (allowed, missing) != self.said_r15:
            self.say(why.r15_s5, allowed, missing)
            self.said_r15 = (allowed, missing)
        return allowed

    # ------------------------------------------------------------ jury decisions (R16)

    def apply_jury(self, passage: Passage, deciding_year: int | None = None) -> None:
        """Record the jury's RCUE then UE decisions of a passage; they prevail over the proposals."""
        for subject, code in passage.jury.items():
            if subject != YEAR and subject not in self.ue_defs:
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

    def sync(self, result: PassageResult) -> None:
        """Show in a passage's results the UE states its jury (or its year jury) settled."""
        for code in result.ues:
            result.ues[code] = self.ues[code]

    # ------------------------------------------------------------ end of path (R15, R18)

    def finish(self) -> None:
        """Total the ECTS and settle R15 and R18 on the final state."""
        self.r15_may_enter_s5()
        self.result.ects = sum((ue.ects for ue in self.ues.values()), Decimal(0))
        dut, but = r18_diplomas(self.context.required_ues(self.student.parcours), self.ues)
        self.result.dut_eligible, self.result.but_eligible = dut, but
        self.say(why.r18_diplomas, self.result.ects, dut, but)

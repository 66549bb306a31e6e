"""Walk every student's path and apply the rules R1–R18 (rules.md). No Django import.

`compute(cohort, explain=...)` is the only entry point. Per-run work (R2 completeness, the R1–R4 plans) is done
once and shared; each student then costs a walk over their own grades. The jury's explanation lines
(`explain.py`, in French) are noted only when asked for, as a function and its facts, and written out only when
read (`StudentResult.explain`). The walk's passages are here, its juries (R13, R8–R10, R14–R17, R16) in
`juries.py`.
"""
import gc
from collections.abc import Mapping
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from operator import mul

from . import explain as why
from .averages import (
    UEPlan,
    UsualAverages,
    UsualUE,
    r1_usual_values,
    r3_student_module_averages,
    r4_student_ue_average,
)
from .codes import BonusMode, EnrolmentStatus
from .context import Context
from .juries import Juries
from .progression import r18_diplomas
from .rounding import exact
from .scores import r5_bonus, r20_absences, r20_penalty
from .types import (
    EMPTY,
    CohortInput,
    CohortResult,
    Passage,
    PassageResult,
    StudentInput,
    StudentResult,
    UEDef,
    UEResult,
)
from .validation import ZERO, is_validated, r11_capitalise, with_decision


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


class StudentWalk(Juries):
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
        self.current_run = None  # the run of the passage being computed
        self.penalty: Fraction | None = None  # R20: what the current passage's absences take off each UE average
        self.lines: list[tuple] | None = self.result.reasons if explain else None  # None: nothing to explain
        self.section: tuple = (0, "Avant ce parcours", None)  # (year group number, its heading, semester heading)
        self.headings: list[tuple[int, str]] = []  # (BUT year, heading) of each year group so far

    def say(self, line_of, *facts) -> None:
        """Note the explanation line `line_of(*facts)` (an `explain` function) under the current section, only
        when explaining; it is written out when read. The facts are results the walk no longer changes (it
        copies, never mutates, a result once said)."""
        if self.lines is not None:
            self.lines.append((self.section, line_of, facts))

    def enter(self, passage: Passage, previous: Passage | None) -> None:
        """Start the explanation's section of a passage: a new year group at an odd semester (or an even one not
        following its odd semester), under a heading « BUT2 — 2026-2027 »."""
        semester = passage.semester
        year = (semester + 1) // 2
        number, heading, _ = self.section
        if semester % 2 or previous is None or previous.semester != semester - 1:
            heading = f"BUT{year}" + (f" — {passage.label}" if passage.label else "")
            if any(y == year for y, _ in self.headings):
                heading += " (redoublement)"
            self.headings.append((year, heading))
            number = len(self.headings)
        self.section = (number, heading, f"S{semester}")

    def enter_part(self, part: str) -> None:
        """Go on in the current year group under another heading (« Décision d'année », « Bilan »)."""
        number, heading, _ = self.section
        self.section = (number, heading, part)

    def run(self) -> StudentResult:
        """Walk the path and return the student's results."""
        self.r11_load_prior()
        passages = self.student.passages
        for i, passage in enumerate(passages):
            if self.lines is not None:
                self.enter(passage, passages[i - 1] if i else None)
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
        status = passage.status
        if status == EnrolmentStatus.ENROLLED and last:
            status = self.student.status
        if status != EnrolmentStatus.ENROLLED:
            self.r2_leaving(passage, result, year, status)
        elif semester % 2:
            self.r13_odd_jury(passage, result, year, last)
        else:
            self.year_jury(passage, result, year, last)

    def compute_passage(self, passage: Passage) -> PassageResult:
        """Compute the UE averages of a passage and merge them with capitalised UEs (R1–R5, R11).

        The usual case (every evaluation graded, nothing blocked, no rattrapage) takes one dot product per UE
        (`usual_ue_average`); any other case the general path, module by module.
        """
        context = self.context
        self.current_run = passage.run
        plan = context.passage_plan(passage.run, passage.semester, self.student.parcours)
        grades = context.index(passage.run, passage.semester).run.grades.get(self.student.id, EMPTY)
        values = r1_usual_values(plan, grades, context.usual_cells)
        bonus = passage.bonus
        rule = context.cohort.attendance
        self.penalty = None if rule is None else r20_penalty(passage.unjustified_half_days, rule.threshold,
                                                             rule.points)
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
        """Compute one UE's average in one passage, in the usual case (`averages.usual_ue`): R3 and R4 as one dot
        product of the values and the UE's weights, then the bonus (R5)."""
        pick, weights, denominator, layout, left_out = usual
        before = Fraction(sum(map(mul, pick(values), weights)), denominator) if denominator else None
        module_averages = UsualAverages(values, layout)
        if self.lines is not None:
            for module in left_out:
                self.say(why.r3_left_out, module, d.code, self.r2_waiting(module))
        after = self.r5_bonus(d, before, bonus) if before is not None and bonus else before
        if self.penalty is not None and after is not None:
            after = self.r20_absences(d, after)
        # positional: keyword arguments cost a third more, and this runs for every UE of every passage
        return UEResult(d.code, d.semester, after, before, None, ZERO, module_averages, False, False, False)

    def ue_average(self, d: UEDef, plan: UEPlan, averages: Mapping[str, list], bonus, blocked: bool) -> UEResult:
        """Compute one UE's average in one passage from the module averages (R3): R4, then the bonus (R5)."""
        before, module_averages = r4_student_ue_average(plan, averages)
        if self.lines is not None:
            for module, weighting, *_ in plan.feeders:
                average = averages[module][weighting]
                if average is None:
                    self.say(why.r3_left_out, module, d.code, self.r2_waiting(module))
                elif average[2] is not False:
                    self.say(why.r3_rattrapage, module, d.code, module_averages[module], average[2])
        after = self.r5_bonus(d, before, bonus) if before is not None and bonus else before
        if self.penalty is not None and after is not None:
            after = self.r20_absences(d, after)
        return UEResult(d.code, d.semester, after, before, None, ZERO, module_averages, False, False, blocked)

    def r2_waiting(self, module: str) -> bool:
        """Tell whether a module of the current passage holds evaluations that count for nobody yet (R2): why it
        drops out of a UE, rather than a weight of zero (R3). Only for the explanation."""
        index = self.context.indexes.get(self.current_run)
        if index is None:
            return False
        return any(ev.id in index.incomplete for ev in index.by_module.get(module, ()))

    def r5_bonus(self, d: UEDef, before, bonus):
        """Return a UE average raised by the semester bonus (R5)."""
        mode = self.context.cohort.bonus_mode
        after = r5_bonus(before, bonus, mode)
        self.say(why.r5_bonus, d.code, before, bonus, mode == BonusMode.POINTS, after)
        return after

    def r20_absences(self, d: UEDef, before: Fraction) -> Fraction:
        """Return a UE average lowered by the passage's unjustified absences beyond the threshold (R20); the UEs
        capitalised earlier keep theirs (R11 takes the better of the two)."""
        after = r20_absences(before, self.penalty)
        rule = self.context.cohort.attendance
        self.say(why.r20_absences, d.code, before, self.penalty / exact(rule.points), rule.points, after)
        return after

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
        if self.lines is not None:
            self.enter_part("Bilan")
            self.say(why.r18_diplomas, self.result.ects, dut, but)

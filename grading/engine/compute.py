"""Walk every student's path and apply the rules R1–R18 (rules.md). No Django import.

`compute(cohort)` is the only entry point. Per-run work (R2 completeness, evaluations by module) is done
once and shared; each student then costs a walk over their own grades.
"""
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace

from .codes import BonusMode, DecisionCode
from .progression import (
    r14_may_enter_odd,
    r15_may_enter_s5,
    r16_status_decision,
    r16_year_proposal,
    r17_may_repeat,
    r18_diplomas,
)
from .rounding import fmt
from .scores import (
    RunIndex,
    exact_sum,
    is_entered,
    modules_taken,
    r1_blocked,
    r1_scores,
    r2_index_run,
    r3_apply_rattrapage,
    r3_module_average,
    r3_rattrapage_average,
    r4_ue_average,
    r5_bonus,
)
from .types import (
    CohortInput,
    CohortResult,
    Passage,
    PassageResult,
    RCUEResult,
    SemesterRun,
    StudentInput,
    StudentResult,
    UEDef,
    UEResult,
)
from .validation import (
    is_rcue_validated,
    is_validated,
    r8_rcue_average,
    r9_compensate,
    r9_rcue_code,
    r10_lower_levels,
    r11_capitalise,
    r13_provisional_code,
    shown,
    with_decision,
)

YEAR = "year"  # the jury subject of a year decision (Passage.jury)
RCUE_VALIDATING = frozenset({DecisionCode.ADM, DecisionCode.ADJ})  # what triggers R10


def compute(cohort: CohortInput) -> CohortResult:
    """Compute every student's results and every run's incomplete evaluations."""
    context = Context(cohort)
    students = {s.id: StudentWalk(context, s).run() for s in cohort.students}
    incomplete = {key: index.incomplete for key, index in context.indexes.items()}
    return CohortResult(students=students, incomplete_evaluations=incomplete)


def r2_waiting(cohort: CohortInput, run_key: Hashable) -> dict[Hashable, tuple[Hashable, ...]]:
    """Return, for each evaluation of a run that counts for nobody yet (R2), the students it waits for.

    Those are the enrolled students who take its module and have neither a grade nor a code, in the order of
    `run.enrolled`'s sorted ids.
    """
    run = cohort.runs.get(run_key)
    if run is None:
        return {}
    context = Context(cohort)
    taken = context.taken_by_run[run_key]
    by_id = {ev.id: ev for ev in run.evaluations}
    return {
        ev_id: tuple(s for s in sorted(run.enrolled, key=str)
                     if (s not in taken or by_id[ev_id].module in taken[s])
                     and not is_entered(run.grades.get(s, {}).get(ev_id)))
        for ev_id in context.indexes[run_key].incomplete
    }


def r2_newcomer_waits(cohort: CohortInput, run_key: Hashable, parcours: str | None) -> tuple[Hashable, ...]:
    """Return the evaluations of a run that would wait for a newcomer of this parcours (R2), in evaluation order.

    Those are the ordinary evaluations (neither immediate nor rattrapage) of the modules the parcours takes that
    already hold a grade or a code: the newcomer has none, so each counts for nobody until they get one.
    """
    run = cohort.runs.get(run_key)
    if run is None:
        return ()
    taken = Context(cohort).modules_taken(parcours)
    graded = {ev_id for grades in run.grades.values() for ev_id, grade in grades.items() if is_entered(grade)}
    return tuple(ev.id for ev in run.evaluations
                 if not (ev.immediate or ev.rattrapage) and ev.module in taken and ev.id in graded)


@dataclass(frozen=True)
class RCUEDef:
    """One competence level of one year: its UEs (odd semester first), as the parcours takes them (R8)."""

    key: str
    year: int
    competence: str
    level: int
    ues: tuple[UEDef, ...]


@dataclass
class Context:
    """Programme data shared by every student, indexed once (per parcours where it matters)."""

    cohort: CohortInput
    indexes: dict[Hashable, RunIndex] = field(init=False)
    taken_by_run: dict[Hashable, dict] = field(init=False)  # run -> student -> modules they take (R2)
    feeders: dict[str, list[tuple[str, object]]] = field(init=False)  # UE -> [(module, coef)] (R4)
    _taken: dict = field(init=False, default_factory=dict)
    _semester_ues: dict = field(init=False, default_factory=dict)
    _rcues: dict = field(init=False, default_factory=dict)

    def __post_init__(self):
        cohort = self.cohort
        taken_by_student = {s.id: self.modules_taken(s.parcours) for s in cohort.students}
        # R2: enrolled students outside the cohort (an earlier run's classmates) count by their parcours too.
        self.taken_by_run = {key: {**{s: self.modules_taken(p) for s, p in run.enrolled_parcours.items()},
                                   **taken_by_student}
                             for key, run in cohort.runs.items()}
        self.indexes = {key: r2_index_run(run, self.taken_by_run[key]) for key, run in cohort.runs.items()}
        self.feeders = {}
        for module in cohort.modules.values():
            for ue, coef in module.coefficients.items():
                if coef > 0:
                    self.feeders.setdefault(ue, []).append((module.code, coef))

    def modules_taken(self, parcours: str | None) -> frozenset:
        """Return the modules a parcours takes (those feeding one of its UEs)."""
        if parcours not in self._taken:
            self._taken[parcours] = modules_taken(self.cohort.modules, self.cohort.ues, parcours)
        return self._taken[parcours]

    def index(self, run_key: Hashable, semester: int) -> RunIndex:
        """Return the shared index of a run (an empty one for a run the cohort does not hold)."""
        if run_key not in self.indexes:
            self.indexes[run_key] = r2_index_run(SemesterRun(key=run_key, semester=semester))
        return self.indexes[run_key]

    def semester_ues(self, semester: int, parcours: str | None) -> list[UEDef]:
        """Return the UEs of a semester the parcours takes, in programme order."""
        key = (semester, parcours)
        if key not in self._semester_ues:
            self._semester_ues[key] = [d for d in self.cohort.ues.values()
                                       if d.semester == semester and d.taken_by(parcours)]
        return self._semester_ues[key]

    def rcues(self, parcours: str | None) -> dict[str, RCUEDef]:
        """Return every RCUE of the parcours: UEs of one year, same competence and level, at least two (R8)."""
        if parcours not in self._rcues:
            groups: dict[str, list[UEDef]] = {}
            for d in self.cohort.ues.values():
                if d.taken_by(parcours):
                    groups.setdefault(f"{d.rcue_key}@{d.year}", []).append(d)
            found = {}
            for members in groups.values():
                if len(members) >= 2:
                    d = members[0]
                    found[d.rcue_key] = RCUEDef(d.rcue_key, d.year, d.competence, d.level,
                                                tuple(sorted(members, key=lambda m: m.semester)))
            self._rcues[parcours] = found
        return self._rcues[parcours]

    def year_rcues(self, year: int, parcours: str | None) -> list[RCUEDef]:
        """Return the RCUEs of one BUT year for the parcours."""
        return [r for r in self.rcues(parcours).values() if r.year == year]


class StudentWalk:
    """Follow one student's passages in order, keeping the current state of every UE and RCUE."""

    def __init__(self, context: Context, student: StudentInput):
        self.context = context
        self.ue_defs = context.cohort.ues
        self.student = student
        self.result = StudentResult(id=student.id)
        self.ues = self.result.ues  # current state of every UE, final at the end
        self.rcues = self.result.rcues
        self.seen: Counter = Counter()  # semester -> passages so far
        self.repeats = 0  # R17: semester repeats so far
        self.blocked: dict[int, bool] = {}  # semester -> its latest passage holds an ATT grade (R1)
        self.pending_odd: dict[int, PassageResult] = {}  # year -> odd passage awaiting its year jury
        self.said_r15: str | None = None

    def say(self, line: str | None) -> None:
        """Append an explanation line."""
        if line:
            self.result.explain.append(line)

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
                self.say(f"R11: prior {code} is not in the programme: ignored")
                continue
            ue = with_decision(UEResult(code=code, semester=d.semester, average=prior.average,
                                        average_before_bonus=prior.average), prior.code, d.ects)
            ue.capitalised = is_validated(ue)
            self.ues[code] = ue
            self.say(f"R11: {code} {prior.code} before the path ({shown(prior.average)})")

    # ------------------------------------------------------------ one passage

    def walk_passage(self, passage: Passage, last: bool) -> None:
        """Compute a passage's UEs, then its jury: provisional UE codes (odd) or the year jury (even)."""
        semester = passage.semester
        year = (semester + 1) // 2
        if self.seen[semester]:
            self.repeats += 1
            self.say(f"R17: S{semester} repeated (semester repeats so far: {self.repeats})")
        self.seen[semester] += 1
        result = self.compute_passage(passage)
        self.result.passages.append(result)
        if semester % 2:
            self.r13_odd_jury(passage, result, year, last)
        else:
            self.year_jury(passage, result, year, last)

    def compute_passage(self, passage: Passage) -> PassageResult:
        """Compute the UE averages of a passage and merge them with capitalised UEs (R1–R5, R11)."""
        index = self.context.index(passage.run, passage.semester)
        grades = index.run.grades.get(self.student.id, {})
        taken = self.context.modules_taken(self.student.parcours)
        evaluations = [ev for m, evs in index.by_module.items() if m in taken for ev in evs]
        blocked = r1_blocked(grades, evaluations)
        scores = r1_scores(evaluations, grades, index.complete)
        self.blocked[passage.semester] = blocked
        if blocked:
            self.say(f"R1: ATT grade in S{passage.semester} -> its UEs, the year's RCUEs and year decision are ATT")
        result = PassageResult(run=passage.run, semester=passage.semester)
        for d in self.context.semester_ues(passage.semester, self.student.parcours):
            new = self.ue_average(d, index, scores, passage.bonus)
            new.blocked = blocked
            merged, why = r11_capitalise(self.ues.get(d.code), new)
            self.say(why)
            self.ues[d.code] = result.ues[d.code] = merged
        return result

    def ue_average(self, d: UEDef, index: RunIndex, scores: Mapping, bonus) -> UEResult:
        """Compute one UE's average in one passage: module averages (R3), UE average (R4), bonus (R5)."""
        module_averages, pairs = {}, []
        for module, coef in self.context.feeders.get(d.code, ()):
            average = self.r3_module_average(d.code, module, index, scores)
            if average is not None:
                module_averages[module] = average
                pairs.append((coef, average))
        before = r4_ue_average(pairs)
        after = None if before is None else r5_bonus(before, bonus, self.context.cohort.bonus_mode)
        if before is not None and bonus:
            unit = " points" if self.context.cohort.bonus_mode == BonusMode.POINTS else "%"
            capped = " (capped at 20)" if after == 20 else ""
            self.say(f"R5: {d.code} {fmt(before)} + bonus {bonus}{unit} -> {fmt(after)}{capped}")
        return UEResult(code=d.code, semester=d.semester, average=after, average_before_bonus=before,
                        module_averages=module_averages)

    def r3_module_average(self, ue: str, module: str, index: RunIndex, scores: Mapping):
        """Return a module's average towards a UE, rattrapage included; explain a drop or a replacement."""
        evaluations = index.by_module.get(module, ())
        average = r3_module_average(evaluations, scores, ue)
        final = average
        if module in index.rattrapage_modules:
            final = r3_apply_rattrapage(average, r3_rattrapage_average(evaluations, scores, ue))
        if final is None:
            self.say(f"R3: {module} has no evaluation counting towards {ue}: left out")
        elif final is not average:
            self.say(f"R3: {module} rattrapage {fmt(final)} replaces {shown(average)} towards {ue}")
        return final

    # ------------------------------------------------------------ odd semester jury (R13)

    def r13_odd_jury(self, passage: Passage, result: PassageResult, year: int, last: bool) -> None:
        """Give the odd semester's UEs their provisional codes, then apply its jury decisions."""
        for code, ue in result.ues.items():
            if ue.capitalised:
                continue
            decision, why = r13_provisional_code(ue, ue.blocked)
            self.say(why)
            self.ues[code] = with_decision(ue, decision, self.ue_defs[code].ects)
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
        rcue_defs = self.context.year_rcues(year, parcours)
        for rd in rcue_defs:
            self.r9_rcue(rd, blocked)
        rcue_of = {d.code: self.rcues[rd.key] for rd in rcue_defs for d in rd.ues}
        for d in self.context.semester_ues(odd, parcours) + self.context.semester_ues(even, parcours):
            ue = self.ues.get(d.code)
            if ue is not None:
                decision, why = r9_compensate(ue, rcue_of.get(d.code), ue.blocked)
                self.say(why)
                if decision != ue.decision:
                    self.ues[d.code] = with_decision(ue, decision, d.ects)
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
        members = [(d, self.ues.get(d.code)) for d in rd.ues]
        rcue = RCUEResult(key=rd.key, year=rd.year, ues=tuple(d.code for d in rd.ues),
                          average=r8_rcue_average(members))
        parts = ", ".join(f"{d.code} {shown(u.average if u else None)}" for d, u in members)
        self.say(f"R8: RCUE {rd.key} ({parts}) -> {shown(rcue.average)}")
        previous = self.rcues.get(rd.key)
        if is_rcue_validated(previous):
            rcue.decision, rcue.by_jury = previous.decision, previous.by_jury
            self.say(f"R11: RCUE {rd.key} validated before ({previous.decision}): kept")
        else:
            rcue.decision, why = r9_rcue_code(rcue, blocked)
            self.say(why)
        self.rcues[rd.key] = rcue

    def r10_lower_levels(self, competence: str, level: int, source: str) -> None:
        """Validate the lower levels of a competence whose level `level` was just validated (R10).

        A lower-level RCUE counts as known once one of its UEs is (from a passage or a prior validation).
        """
        for rd in self.context.rcues(self.student.parcours).values():
            if (rd.competence == competence and rd.level < level and rd.key not in self.rcues
                    and any(d.code in self.ues for d in rd.ues)):
                members = [(d, self.ues.get(d.code)) for d in rd.ues]
                self.rcues[rd.key] = RCUEResult(key=rd.key, year=rd.year, ues=tuple(d.code for d in rd.ues),
                                                average=r8_rcue_average(members))
        for line in r10_lower_levels(competence, level, self.ue_defs, self.ues, self.rcues, source):
            self.say(line)

    def r16_year(self, year: int, rcues: list[RCUEResult], last: bool) -> None:
        """Set the R14/R15 flags and propose the year decision (R16, R17)."""
        may_odd = None
        if year < 3:
            may_odd, why = r14_may_enter_odd(year, rcues)
            self.result.may_enter_odd[year] = may_odd
            self.say(why)
        may_s5 = self.r15_may_enter_s5() if year == 2 else None
        if last and self.r16_status(year):
            return
        odd, even = 2 * year - 1, 2 * year
        repeated_in_year = sum(1 for s in (odd, even) if self.seen[s] > 1)
        may_repeat = r17_may_repeat(self.repeats, repeated_in_year, self.student.extra_repeats_granted)
        proposal, why = r16_year_proposal(year=year, rcues=rcues, may_enter_odd=may_odd, may_enter_s5=may_s5,
                                          may_repeat=may_repeat)
        self.say(why)
        self.result.year_proposals[year] = self.result.years[year] = proposal

    def r16_status(self, year: int) -> bool:
        """Give the year of the last passage the decision its enrolment status imposes (DEF, DEM, ABAN)."""
        decision = r16_status_decision(self.student.status)
        if decision is None:
            return False
        self.result.year_proposals[year] = self.result.years[year] = decision
        self.say(f"R16: status {self.student.status} -> year {year} {decision}")
        return True

    def r15_may_enter_s5(self) -> bool | None:
        """Compute R15 on the current state; explain it when its outcome changes."""
        allowed, why = r15_may_enter_s5(self.ue_defs, self.ues, self.student.parcours)
        self.result.may_enter_s5 = allowed
        if why != self.said_r15:
            self.say(why)
            self.said_r15 = why
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
            self.say(f"R16: jury {key} {code}: neither a UE nor an RCUE of the parcours, ignored")
            return
        rcue = self.rcues.get(key) or RCUEResult(key=key, year=rd.year, ues=tuple(d.code for d in rd.ues))
        self.say(f"R16: jury {key} {code} prevails over {rcue.decision or 'no code'}")
        self.rcues[key] = replace(rcue, decision=code, by_jury=True)
        if code == DecisionCode.ADJ:
            for d in rd.ues:
                ue = self.ues.get(d.code)
                if ue is not None and not is_validated(ue):
                    self.ues[d.code] = with_decision(ue, DecisionCode.ADJR, d.ects)
                    self.say(f"R16: {d.code} {shown(ue.average)} in RCUE {key} ADJ -> ADJR")
        if code in RCUE_VALIDATING and rd.year != deciding_year:  # the year jury runs R10 on its own RCUEs
            self.r10_lower_levels(rd.competence, rd.level, key)

    def jury_ue(self, code: str, decision: str) -> None:
        """Record a jury decision on a UE, with its ECTS when it validates it."""
        d = self.ue_defs[code]
        ue = self.ues.get(code) or UEResult(code=code, semester=d.semester)
        self.say(f"R16: jury {code} {decision} prevails over {ue.decision or 'no code'}")
        self.ues[code] = replace(with_decision(ue, decision, d.ects), by_jury=True)

    def apply_year_jury(self, passage: Passage, year: int) -> None:
        """Record the jury's year decision, which prevails over the proposal."""
        decision = passage.jury.get(YEAR)
        if decision:
            proposal = self.result.years.get(year)
            self.say(f"R16: jury year {decision} prevails over {proposal or 'no proposal'}")
            self.result.years[year] = decision

    def sync(self, result: PassageResult) -> None:
        """Show in a passage's results the UE states its jury (or its year jury) settled."""
        for code in result.ues:
            result.ues[code] = self.ues[code]

    # ------------------------------------------------------------ end of path (R15, R18)

    def finish(self) -> None:
        """Total the ECTS and settle R15 and R18 on the final state."""
        self.r15_may_enter_s5()
        self.result.ects = exact_sum(ue.ects for ue in self.ues.values())
        dut, but = r18_diplomas(self.ue_defs, self.ues, self.student.parcours)
        self.result.dut_eligible, self.result.but_eligible = dut, but
        self.say(f"R18: {self.result.ects} ECTS acquired; DUT {'eligible' if dut else 'not eligible'}, "
                 f"BUT {'eligible' if but else 'not eligible'}")

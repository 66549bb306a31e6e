"""What every student of a cohort shares, worked out once: runs' R2 indexes and R1–R4 plans, feeders, UEs and
RCUEs by parcours. No Django import."""
from collections.abc import Hashable
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from .averages import PassagePlan, RunPlan
from .scores import RunIndex, modules_taken, r2_index_run
from .types import CohortInput, SemesterRun, UEDef


@dataclass(frozen=True)
class RCUEDef:
    """One competence level of one year: its UEs (odd semester first), as the parcours takes them (R8)."""

    key: str
    year: int
    competence: str
    level: int
    ues: tuple[UEDef, ...]
    codes: tuple[str, ...] = field(init=False)  # the UEs' codes
    weights: tuple[int, ...] = field(init=False)  # the UEs' RCUE coefficients, whole numbers in proportion (R8)

    def __post_init__(self):
        coefficients = [Fraction(d.rcue_coef) for d in self.ues]
        common = lcm(*(c.denominator for c in coefficients))
        object.__setattr__(self, "codes", tuple(d.code for d in self.ues))
        object.__setattr__(self, "weights", tuple(int(c * common) for c in coefficients))


@dataclass
class Context:
    """Programme data shared by every student, indexed once (per parcours where it matters)."""

    cohort: CohortInput
    indexes: dict[Hashable, RunIndex] = field(init=False)
    feeders: dict[str, list[tuple[str, object]]] = field(init=False)  # UE -> [(module, coef)] (R4)
    _taken: dict = field(init=False, default_factory=dict)
    _semester_ues: dict = field(init=False, default_factory=dict)
    _rcues: dict = field(init=False, default_factory=dict)
    _plans: dict = field(init=False, default_factory=dict)
    _passage_plans: dict = field(init=False, default_factory=dict)
    _lower_levels: dict = field(init=False, default_factory=dict)
    _required: dict = field(init=False, default_factory=dict)
    _years: dict = field(init=False, default_factory=dict)
    units: dict = field(init=False, default_factory=dict)  # grade value -> thousandths (averages.r1_counted)
    usual_cells: dict = field(init=False, default_factory=dict)  # grade cell -> thousandths (r1_usual_values)

    def __post_init__(self):
        cohort = self.cohort
        taken_by_student = {s.id: self.modules_taken(s.parcours) for s in cohort.students}
        self.indexes = {
            # R2: enrolled students outside the cohort (an earlier run's classmates) count by their parcours too.
            key: r2_index_run(run, {**{s: self.modules_taken(p) for s, p in run.enrolled_parcours.items()},
                                    **taken_by_student})
            for key, run in cohort.runs.items()
        }
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

    def plan(self, run_key: Hashable, semester: int) -> RunPlan:
        """Return the shared R1–R4 plan of a run."""
        plan = self._plans.get(run_key)
        if plan is None:
            plan = self._plans[run_key] = RunPlan(self.index(run_key, semester), self.cohort.modules)
        return plan

    def passage_plan(self, run_key: Hashable, semester: int, parcours: str | None) -> PassagePlan:
        """Return what a passage of the parcours through a run computes (R1–R4), shared by its students."""
        key = (run_key, parcours)
        plan = self._passage_plans.get(key)
        if plan is None:
            run = self.plan(run_key, semester)
            taken = self.modules_taken(parcours)
            plan = self._passage_plans[key] = run.passage(
                self.semester_ues(semester, parcours), self.feeders,
                frozenset(ev.id for m, evs in run.index.by_module.items() if m in taken for ev in evs))
        return plan

    def required_ues(self, parcours: str | None) -> dict[int, tuple[str, ...]]:
        """Return the UEs the parcours takes, in code order, up to S2 (R15), S4 and S6 (R18), by last semester."""
        required = self._required.get(parcours)
        if required is None:
            taken = sorted((d.code, d.semester) for d in self.cohort.ues.values() if d.taken_by(parcours))
            required = self._required[parcours] = {
                last: tuple(code for code, semester in taken if semester <= last) for last in (2, 4, 6)}
        return required

    def has_lower_levels(self, competence: str, level: int) -> bool:
        """Tell whether the programme has a UE of the competence below this level (R10 has work to do)."""
        key = (competence, level)
        if key not in self._lower_levels:
            self._lower_levels[key] = any(d.competence == competence and d.level < level
                                          for d in self.cohort.ues.values())
        return self._lower_levels[key]

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

    def year_rcues(self, year: int, parcours: str | None) -> tuple[RCUEDef, ...]:
        """Return the RCUEs of one BUT year for the parcours."""
        return self.year_plan(year, parcours)[0]

    def year_plan(self, year: int, parcours: str | None) -> tuple[tuple[RCUEDef, ...], tuple]:
        """Return what a year jury of the parcours walks (R8–R10): the year's RCUEs, and its UEs (odd semester
        first) each with the key of its RCUE (None: in no RCUE), as (UEDef, key) pairs."""
        key = (year, parcours)
        plan = self._years.get(key)
        if plan is None:
            rcues = tuple(r for r in self.rcues(parcours).values() if r.year == year)
            rcue_of = {d.code: rd.key for rd in rcues for d in rd.ues}
            ues = self.semester_ues(2 * year - 1, parcours) + self.semester_ues(2 * year, parcours)
            plan = self._years[key] = (rcues, tuple((d, rcue_of.get(d.code)) for d in ues))
        return plan

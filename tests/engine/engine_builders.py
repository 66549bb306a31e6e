"""Concise builders of engine inputs for the tests (no database).

A `Programme` holds UEs UE<s>.<i> (competence C<i>, level ⌈s/2⌉), each with a default module M<UE> and one
evaluation whose id is the UE code, so `grades={"UE3.1": 9.4}` gives UE3.1 an average of 9.40.
Students' first passages through a semester share run "S<s>", repeats share "S<s>r<n>" (R2 completeness).
"""
from collections import Counter, defaultdict
from decimal import Decimal

from grading.engine import compute
from grading.engine.codes import BonusMode
from grading.engine.types import (
    AttendanceRule,
    CohortInput,
    EvaluationDef,
    GradeValue,
    ModuleDef,
    Passage,
    PriorValidation,
    SemesterRun,
    StudentInput,
    UEDef,
)

D = Decimal
CODES = {"ABS", "EXC", "ATT", "abs", "exc", "att"}


def dec(value) -> Decimal:
    """Return a Decimal from an int, a string or a Decimal (never a float's noise)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def grade(value) -> GradeValue:
    """Return a grade cell: a number, a code (ABS, EXC, ATT), or None (not entered)."""
    if value is None:
        return GradeValue()
    if isinstance(value, str) and value in CODES:
        return GradeValue(code=value)
    return GradeValue(value=dec(value))


def ev(id, module, coef=1, max=20, weights=None, immediate=False, rattrapage=False) -> EvaluationDef:  # noqa: A002
    """Return an evaluation definition."""
    return EvaluationDef(id=id, module=module, coef=dec(coef), max=dec(max),
                         weights={u: dec(w) for u, w in (weights or {}).items()},
                         immediate=immediate, rattrapage=rattrapage)


def P(semester, grades=None, *, default=None, bonus=None, jury=None, absences=0, status=None) -> dict:  # noqa: N802
    """Return one passage: grades by evaluation id; `default` fills every default evaluation not given;
    `absences` its unjustified half-days (R20); `status` the enrolment's in that semester (R2), `inscrit` unless
    given."""
    return {"semester": semester, "grades": dict(grades or {}), "default": default, "bonus": bonus,
            "jury": dict(jury or {}), "absences": absences, "status": status}


def year(odd, even, default=12, **overrides) -> list[dict]:
    """Return the two passages of a BUT year where every default evaluation gets `default` unless overridden."""
    return [P(odd, {k: v for k, v in overrides.items() if k.startswith(f"UE{odd}.")}, default=default),
            P(even, {k: v for k, v in overrides.items() if k.startswith(f"UE{even}.")}, default=default)]


class Programme:
    """A small programme and its students, turned into a CohortInput by `cohort()`."""

    def __init__(self, competences=4, semesters=range(1, 7), ects=None, bonus_mode=BonusMode.PERCENT,
                 default_modules=True, attendance=None):
        self.ues: dict[str, UEDef] = {}
        self.modules: dict[str, ModuleDef] = {}
        self.evaluations: dict[int, list[EvaluationDef]] = defaultdict(list)
        self.students: list[tuple[StudentInput, list[dict]]] = []
        self.bonus_mode = bonus_mode
        self.attendance = None if attendance is None else AttendanceRule(threshold=attendance[0],
                                                                         points=dec(attendance[1]))
        ects = dec(ects) if ects is not None else D(30) / competences
        for s in semesters:
            for i in range(1, competences + 1):
                self.add_ue(f"UE{s}.{i}", s, f"C{i}", (s + 1) // 2, ects, default_module=default_modules)

    def add_ue(self, code, semester, competence, level, ects=5, rcue_coef=1, parcours=(), default_module=True):
        """Add a UE (and, by default, its module M<code> with one evaluation `code`)."""
        self.ues[code] = UEDef(code=code, semester=semester, competence=competence, level=level, ects=dec(ects),
                               rcue_coef=dec(rcue_coef), parcours=frozenset(parcours))
        if default_module:
            self.add_module(f"M{code}", semester, {code: 1}, [ev(code, f"M{code}")])
        return self

    def add_module(self, code, semester, coefficients, evaluations=None, kind="resource"):
        """Add a module with its coefficient row and its evaluations (default: one, id = module code)."""
        self.modules[code] = ModuleDef(code=code, semester=semester, kind=kind,
                                       coefficients={u: dec(c) for u, c in coefficients.items()})
        self.evaluations[semester].extend(evaluations if evaluations is not None else [ev(code, code)])
        return self

    def student(self, sid, *path, parcours=None, status="inscrit", prior=None, extra_repeats=0):
        """Add a student: passages built with P()/year(), prior as {UE: code} or {UE: (code, average)}."""
        priors = {}
        for code, value in (prior or {}).items():
            code_, average = value if isinstance(value, tuple) else (value, None)
            priors[code] = PriorValidation(code=code_, average=None if average is None else dec(average))
        flat = [p for item in path for p in (item if isinstance(item, list) else [item])]
        self.students.append((StudentInput(id=sid, parcours=parcours, status=status, prior=priors,
                                           extra_repeats_granted=extra_repeats), flat))
        return self

    def cohort(self) -> CohortInput:
        """Build the engine input: runs shared by first passages, and by repeats."""
        runs: dict[str, dict] = {}
        students = []
        for student, path in self.students:
            seen = Counter()
            passages = []
            for p in path:
                s = p["semester"]
                seen[s] += 1
                key = f"S{s}" if seen[s] == 1 else f"S{s}r{seen[s]}"
                run = runs.setdefault(key, {"semester": s, "grades": {}, "enrolled": set()})
                run["enrolled"].add(student.id)
                cells = {}
                if p["default"] is not None:
                    cells.update({e.id: grade(p["default"]) for e in self.evaluations[s]
                                  if e.id in self.ues and not e.rattrapage})
                cells.update({k: grade(v) for k, v in p["grades"].items()})
                run["grades"][student.id] = {k: v for k, v in cells.items() if v.value is not None or v.code}
                passages.append(Passage(run=key, semester=s, bonus=None if p["bonus"] is None else dec(p["bonus"]),
                                        jury=p["jury"], unjustified_half_days=p.get("absences", 0),
                                        **({"status": p["status"]} if p.get("status") else {})))
            students.append(StudentInput(id=student.id, parcours=student.parcours, status=student.status,
                                         prior=student.prior, passages=tuple(passages),
                                         extra_repeats_granted=student.extra_repeats_granted))
        return CohortInput(
            ues=dict(self.ues), modules=dict(self.modules),
            runs={k: SemesterRun(key=k, semester=r["semester"], evaluations=tuple(self.evaluations[r["semester"]]),
                                 grades=r["grades"], enrolled=frozenset(r["enrolled"])) for k, r in runs.items()},
            students=tuple(students), bonus_mode=self.bonus_mode, attendance=self.attendance,
        )

    def compute(self):
        """Compute the cohort."""
        return compute(self.cohort())

    def result(self, sid=None):
        """Compute and return one student's result (the only one when sid is None)."""
        results = self.compute().students
        return results[sid] if sid is not None else next(iter(results.values()))


def avg(ue_or_rcue) -> str | None:
    """Return an average as the jury reads it: a two-decimal string, or None."""
    from grading.engine.rounding import fmt

    return fmt(ue_or_rcue.average)


def codes(result, *keys) -> list:
    """Return the final codes of the given UEs / RCUEs of a student result."""
    return [(result.ues[k] if k in result.ues else result.rcues[k]).decision for k in keys]

"""Property tests (hypothesis): bounds, monotonicity, invariance under permutation."""
from dataclasses import replace
from decimal import Decimal

from engine_builders import P, Programme, ev
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grading.engine import compute
from grading.engine.codes import RCUE_VALIDATED, UE_VALIDATED
from grading.engine.types import GradeValue

D = Decimal
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EVALUATIONS = {1: ["UE1.1", "UE1.2", "x1", "x2", "xr"], 2: ["UE2.1", "UE2.2", "y1", "y2"]}
MAXIMA = {"x2": 40}
cells = st.one_of(
    st.decimals(min_value=0, max_value=20, places=2),
    st.sampled_from(["ABS", "EXC", "ATT", None]),
)
bonuses = st.sampled_from([None, "0.25", "2.5", "5"])
student_paths = st.lists(
    st.tuples(
        st.fixed_dictionaries({e: cells for e in EVALUATIONS[1]}), bonuses,
        st.fixed_dictionaries({e: cells for e in EVALUATIONS[2]}), bonuses,
    ),
    min_size=1, max_size=3,
)


def programme(paths) -> Programme:
    """Return S1–S2 with 2 competences, a module feeding both UEs with weights, immediate and rattrapage."""
    p = Programme(competences=2, semesters=(1, 2))
    p.add_module("X1", 1, {"UE1.1": 2, "UE1.2": 1}, [
        ev("x1", "X1", weights={"UE1.2": 0}), ev("x2", "X1", coef=2, max=40, immediate=True),
        ev("xr", "X1", rattrapage=True)])
    p.add_module("Y2", 2, {"UE2.1": 1, "UE2.2": 3}, [ev("y1", "Y2", coef=3, weights={"UE2.1": 2}), ev("y2", "Y2")])
    for i, (g1, b1, g2, b2) in enumerate(paths):
        scale = {k: v * 2 if k in MAXIMA and isinstance(v, Decimal) else v for k, v in g1.items()}
        p.student(f"s{i}", P(1, scale, bonus=b1), P(2, g2, bonus=b2))
    return p


def averages(result):
    """Yield every average of a cohort result."""
    for student in result.students.values():
        for passage in student.passages:
            for ue in passage.ues.values():
                yield from (ue.average, ue.average_before_bonus, *ue.module_averages.values())
        yield from (ue.average for ue in student.ues.values())
        yield from (rcue.average for rcue in student.rcues.values())


def snapshot(student):
    """Return everything a student result says, comparable with ==."""
    return (
        {c: (u.average, u.average_before_bonus, u.decision, u.ects, u.module_averages) for c, u in student.ues.items()},
        {k: (r.average, r.decision) for k, r in student.rcues.items()},
        student.years, student.year_proposals, student.may_enter_odd, student.may_enter_s5, student.ects,
        student.explain,
    )


@SETTINGS
@given(student_paths)
def test_property_averages_stay_within_0_and_20(paths):
    values = [a for a in averages(programme(paths).compute()) if a is not None]
    assert all(D(0) <= a <= D(20) for a in values)


@SETTINGS
@given(student_paths, st.data())
def test_property_raising_one_grade_never_lowers_an_average_nor_a_validation(paths, data):
    p = programme(paths)
    cohort = p.cohort()
    numeric = [(run_key, sid, eid, g.value) for run_key, run in cohort.runs.items()
               for sid, grades in run.grades.items() for eid, g in grades.items()
               if g.value is not None and g.code is None and g.value < MAXIMA.get(eid, 20)]
    if not numeric:
        return
    run_key, sid, eid, value = data.draw(st.sampled_from(numeric))
    raised = data.draw(st.decimals(min_value=value + D("0.01"), max_value=MAXIMA.get(eid, 20), places=2))
    run = cohort.runs[run_key]
    grades = {s: dict(g) for s, g in run.grades.items()}
    grades[sid][eid] = GradeValue(value=raised)
    before = compute(cohort).students
    after = compute(replace(cohort, runs={**cohort.runs, run_key: replace(run, grades=grades)})).students
    for s, old in before.items():
        new = after[s]
        for code, ue in old.ues.items():
            if ue.average is not None:
                assert new.ues[code].average >= ue.average
            if ue.decision in UE_VALIDATED:
                assert new.ues[code].decision in UE_VALIDATED
        for key, rcue in old.rcues.items():
            if rcue.average is not None:
                assert new.rcues[key].average >= rcue.average
            if rcue.decision in RCUE_VALIDATED:
                assert new.rcues[key].decision in RCUE_VALIDATED
        rank = {"ADM": 3, "PASD": 2, "RED": 1, "NAR": 1}
        for year, decision in old.years.items():
            if decision in rank:
                assert rank.get(new.years[year], 0) >= rank[decision]
            else:
                assert new.years[year] == decision  # ATT stays ATT: the ATT grades did not change


@SETTINGS
@given(student_paths, st.randoms(use_true_random=False))
def test_property_permuting_students_or_evaluations_changes_nothing(paths, random):
    cohort = programme(paths).cohort()
    students = list(cohort.students)
    random.shuffle(students)
    runs = {}
    for key, run in cohort.runs.items():
        evaluations = list(run.evaluations)
        random.shuffle(evaluations)
        runs[key] = replace(run, evaluations=tuple(evaluations))
    before = compute(cohort)
    after = compute(replace(cohort, students=tuple(students), runs=runs))
    assert {s: snapshot(r) for s, r in before.students.items()} == {s: snapshot(r) for s, r in after.students.items()}
    assert {k: set(v) for k, v in before.incomplete_evaluations.items()} == \
        {k: set(v) for k, v in after.incomplete_evaluations.items()}

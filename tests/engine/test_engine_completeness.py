"""R2 from counts (engine.completeness) decides exactly as R2 from everyone's grades (scores.r2_index_run)."""
from collections import Counter, defaultdict
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from grading.engine.scores import is_entered, r2_index_run
from grading.engine.types import EvaluationDef, GradeValue, SemesterRun
from grading.engine.waiting import r2_complete_from_counts

# Modules taken by each parcours: M3 only in P1, M4 in nobody's UE.
TAKEN = {"P1": frozenset({"M1", "M2", "M3"}), "P2": frozenset({"M1", "M2"}), None: frozenset({"M1"})}
CELLS = [None, GradeValue(), GradeValue(value=Decimal("12.5")), GradeValue(value=Decimal("0")),
         GradeValue(code="ABS"), GradeValue(code="EXC"), GradeValue(code="att")]

evaluations = st.lists(
    st.builds(lambda module, flag: (module, flag), st.sampled_from(["M1", "M2", "M3", "M4"]),
              st.sampled_from(["", "", "", "immediate", "rattrapage"])),
    min_size=1, max_size=6)
students = st.lists(st.tuples(st.sampled_from(["P1", "P2", None]), st.booleans()), min_size=0, max_size=8)


def counts_of(run: SemesterRun, parcours: dict) -> tuple[Counter, dict]:
    """Count as the database does: enrolled students per parcours, and those with a grade entered."""
    enrolled = Counter(parcours[s] for s in run.enrolled)
    entered = defaultdict(Counter)
    for s in run.enrolled:
        for ev in run.evaluations:
            if is_entered(run.grades.get(s, {}).get(ev.id)):
                entered[ev.id][parcours[s]] += 1
    return enrolled, entered


@settings(max_examples=300, deadline=None)
@given(evaluations, students, st.data())
def test_counts_give_the_same_complete_evaluations_as_everyones_grades(evals, people, data):
    defs = tuple(EvaluationDef(id=i, module=m, immediate=f == "immediate", rattrapage=f == "rattrapage")
                 for i, (m, f) in enumerate(evals))
    parcours = {s: p for s, (p, _) in enumerate(people)}
    enrolled = frozenset(s for s, (_, is_enrolled) in enumerate(people) if is_enrolled)
    grades = {s: {ev.id: cell for ev in defs
                  if (cell := data.draw(st.sampled_from(CELLS), label=f"{s}/{ev.id}")) is not None}
              for s in parcours}
    run = SemesterRun(key="S1", semester=1, evaluations=defs, grades=grades, enrolled=enrolled)
    expected = r2_index_run(run, {s: TAKEN[p] for s, p in parcours.items()}).complete

    enrolled_counts, entered = counts_of(run, parcours)
    assert r2_complete_from_counts(defs, enrolled_counts, entered, TAKEN.__getitem__) == expected


def test_a_run_whose_completeness_is_given_is_not_recounted():
    defs = (EvaluationDef(id="a", module="M1"), EvaluationDef(id="b", module="M1"),
            EvaluationDef(id="c", module="M1", immediate=True))
    run = SemesterRun(key="S1", semester=1, evaluations=defs, enrolled=frozenset({"x"}),
                      grades={"x": {"a": GradeValue(value=Decimal("10"))}})
    assert r2_index_run(run).complete == {"a"}
    index = r2_index_run(replace(run, complete=frozenset({"b"})))
    assert index.complete == {"b"}
    assert index.incomplete == ("a",)  # immediate evaluations never wait, given or not

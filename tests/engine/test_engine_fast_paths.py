"""The engine's fast paths give exactly what its general paths give: the same cohort computed with a fast path
switched off (monkeypatched away) must produce identical results, explanations included.

The usual-case path (`averages.r1_usual_values` + `StudentWalk.usual_ue_average`: every ordinary evaluation
graded, no ATT, no rattrapage entered) is checked on crafted students that take it and students that leave it, and as a
property on random grades mostly numeric (so that both paths are taken often).
"""
import importlib
import pickle
from dataclasses import fields
from decimal import Decimal

import pytest
from engine_builders import P, Programme, ev
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grading.engine import averages as averages_module
from grading.engine import compute

compute_module = importlib.import_module("grading.engine.compute")  # the module (the package exports the function)
D = Decimal


def everything(result) -> dict:
    """Return every field of every student result, module averages as plain dicts, explanations as text."""
    def ue(u):
        return tuple((f.name, dict(getattr(u, f.name)) if f.name == "module_averages" else getattr(u, f.name))
                     for f in fields(u))

    out = {}
    for sid, s in result.students.items():
        out[sid] = (
            {code: ue(u) for code, u in s.ues.items()},
            [(p.run, p.semester, {code: ue(u) for code, u in p.ues.items()}) for p in s.passages],
            {k: (r.key, r.year, r.ues, r.average, r.decision, r.by_jury) for k, r in s.rcues.items()},
            s.year_proposals, s.years, s.may_enter_odd, s.may_enter_s5, s.ects, s.dut_eligible, s.but_eligible,
            s.explain,
        )
    return {"students": out, "incomplete": result.incomplete_evaluations}


class UsualPath:
    """Count the passages the usual-case path takes and leaves, or switch it off."""

    def __init__(self, monkeypatch, enabled=True):
        self.taken = self.left = 0
        real = averages_module.r1_usual_values

        def counting(plan, grades, known):
            values = real(plan, grades, known) if enabled else None
            if values is None:
                self.left += 1
            else:
                self.taken += 1
            return values

        monkeypatch.setattr(compute_module, "r1_usual_values", counting)


def both_ways(cohort, monkeypatch, explain=True):
    """Return (the results with the usual path, without it, the path counts)."""
    with monkeypatch.context() as m:
        usual = UsualPath(m)
        fast = compute(cohort, explain=explain)
    with monkeypatch.context() as m:
        UsualPath(m, enabled=False)
        general = compute(cohort, explain=explain)
    return fast, general, usual


def crafted() -> Programme:
    """S1–S2, 2 competences and a lone UE1.3, a module weighing nothing towards one UE (left out), an immediate
    and a waiting
    evaluation (xw: only an ATT in it, so it waits), a rattrapage, a bonus, capitalisation by a repeat: students
    on and off the usual path."""
    p = Programme(competences=2, semesters=(1, 2))
    p.add_module("X1", 1, {"UE1.1": 2, "UE1.2": D("1.5")}, [
        ev("x1", "X1", weights={"UE1.2": 0}), ev("x2", "X1", coef=2, max=40, immediate=True),
        ev("xw", "X1"), ev("xr", "X1", rattrapage=True)])
    p.add_module("Z1", 1, {"UE1.2": 1}, [ev("z1", "Z1", weights={"UE1.2": 0})])  # left out of UE1.2
    p.add_ue("UE1.3", 1, "C3", 1)  # one evaluation alone (its own), in no RCUE
    p.add_module("Y2", 2, {"UE2.1": 1, "UE2.2": 3}, [ev("y1", "Y2", coef=3, weights={"UE2.1": 2}), ev("y2", "Y2")])
    usual = {"x1": "12.25", "x2": 31, "z1": 4, "UE1.3": "13.5", "y1": "9.995", "y2": "ABS"}
    p.student("usual", P(1, {**usual, "UE1.1": 11, "UE1.2": "8.5"}, bonus="2.5"),
              P(2, {**usual, "UE2.1": 14, "UE2.2": 7}))
    p.student("abs", P(1, {**usual, "x1": "abs", "UE1.1": 11, "UE1.2": 9}), P(2, {**usual, "UE2.1": 3, "UE2.2": 19}))
    p.student("exc", P(1, {**usual, "x1": "EXC", "UE1.1": 11, "UE1.2": 9}), P(2, {**usual, "UE2.1": 10,
                                                                                 "UE2.2": 10}))
    p.student("att", P(1, {**usual, "UE1.1": "ATT", "UE1.2": 9}), P(2, {**usual, "UE2.1": 10, "UE2.2": 10}))
    p.student("waiting_att", P(1, {**usual, "xw": "ATT", "UE1.1": 12, "UE1.2": 9}),
              P(2, {**usual, "UE2.1": 10, "UE2.2": 10}))
    p.student("retake", P(1, {**usual, "xr": 19, "UE1.1": 8, "UE1.2": 9}, bonus="5"),
              P(2, {**usual, "UE2.1": 10, "UE2.2": 10}))
    p.student("missing", P(1, {**usual, "x2": None, "UE1.1": 12, "UE1.2": 12}),  # x2, immediate, not entered
              P(2, {**usual, "UE2.1": 10, "UE2.2": 10}))
    p.student("repeat", P(1, {**usual, "UE1.1": 11, "UE1.2": 7}), P(2, {**usual, "UE2.1": 4, "UE2.2": 6}),
              P(1, {**usual, "UE1.1": 13, "UE1.2": 9}), P(2, {**usual, "UE2.1": 12, "UE2.2": 16}))
    return p


@pytest.mark.parametrize("explain", [True, False])
def test_the_usual_path_gives_what_the_general_path_gives(monkeypatch, explain):
    fast, general, usual = both_ways(crafted().cohort(), monkeypatch, explain)
    assert usual.taken >= 8 and usual.left >= 5  # both paths ran
    assert everything(fast) == everything(general)


def test_the_usual_path_keeps_the_module_averages_and_left_out_modules(monkeypatch):
    fast, _, _ = both_ways(crafted().cohort(), monkeypatch)
    ue = fast.students["usual"].passages[0].ues["UE1.2"]
    # UE1.2: X1 (coefficient 1.5) by x2 alone (x1 weighs 0): 31/40·20 = 15.5; MUE1.2 (1): 8.5; Z1 weighs
    # nothing: left out. (1.5·15.5 + 8.5) / 2.5 = 12.7, then the 2.5 % bonus.
    assert dict(ue.module_averages) == {"X1": D("15.5"), "MUE1.2": D("8.5")}
    assert (ue.average_before_bonus, ue.average) == (D("12.7"), D("12.7") * D("1.025"))
    assert "Z1 ne compte pas vers UE1.2 : aucune de ses évaluations n'y compte — R3" in fast.students["usual"].explain


mostly_numbers = st.one_of(
    st.decimals(min_value=0, max_value=20, places=2), st.decimals(min_value=0, max_value=20, places=3),
    st.integers(min_value=0, max_value=20).map(D), st.sampled_from(["ABS", "EXC", "ATT", None]),
)
paths = st.lists(st.tuples(st.fixed_dictionaries({e: mostly_numbers for e in ("UE1.1", "UE1.2", "x1", "x2", "z1")}),
                           st.sampled_from([None, "0.25", "5"]),
                           st.fixed_dictionaries({e: mostly_numbers for e in ("UE2.1", "UE2.2", "y1", "y2")}),
                           st.booleans()), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(paths)
def test_property_the_usual_path_gives_what_the_general_path_gives(monkeypatch, paths):
    p = crafted()
    p.students.clear()
    for i, (g1, bonus, g2, retake) in enumerate(paths):
        g1 = {k: v * 2 if k == "x2" and isinstance(v, Decimal) else v for k, v in g1.items()}
        p.student(f"s{i}", P(1, {**g1, "UE1.3": 11, **({"xr": 15} if retake else {})}, bonus=bonus), P(2, g2))
    fast, general, _ = both_ways(p.cohort(), monkeypatch)
    assert everything(fast) == everything(general)


def test_grade_values_converted_once_per_computation_stay_exact_whatever_their_writing():
    """A value's thousandths are looked up once converted (averages.r1_counted): equal values written
    differently, and values finer than a thousandth, give the exact averages."""
    p = Programme(competences=1, semesters=(1,))
    p.add_module("X1", 1, {"UE1.1": 1}, [ev("x1", "X1"), ev("x2", "X1", coef=3)])
    written = [("a", "12.5", "12.50"), ("b", "12.500", "0.0005"), ("c", "0.0005", "ABS"), ("d", "12.5", "EXC")]
    for sid, x1, x2 in written:
        p.student(sid, P(1, {"UE1.1": "12.50", "x1": x1, "x2": x2}))
    result = p.compute().students
    expected = {"a": D("12.5"), "b": (D("12.5") + 3 * D("0.0005")) / 4, "c": D("0.0005") / 4, "d": D("12.5")}
    for sid, average in expected.items():
        assert result[sid].ues["UE1.1"].module_averages["X1"] == average
        assert result[sid].ues["UE1.1"].average == (average + D("12.5")) / 2


def test_module_averages_of_both_paths_survive_pickling_read_or_not(monkeypatch):
    """Results are cached pickled (grading.selectors.live_results): lazy module averages pickle, read or not."""
    fast, general, usual = both_ways(crafted().cohort(), monkeypatch)
    assert usual.taken and usual.left
    for result in (fast, general):
        read = result.students["usual"].ues["UE2.2"].module_averages
        dict(read)  # made
        again = pickle.loads(pickle.dumps(result))
        assert everything(again) == everything(general)

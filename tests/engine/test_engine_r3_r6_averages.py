"""R3 module averages, R4 UE averages, R5 bonus, R6 rounding."""
from decimal import Decimal
from fractions import Fraction

import pytest
from engine_builders import P, Programme, avg, ev

from grading.engine.codes import BonusMode
from grading.engine.rounding import at_least, fmt, shown
from grading.engine.scores import r3_apply_rattrapage, r4_ue_average, r5_bonus

D = Decimal


def weighted_programme():
    """S1 with UE1.1 and UE1.2; R1.01 feeds both (2 and 1), its evaluations weighted per UE; SAE1 feeds UE1.1."""
    p = Programme(competences=2, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 2, "UE1.2": 1},
                 [ev("a", "R1.01", weights={"UE1.2": 0}), ev("b", "R1.01", coef=2, max=40, weights={"UE1.1": 3})])
    p.add_module("SAE1", 1, {"UE1.1": 1}, kind="sae")
    return p


@pytest.mark.parametrize(
    "grades,ue11,ue12,module11",
    [
        # towards UE1.1: (8·1·1 + 15·2·3) / (1 + 6) = 14; towards UE1.2 `a` weighs 0: 15
        ({"a": 8, "b": 30, "SAE1": 11}, "13.00", "15.00", "14.00"),
        ({"a": 20, "b": 0, "SAE1": 20}, "8.57", "0.00", "2.86"),  # (2·20/7 + 20) / 3
        ({"a": 8, "b": "EXC", "SAE1": 11}, "9.00", None, "8.00"),  # UE1.2 has nothing left
    ],
)
def test_r3_evaluation_weights_per_ue_and_r4_coefficient_matrix(grades, ue11, ue12, module11):
    p = weighted_programme()
    p.student("s", P(1, grades))
    r = p.result()
    assert (avg(r.ues["UE1.1"]), avg(r.ues["UE1.2"])) == (ue11, ue12)
    assert fmt(r.passages[0].ues["UE1.1"].module_averages["R1.01"]) == module11


def test_r3_r6_module_average_is_exact():
    p = weighted_programme()
    p.student("s", P(1, {"a": 20, "b": 0, "SAE1": 20}))
    module = p.result().passages[0].ues["UE1.1"].module_averages["R1.01"]
    assert module == Fraction(20, 7)


@pytest.mark.parametrize(
    "cell,expected,dropped",
    [
        (None, "12.00", True),  # the module with no grade drops out, it is not 0
        ("EXC", "12.00", True),
        ("ATT", "12.00", True),
        ("ABS", "8.00", False),  # ABS is a 0: (2·12 + 1·0) / 3
        (6, "10.00", False),
    ],
)
def test_r3_a_module_with_no_grade_drops_out(cell, expected, dropped):
    p = Programme(competences=1, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 2}).add_module("R1.02", 1, {"UE1.1": 1})
    p.student("s", P(1, {"R1.01": 12, "R1.02": cell}))
    r = p.result()
    assert avg(r.ues["UE1.1"]) == expected
    assert ("R1.02" not in r.passages[0].ues["UE1.1"].module_averages) is dropped
    said = [line for line in r.explain if line.startswith("R1.02 ne compte pas vers UE1.1")]
    assert bool(said) is dropped
    if cell is None:  # nothing entered: the evaluation counts for nobody yet, an R2 cause
        assert said == ["R1.02 ne compte pas vers UE1.1 : ses évaluations attendent encore des notes — R2"]


def test_r4_a_ue_without_any_module_average_has_no_average_and_no_code():
    p = Programme(competences=2, semesters=(1, 2))
    p.student("s", P(1, {"UE1.1": "EXC"}, default=12), P(2, default=12))
    r = p.result()
    assert (r.ues["UE1.1"].average, r.ues["UE1.1"].decision) == (None, None)
    assert (r.rcues["C1-1"].average, r.rcues["C1-1"].decision, r.years[1]) == (None, None, "ATT")
    assert "UE1.1 : aucun module n'a de moyenne, pas de code — R4" in r.explain


@pytest.mark.parametrize(
    "normal,rattrapage,expected",
    [
        (7, 12, "12.00"),  # higher: replaces
        (14, 12, "14.00"),  # lower: ignored
        (7, "ABS", "7.00"),  # a rattrapage counts only a numeric grade
        (7, "EXC", "7.00"),
        (7, None, "7.00"),
        ("EXC", 9, "9.00"),  # no average before: the rattrapage gives it
    ],
)
def test_r3_rattrapage_higher_and_lower(normal, rattrapage, expected):
    p = Programme(competences=1, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 1}, [ev("a", "R1.01"), ev("r", "R1.01", rattrapage=True)])
    p.student("s", P(1, {"a": normal, "r": rattrapage}))
    assert avg(p.result().ues["UE1.1"]) == expected


@pytest.mark.parametrize("average,rattrapage,expected", [(D(7), D(12), D(12)), (D(12), D(7), D(12)),
                                                         (None, D(7), D(7)), (D(7), None, D(7)), (None, None, None)])
def test_r3_apply_rattrapage(average, rattrapage, expected):
    assert r3_apply_rattrapage(average, rattrapage) == expected


@pytest.mark.parametrize("pairs,expected", [([(D(2), D(12)), (D(1), D(6))], D(10)),
                                            ([(D(0), D(5)), (D(1), D(9))], D(9)),  # a coefficient of 0 weighs nothing
                                            ([], None), ([(D(0), D(5))], None)])
def test_r4_ue_average_weights_by_module_coefficient(pairs, expected):
    assert r4_ue_average(pairs) == expected


@pytest.mark.parametrize(
    "average,bonus,mode,expected",
    [
        ("9.80", "2.5", BonusMode.PERCENT, "10.045"),
        ("10", "0.25", BonusMode.PERCENT, "10.025"),
        ("19.8", "5", BonusMode.PERCENT, "20"),  # capped at 20
        ("20", "5", BonusMode.PERCENT, "20"),
        ("9.5", "0.5", BonusMode.POINTS, "10.0"),
        ("19.9", "0.5", BonusMode.POINTS, "20"),  # capped at 20
        ("12", None, BonusMode.PERCENT, "12"),
    ],
)
def test_r5_bonus_percent_points_and_cap(average, bonus, mode, expected):
    assert r5_bonus(D(average), None if bonus is None else D(bonus), mode) == D(expected)


@pytest.mark.parametrize(
    "grade,bonus,mode,before,after,code",
    [
        ("9.80", "2.5", BonusMode.PERCENT, "9.80", "10.05", "ADM"),  # 10.045 shown 10.05: passes
        ("9.75", "2.5", BonusMode.PERCENT, "9.75", "9.99", "AJ"),  # 9.99375
        ("19.80", "5", BonusMode.PERCENT, "19.80", "20.00", "ADM"),
        ("9.50", "0.5", BonusMode.POINTS, "9.50", "10.00", "ADM"),
    ],
)
def test_r5_bonus_applies_to_every_ue_of_the_semester(grade, bonus, mode, before, after, code):
    p = Programme(competences=2, semesters=(1,), bonus_mode=mode)
    p.student("s", P(1, {"UE1.1": grade, "UE1.2": grade}, bonus=bonus))
    r = p.result()
    for c in ("UE1.1", "UE1.2"):
        assert (fmt(r.ues[c].average_before_bonus), avg(r.ues[c]), r.ues[c].decision) == (before, after, code)
    assert any(line.startswith("UE1.1 : ") and line.endswith("— R5") for line in r.explain)


@pytest.mark.parametrize(
    "value,shown_value,passes_10,passes_8",
    [
        ("9.99", "9.99", False, True),
        ("9.994999", "9.99", False, True),
        ("9.995", "10.00", True, True),
        ("10.00", "10.00", True, True),
        ("7.99", "7.99", False, False),
        ("7.995", "8.00", False, True),
        ("8.00", "8.00", False, True),
    ],
)
def test_r6_thresholds_are_tested_on_the_shown_value(value, shown_value, passes_10, passes_8):
    assert str(shown(D(value))) == shown_value
    assert (at_least(D(value), D(10)), at_least(D(value), D(8))) == (passes_10, passes_8)


@pytest.mark.parametrize("grades,expected,code", [((D("9.99"), D("9.99")), "9.99", "AJ"),
                                                  ((D("9.99"), D("10")), "10.00", "ADM"),  # 9.995 exactly
                                                  ((D("10"), D("10")), "10.00", "ADM")])
def test_r6_a_ue_at_9_995_passes(grades, expected, code):
    p = Programme(competences=1, semesters=(1,), default_modules=False)
    p.add_module("R1.01", 1, {"UE1.1": 1}, [ev("a", "R1.01"), ev("b", "R1.01")])
    p.student("s", P(1, {"a": grades[0], "b": grades[1]}))
    ue = p.result().ues["UE1.1"]
    assert (avg(ue), ue.decision) == (expected, code)

"""R20 attendance: beyond the department's threshold of unjustified half-days in a semester, each further one takes
its points off every UE average of that semester, after the bonus (R5), never below 0; UEs capitalised earlier are
untouched (R11); exact arithmetic and the shown value decide (R6); off unless the department sets it."""
from decimal import Decimal
from fractions import Fraction

import pytest
from engine_builders import P, Programme, avg

from grading.engine.scores import r20_absences, r20_penalty

D = Decimal


@pytest.mark.parametrize(
    "half_days,threshold,points,expected",
    [
        (5, 5, "0.25", None),  # at the threshold: nothing
        (4, 5, "0.25", None),
        (8, 5, "0.25", Fraction(3, 4)),  # three beyond
        (6, 5, "0.05", Fraction(1, 20)),
        (10, 0, "0.1", Fraction(1)),  # exact: ten tenths are one point, never 0.9999…
        (9, 5, "0", None),  # no points: nothing
    ],
)
def test_r20_penalty_counts_the_half_days_beyond_the_threshold(half_days, threshold, points, expected):
    assert r20_penalty(half_days, threshold, D(points)) == expected


@pytest.mark.parametrize(
    "average,penalty,expected",
    [(Fraction(12), Fraction(3, 4), Fraction(45, 4)), (Fraction(2), Fraction(5), Fraction(0)),
     (Fraction(1, 3), Fraction(1, 3), Fraction(0))],
)
def test_r20_absences_never_below_zero(average, penalty, expected):
    assert r20_absences(average, penalty) == expected


@pytest.mark.parametrize(
    "grade,bonus,half_days,rule,shown,code",
    [
        ("12", None, 8, (5, "0.25"), "11.25", "ADM"),
        ("12", None, 5, (5, "0.25"), "12.00", "ADM"),
        ("11.5", None, 9, (5, "0.5"), "9.50", "AJ"),
        # the bonus first: 9.80 × 1.025 = 10.045, minus 0.05 = 9.995 exactly, shown 10.00: passes (R6); the other
        # order would give (9.80 − 0.05) × 1.025 = 9.99375, shown 9.99
        ("9.80", "2.5", 6, (5, "0.05"), "10.00", "ADM"),
        ("2", None, 5, (0, "1"), "0.00", "AJ"),  # never below 0
        ("12", None, 20, None, "12.00", "ADM"),  # the rule off: absences change nothing
    ],
)
def test_r20_applies_to_every_ue_of_the_semester_after_the_bonus(grade, bonus, half_days, rule, shown, code):
    p = Programme(competences=2, semesters=(1,), attendance=rule)
    p.student("s", P(1, {"UE1.1": grade, "UE1.2": grade}, bonus=bonus, absences=half_days))
    r = p.result()
    for ue in ("UE1.1", "UE1.2"):
        assert (avg(r.ues[ue]), r.ues[ue].decision) == (shown, code)
    lines = [line for line in r.explain if line.endswith("— R20")]
    penalised = rule is not None and half_days > rule[0]
    assert len(lines) == (2 if penalised else 0)


def test_r20_explanation_line():
    p = Programme(competences=1, semesters=(1,), attendance=(5, "0.25"))
    p.student("s", P(1, {"UE1.1": 12}, absences=8))
    assert ("UE1.1 : 12,00 − 3 demi-journées d'absence non justifiées au-delà du seuil × 0,25 point = 11,25 — R20"
            in p.result().explain)
    p = Programme(competences=1, semesters=(1,), attendance=(0, "2"))
    p.student("s", P(1, {"UE1.1": 3}, absences=2))
    assert any(line.endswith("= 0,00 (ramenée à 0) — R20") and "2 points" in line for line in p.result().explain)


def test_r20_leaves_capitalised_ues_untouched():
    """A repeater keeps UE1.1 capitalised at 12 (R11) whatever the repeat's absences; UE1.2, not acquired, takes
    the new average, penalised."""
    p = Programme(competences=2, semesters=(1, 2), attendance=(0, "0.5"))
    p.student("s", P(1, {"UE1.1": 12, "UE1.2": 8}), P(2, default=6),
              P(1, {"UE1.1": 13, "UE1.2": 9}, absences=10), P(2, default=12))
    r = p.result()
    assert (avg(r.ues["UE1.1"]), r.ues["UE1.1"].decision) == ("12.00", "ADM")
    assert avg(r.ues["UE1.2"]) == "4.00"  # 9 − 10 × 0.5
    assert avg(r.ues["UE2.1"]) == "12.00"  # the even semester had no absence

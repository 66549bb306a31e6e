"""Class statistics on known grades: the numbers, the codes apart, the bands on the shown value, the 6-student rule."""
from decimal import Decimal as D
from fractions import Fraction

import pytest

from grading.engine.codes import UE_VALIDATED
from grading.statistics import (
    STUDENT_MINIMUM,
    YEAR_PASSED,
    Line,
    Rate,
    decision_counts,
    for_students,
    grade_statistics,
    identical_columns,
    overview,
    pass_rates,
    rates_by,
    summarise,
)


@pytest.mark.parametrize("values,count,mean,median,low,high", [
    ([D("12"), D("8"), D("15"), D("9.5")], 4, D("11.13"), D("10.75"), D("8.00"), D("15.00")),
    ([D("10")], 1, D("10.00"), D("10.00"), D("10.00"), D("10.00")),
    ([D("1"), D("2"), D("20")], 3, D("7.67"), D("2.00"), D("1.00"), D("20.00")),
    ([Fraction(19990, 2000), Fraction(10)], 2, D("10.00"), D("10.00"), D("10.00"), D("10.00")),  # R6: 9.995 is 10.00
    ([], 0, None, None, None, None),
])
def test_it_summarises_count_mean_median_and_extremes(values, count, mean, median, low, high):
    summary = summarise(values)
    assert (summary.count, summary.mean, summary.median, summary.minimum, summary.maximum) == (
        count, mean, median, low, high)


def test_the_histogram_has_ten_bars_of_two_points_and_twenty_falls_in_the_last():
    summary = summarise([D("0"), D("1.99"), D("2"), D("10"), D("19.99"), D("20"), D("20")])
    assert [(b.low, b.high) for b in summary.bins][:2] == [(0, 2), (2, 4)]
    assert [b.count for b in summary.bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    assert summary.bins[5].label == "10–12"


@pytest.mark.parametrize("values,bands", [
    ([D("7.99"), D("7.995"), D("8"), D("9.99"), D("9.995"), D("10"), D("15")], (1, 3, 3)),  # R6: shown decides
    ([Fraction(9945, 1000)], (0, 1, 0)),
    ([], (0, 0, 0)),
])
def test_bands_count_below_8_from_8_to_10_and_10_and_more_on_the_shown_value(values, bands):
    assert summarise(values).bands == bands


def test_an_evaluations_grades_count_abs_as_zero_and_leave_exc_and_att_out():
    grades = [(D("15"), None, D("20")), (D("5"), None, D("10")),  # 5/10 is 10/20
              (None, "ABS", D("20")), (None, "EXC", D("20")), (None, "ATT", D("20")), (None, "EXC", D("20")),
              (None, None, D("20"))]  # a blank cell is not entered
    stats = grade_statistics(grades, expected=8)
    assert (stats.graded, stats.absent, stats.excused, stats.pending, stats.missing) == (3, 1, 2, 1, 2)
    assert (stats.summary.mean, stats.summary.median, stats.summary.minimum, stats.summary.maximum) == (
        D("8.33"), D("10.00"), D("0.00"), D("15.00"))
    assert stats.summary.bins[0].count == 1 and stats.summary.bins[5].count == 1 and stats.summary.bins[7].count == 1


@pytest.mark.parametrize("count,shown", [(0, False), (5, False), (STUDENT_MINIMUM, True), (40, True)])
def test_students_see_statistics_of_six_results_or_more_and_nothing_below(count, shown):
    stats = grade_statistics([(D("12"), None, D("20"))] * count)
    assert (for_students(stats, stats.graded) is stats) is shown
    assert STUDENT_MINIMUM == 6


def test_five_grades_and_three_excused_show_nothing_to_students():
    stats = grade_statistics([(D("12"), None, D("20"))] * 5 + [(None, "EXC", D("20"))] * 3)
    assert stats.graded == 5 and for_students(stats, stats.graded) is None


def test_decisions_are_counted_in_the_codes_order_with_none_last():
    assert decision_counts(["AJ", "ADM", None, "ADM", "CMP", "ATT"]) == [
        ("ADM", 2), ("CMP", 1), ("AJ", 1), ("ATT", 1), ("—", 1)]


@pytest.mark.parametrize("passed,total,percent", [(2, 3, D("66.7")), (1, 8, D("12.5")), (0, 0, None),
                                                  (1, 6, D("16.7")), (3, 3, D("100.0"))])
def test_a_rate_is_rounded_half_up_to_one_decimal(passed, total, percent):
    assert Rate(key="x", passed=passed, total=total).percent == percent


def test_ue_pass_rates_per_group_count_every_validated_code():
    members = {1: ["TD1"], 2: ["TD1"], 3: ["TD2"], 4: ["TD2"], 5: ["TD2"], 6: ["TD1"]}
    codes = {1: "ADM", 2: "CMP", 3: "AJ", 4: "ADJR", 5: "ATT", 6: None}
    rates = rates_by(members, codes, passing=UE_VALIDATED)
    assert [(r.key, r.passed, r.total) for r in rates] == [("Tous", 3, 5), ("TD1", 2, 2), ("TD2", 1, 3)]


def test_a_year_passes_with_adm_pasd_pas1nci_or_adj_only():
    rows = [(["MO"], code) for code in ("ADM", "PASD", "PAS1NCI", "ADJ", "RED", "NAR", "ATT", "DEM")]
    assert pass_rates(rows, passing=YEAR_PASSED) == [Rate(key="MO", passed=4, total=8)]


def test_an_overview_gives_bands_decisions_and_rates_per_group_and_parcours():
    lines = [
        Line(keys=("TD1", "MPI"), cells={"UE1": (D("12"), "ADM"), "UE2": (D("7.5"), "AJ")}, decision="PASD"),
        Line(keys=("TD1", "MPI"), cells={"UE1": (D("9.995"), "ADM"), "UE2": (D("8"), "CMP")}, decision="ADM"),
        Line(keys=("TD2", "SNIA"), cells={"UE1": (D("9"), "AJ"), "UE2": (None, None)}, decision="RED"),
        Line(keys=("TD2", "MPI"), cells={"UE1": (D("3"), "AJ"), "UE2": (D("15"), "ADM")}, decision=None),
    ]
    result = overview(lines, subjects=["UE1", "UE2"], passing=UE_VALIDATED)
    assert result.bands == (("UE1", (1, 1, 2)), ("UE2", (1, 1, 1)))
    assert dict(result.summaries)["UE2"].mean == D("10.17")
    assert result.decisions == (("ADM", 1), ("PASD", 1), ("RED", 1), ("—", 1))
    assert result.keys == ("Tous", "TD1", "TD2", "MPI", "SNIA")
    table = {key: (rate.passed, rate.total) for key, rate in result.rates.items()}
    assert table[("Tous", "UE1")] == (2, 4) and table[("TD2", "UE1")] == (0, 2) and table[("MPI", "UE2")] == (2, 3)
    assert table[("Tous", "")] == (2, 3) and table[("TD2", "")] == (0, 1) and ("SNIA", "UE2") not in table
    assert [(key, [r and r.passed for r in rates], year and year.total) for key, rates, year in result.rate_rows][-1] \
        == ("SNIA", [0, None], 1)


def test_a_student_who_left_counts_in_the_decisions_only():
    staying = [
        Line(keys=("TD1",), cells={"UE1": (D("12"), "ADM")}, decision="ADM"),
        Line(keys=("TD1",), cells={"UE1": (D("9"), "AJ")}, decision="RED"),
    ]
    left = Line(keys=("TD1", "TD3"), cells={"UE1": (D("4"), "AJ")}, decision="DEM", left=True)
    alone = overview(staying, subjects=["UE1"], passing=UE_VALIDATED)
    result = overview([*staying, left], subjects=["UE1"], passing=UE_VALIDATED)
    assert result.left == 1 and alone.left == 0
    assert result.bands == alone.bands == (("UE1", (0, 1, 1)),)  # not (1, 1, 1): the 4 is left out
    assert dict(result.summaries)["UE1"].mean == D("10.50")
    assert result.decisions == (("ADM", 1), ("RED", 1), ("DEM", 1))  # the DEM is a decision the jury records
    rates = {key: (rate.passed, rate.total) for key, rate in result.rates.items()}
    assert rates == {("Tous", "UE1"): (1, 2), ("TD1", "UE1"): (1, 2), ("Tous", ""): (1, 2), ("TD1", ""): (1, 2)}
    assert result.keys == ("Tous", "TD1")  # a group of students who all left has no rate to show


def test_identical_columns_are_grouped_in_the_order_they_come():
    columns = [("a", ["12,00", None, "8,50"]), ("b", ["12,00", None, "8,51"]), ("c", ["12,00", None, "8,50"]),
               ("d", [None, None, None])]
    assert identical_columns(columns) == [["a", "c"], ["b"], ["d"]]

from decimal import Decimal

import pytest

from butgmp.formats import as_number
from curriculum.models import HoursMode
from curriculum.selectors import PROGRAMME_QUERIES, get_programme_summary, list_programme_summaries
from curriculum.totals import Hours
from tests.curriculum.specs import SMALL


def test_it_loads_a_programme_in_a_fixed_number_of_queries(small_programme, django_assert_num_queries):
    with django_assert_num_queries(PROGRAMME_QUERIES):
        summary = get_programme_summary(code="test-mpi")
    assert PROGRAMME_QUERIES == 6
    assert summary.semester_numbers == (3, 4)


def test_the_number_of_queries_does_not_grow_with_the_number_of_programmes(
        build_programme, django_assert_num_queries):
    for index in range(3):
        build_programme(SMALL, code=f"prog-{index}")
    with django_assert_num_queries(PROGRAMME_QUERIES):
        summaries = list_programme_summaries()
    assert len(summaries) == 3


def test_it_loads_only_the_semesters_asked_for(small_programme, django_assert_num_queries):
    with django_assert_num_queries(PROGRAMME_QUERIES):
        summary = get_programme_summary(code="test-mpi", semester_numbers=[4])
    assert summary.semester_numbers == (4,)


def test_an_unknown_code_gives_none(db):
    assert get_programme_summary(code="nope") is None


def test_it_totals_each_ue_per_pole(small_programme):
    ue = get_programme_summary(code="test-mpi").semester(3).ues[0]
    assert ue.code == "UE3.1"
    assert [r.module.code for r in ue.resource_rows] == ["R3.01", "R3.02"]
    assert [r.module.code for r in ue.sae_rows] == ["SAE3.01", "PORTFOLIO3"]
    assert ue.resources.coefficient.value == Decimal("4")
    assert ue.sae.coefficient.value == Decimal("4")
    assert ue.total.coefficient.value == Decimal("8")
    assert ue.resources.share == Decimal("50.0")
    assert ue.total.hours == Hours(Decimal("1.5"), Decimal("17"), Decimal("14"), Decimal("20"))
    assert ue.total.hours.total == Decimal("32.5")
    assert ue.resources.hours.total == Decimal("27.5")


def test_it_totals_the_semester_per_pole_and_overall(small_programme):
    semester = get_programme_summary(code="test-mpi").semester(3)
    assert semester.ects == Decimal("30")
    assert semester.resources.coefficient.value == Decimal("7")
    assert semester.sae.coefficient.value == Decimal("7")
    assert semester.total.coefficient.value == Decimal("14")
    assert semester.total.hours == Hours(Decimal("3"), Decimal("30"), Decimal("24"), Decimal("30"))


def test_the_matrix_has_a_cell_per_module_and_ue_with_row_totals(small_programme):
    semester = get_programme_summary(code="test-mpi").semester(3)
    matrix = {row.module.code: row for row in semester.matrix}
    assert list(matrix) == ["R3.01", "R3.02", "SAE3.01", "PORTFOLIO3"]
    assert [c.coefficient for c in matrix["R3.01"].cells] == [Decimal("2"), Decimal("3")]
    assert matrix["R3.01"].total.value == Decimal("5")
    assert [c.has_row for c in matrix["R3.02"].cells] == [True, False]
    assert matrix["SAE3.01"].total.value == Decimal("6.5")


def test_repeated_hours_count_each_module_once_in_the_semester(build_programme):
    build_programme({1: {
        "modules": {"R1.01": ("resource", (2, 10, 4, 0)), "SAE1.01": ("sae", (0, 0, 6, 12))},
        "ues": [
            ("UE1.1", "C1", 1, 15, [("R1.01", 5, (2, 10, 4, 0)), ("SAE1.01", 5, (0, 0, 6, 12))]),
            ("UE1.2", "C2", 1, 15, [("R1.01", 4, (2, 10, 4, 0)), ("SAE1.01", 6, (0, 0, 6, 12))]),
        ],
    }}, hours_mode=HoursMode.REPEATED)
    semester = get_programme_summary(code="test-mpi").semester(1)
    assert semester.ues[0].total.hours == Hours(Decimal("2"), Decimal("10"), Decimal("10"), Decimal("12"))
    assert semester.total.hours == Hours(Decimal("2"), Decimal("10"), Decimal("10"), Decimal("12"))
    assert semester.total.coefficient.value == Decimal("20")


def test_split_hours_add_every_row_in_the_semester(build_programme):
    build_programme({1: {
        "modules": {"R1.01": ("resource", (4, 20, 8, 0))},
        "ues": [("UE1.1", "C1", 1, 15, [("R1.01", 5, (2, 10, 4, 0))]),
                ("UE1.2", "C2", 1, 15, [("R1.01", 4, (2, 10, 4, 0))])],
    }})
    semester = get_programme_summary(code="test-mpi").semester(1)
    assert semester.total.hours == Hours(Decimal("4"), Decimal("20"), Decimal("8"), Decimal("0"))


def test_an_unknown_coefficient_makes_the_totals_incomplete_not_zero(build_programme):
    build_programme({1: {
        "modules": {"R1.01": "resource", "R1.02": "resource", "SAE1.01": "sae"},
        "ues": [("UE1.1", "C1", 1, 30, [("R1.01", 3, (0, 1, 0, 0)), ("R1.02", None, (0, 1, 0, 0)),
                                        ("SAE1.01", None, (0, 0, 1, 0))])],
    }})
    ue = get_programme_summary(code="test-mpi").semester(1).ues[0]
    assert ue.resources.coefficient.value is None
    assert ue.resources.coefficient.known == Decimal("3")
    assert ue.resources.coefficient.unknown == 1
    assert ue.sae.coefficient.all_unknown
    assert ue.total.coefficient.complete is False
    assert ue.resources.share is None
    assert ue.unknown_coefficient_modules == ("R1.02", "SAE1.01")


@pytest.mark.parametrize("value, expected", [
    (Decimal("2.00"), 2), (Decimal("1.50"), 1.5), (Decimal("0.25"), 0.25), (Decimal("10"), 10), (None, None),
])
def test_decimals_become_int_when_integral_else_float(value, expected):
    result = as_number(value)
    assert result == expected and type(result) is type(expected)

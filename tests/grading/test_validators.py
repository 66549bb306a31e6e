"""R1: the one grade parser (no database)."""
from decimal import Decimal

import pytest

from grading.grade_text import (
    ERROR_ABOVE_MAX,
    ERROR_NEGATIVE,
    ERROR_NOT_A_GRADE,
    ERROR_TOO_MANY_DECIMALS,
    parse_grade,
)

TWENTY = Decimal("20")


@pytest.mark.parametrize("raw,value,code", [
    ("12,5", Decimal("12.5"), ""),
    ("12.5", Decimal("12.5"), ""),
    ("  8 ", Decimal("8"), ""),
    ("0", Decimal("0"), ""),
    ("20", Decimal("20"), ""),
    ("20,00", Decimal("20"), ""),
    (",5", Decimal("0.5"), ""),
    ("abs", None, "ABS"),
    ("Exc", None, "EXC"),
    ("ATT", None, "ATT"),
    ("aTt", None, "ATT"),
    ("", None, ""),
    (None, None, ""),
    (12.5, Decimal("12.5"), ""),
    (15, Decimal("15"), ""),
])
def test_r1_it_accepts_numbers_with_comma_or_point_codes_in_any_case_and_empty(raw, value, code):
    parsed = parse_grade(raw, max_score=TWENTY)
    assert parsed.ok
    assert parsed.value == value
    assert parsed.code == code


@pytest.mark.parametrize("raw,message", [
    ("25", "25 > 20 (note maximale)"),
    ("20,5", "20,5 > 20 (note maximale)"),
    ("-1", "-1 < 0 (une note ne peut pas être négative)"),
    ("12,555", "12,555 : deux décimales au plus"),
    ("douze", "« douze » n'est pas une note : saisissez un nombre de 0 à 20 (ex. 12,5), ou ABS, EXC, ATT"),
    ("1e1", ERROR_NOT_A_GRADE.format(raw="1e1", max="20")),
    ("12,5,1", ERROR_NOT_A_GRADE.format(raw="12,5,1", max="20")),
    ("NaN", ERROR_NOT_A_GRADE.format(raw="NaN", max="20")),
    ("1 2", ERROR_NOT_A_GRADE.format(raw="1 2", max="20")),
    ("AB", ERROR_NOT_A_GRADE.format(raw="AB", max="20")),
])
def test_r1_it_refuses_anything_else_with_the_figures(raw, message):
    parsed = parse_grade(raw, max_score=TWENTY)
    assert not parsed.ok
    assert parsed.error == message


def test_r1_it_checks_against_the_evaluation_maximum():
    assert parse_grade("11", max_score=Decimal("10")).error == ERROR_ABOVE_MAX.format(value="11", max="10")
    assert parse_grade("9,5", max_score=Decimal("10")).value == Decimal("9.5")


def test_error_constants_read_as_the_grid_shows_them():
    assert ERROR_ABOVE_MAX.format(value="25", max="20") == "25 > 20 (note maximale)"
    assert ERROR_NEGATIVE.format(value="-2") == "-2 < 0 (une note ne peut pas être négative)"
    assert ERROR_TOO_MANY_DECIMALS.format(value="1,234") == "1,234 : deux décimales au plus"


def test_the_display_is_canonical_french():
    assert parse_grade("12.50", max_score=TWENTY).display == "12,5"
    assert parse_grade("abs", max_score=TWENTY).display == "ABS"
    assert parse_grade("-0", max_score=TWENTY).display == "0"

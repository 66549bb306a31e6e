"""What the matrix page accepts in a cell, and the reason it gives for what it refuses (no database)."""
from decimal import Decimal

import pytest

from curriculum.cell_values import (
    ABSENT,
    ECTS,
    UNKNOWN,
    CellError,
    parse_coefficient,
    parse_hours,
    parse_number,
    parse_required,
    show_coefficient,
)


@pytest.mark.parametrize("raw,present,value", [
    ("2,5", True, Decimal("2.5")),
    ("2.5", True, Decimal("2.5")),
    (" 3 ", True, Decimal("3")),
    ("0", True, Decimal("0")),
    (",5", True, Decimal("0.5")),
    ("12,25", True, Decimal("12.25")),
    ("-0", True, Decimal("0")),
    ("", False, None),
    ("?", True, None),
])
def test_it_reads_a_coefficient_with_a_decimal_comma_or_point(raw, present, value):
    cell = parse_coefficient(raw)
    assert (cell.present, cell.value) == (present, value)


@pytest.mark.parametrize("raw,message", [
    ("abc", "« abc » n'est pas un coefficient : saisissez un nombre (ex. 2,5), ? s'il n'est pas connu, ou videz "
            "la case si le module ne compte pas dans cette UE"),
    ("1,2,3", "« 1,2,3 » n'est pas un coefficient"),
    ("-1", "-1 < 0 : un coefficient ne peut pas être négatif"),
    ("2,555", "2,555 : deux décimales au plus"),
    ("1000", "1000 > 999,99 : valeur trop grande pour un coefficient"),
])
def test_it_refuses_a_coefficient_with_its_reason(raw, message):
    with pytest.raises(CellError) as error:
        parse_coefficient(raw)
    assert str(error.value).startswith(message)


def test_empty_hours_are_zero_and_hours_have_one_decimal():
    assert parse_hours("") == 0
    assert parse_hours("10,5") == Decimal("10.5")
    with pytest.raises(CellError, match="^10,25 : une décimale au plus$"):
        parse_hours("10,25")


def test_ects_are_required_where_asked():
    assert parse_number("5", ECTS) == 5
    with pytest.raises(CellError, match="^ECTS de UE3.1 : valeur obligatoire$"):
        parse_required("  ", ECTS, "ECTS de UE3.1")


@pytest.mark.parametrize("cell,text", [(ABSENT, ""), (UNKNOWN, "?"), (parse_coefficient("2.50"), "2,5")])
def test_a_cell_shows_what_reads_back_the_same(cell, text):
    assert show_coefficient(cell.present, cell.value) == text
    assert parse_coefficient(text) == cell

"""Read what a head of department types in a cell of the matrix page: coefficients, hours, ECTS.

One parser per kind of cell, French messages as constants. The page's script (`static/js/matrix.js`) checks
each cell as it is typed with these very patterns, rules and messages, handed over by `script_rules`. Decimal
comma or point; nothing else. No Django import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from butgmp.formats import format_decimal

# ASCII digits only (not `\d`, which takes other scripts' digits): the page's script reads the same pattern.
NUMBER_RE = re.compile(r"^-?([0-9]+([.,][0-9]*)?|[.,][0-9]+)$")
UNKNOWN_MARK = "?"  # a coefficient the source does not give (kept as a row without coefficient)

ERROR_NOT_A_NUMBER = "« {raw} » n'est pas un nombre : saisissez par exemple {example}"
ERROR_NOT_A_COEFFICIENT = ("« {raw} » n'est pas un coefficient : saisissez un nombre (ex. 2,5), ? s'il n'est pas "
                           "connu, ou videz la case si le module ne compte pas dans cette UE")
ERROR_NEGATIVE = "{value} < 0 : {what} ne peut pas être négatif"
ERROR_DECIMALS = "{value} : {places} au plus"
ERROR_TOO_LARGE = "{value} > {maximum} : valeur trop grande pour {what}"
ERROR_REQUIRED = "{what} : valeur obligatoire"

PLACES_TEXT = {1: "une décimale", 2: "deux décimales"}


class CellError(ValueError):
    """A refused cell; the message says why, in French."""


@dataclass(frozen=True)
class NumberRule:
    what: str  # "un coefficient", "un nombre d'heures"…
    places: int
    maximum: Decimal
    example: str


COEFFICIENT = NumberRule("un coefficient", 2, Decimal("999.99"), "2,5")
HOURS = NumberRule("un nombre d'heures", 1, Decimal("99999.9"), "10,5")
ECTS = NumberRule("un nombre d'ECTS", 1, Decimal("999.9"), "5")
RCUE_COEFFICIENT = NumberRule("un coefficient de RCUE", 2, Decimal("999.99"), "1")


def parse_number(raw: str, rule: NumberRule) -> Decimal:
    """Return the number typed (decimal comma or point) or raise CellError saying why it is refused."""
    text = raw.replace("\u00a0", " ").strip()
    if not NUMBER_RE.match(text):
        raise CellError(ERROR_NOT_A_NUMBER.format(raw=text, example=rule.example))
    value = Decimal(text.replace(",", "."))
    shown = format_decimal(value)
    if value < 0:
        raise CellError(ERROR_NEGATIVE.format(value=shown, what=rule.what))
    if value > rule.maximum:
        raise CellError(ERROR_TOO_LARGE.format(value=shown, maximum=format_decimal(rule.maximum), what=rule.what))
    if value != value.quantize(Decimal(1).scaleb(-rule.places)):
        raise CellError(ERROR_DECIMALS.format(value=shown, places=PLACES_TEXT[rule.places]))
    return value + 0  # drop a "-0" sign


def parse_required(raw: str, rule: NumberRule, label: str) -> Decimal:
    if not raw.strip():
        raise CellError(ERROR_REQUIRED.format(what=label))
    return parse_number(raw, rule)


def parse_hours(raw: str) -> Decimal:
    """Return hours; an empty cell is 0 h."""
    return parse_number(raw, HOURS) if raw.strip() else Decimal("0")


@dataclass(frozen=True)
class CoefficientCell:
    """A coefficient cell: empty (the module does not feed the UE), unknown (?) or a number."""

    present: bool
    value: Decimal | None = None


ABSENT = CoefficientCell(present=False)
UNKNOWN = CoefficientCell(present=True)


def parse_coefficient(raw: str) -> CoefficientCell:
    text = raw.replace("\u00a0", " ").strip()
    if not text:
        return ABSENT
    if text == UNKNOWN_MARK:
        return UNKNOWN
    if not NUMBER_RE.match(text):
        raise CellError(ERROR_NOT_A_COEFFICIENT.format(raw=text))
    return CoefficientCell(present=True, value=parse_number(text, COEFFICIENT))


def show_coefficient(present: bool, value: Decimal | None) -> str:
    """Return a coefficient as the page shows it in its cell (the inverse of parse_coefficient)."""
    if not present:
        return ""
    return UNKNOWN_MARK if value is None else format_decimal(value)


def show_number(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def script_rules() -> dict:
    """Return the pattern, rules and messages of the cells for the page's script (as JSON, through json_script)."""
    return {
        "pattern": NUMBER_RE.pattern,
        "unknown": UNKNOWN_MARK,
        "rules": {kind: {"what": rule.what, "places": rule.places, "max": str(rule.maximum), "example": rule.example}
                  for kind, rule in (("coef", COEFFICIENT), ("hours", HOURS), ("ects", ECTS),
                                     ("rcue", RCUE_COEFFICIENT))},
        "messages": {"not_a_number": ERROR_NOT_A_NUMBER, "not_a_coefficient": ERROR_NOT_A_COEFFICIENT,
                     "negative": ERROR_NEGATIVE, "decimals": ERROR_DECIMALS, "too_large": ERROR_TOO_LARGE,
                     "required": ERROR_REQUIRED, "places": {str(n): text for n, text in PLACES_TEXT.items()}},
    }

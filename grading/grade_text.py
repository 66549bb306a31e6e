"""A grade as people type and read it: R1's one parser of grade input (the grid, the imports, the
admin, the command) and the way a grade or its code is shown.

No Django import: plain values in, plain values out, French messages as constants tests assert on.
"""
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from butgmp.formats import format_decimal
from grading.engine.codes import GradeCode

ERROR_ABOVE_MAX = "{value} > {max} (note maximale)"

ERROR_NEGATIVE = "{value} < 0 (une note ne peut pas être négative)"

ERROR_TOO_MANY_DECIMALS = "{value} : deux décimales au plus"

ERROR_NOT_A_GRADE = "« {raw} » n'est pas une note : saisissez un nombre de 0 à {max} (ex. 12,5), ou ABS, EXC, ATT"

CENT = Decimal("0.01")

# ASCII digits with one optional decimal separator (comma or point), optionally negative (to say why it is
# refused). Not `\d`: it would take Arabic-Indic `١٢` or full-width `１２,５`, which no page shows as a grade.
NUMBER_RE = re.compile(r"^-?([0-9]+([.,][0-9]*)?|[.,][0-9]+)$")


@dataclass(frozen=True)
class ParsedGrade:
    """A parsed grade: a value, a code, neither (not entered), or an error message."""

    value: Decimal | None = None
    code: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def display(self) -> str:
        """Return the canonical text of the grade, as the audit rows and the grid show it."""
        if self.code:
            return self.code
        if self.value is None:
            return ""
        return format_decimal(self.value)


def parse_grade(raw, *, max_score: Decimal) -> ParsedGrade:
    """Parse what a user typed (or a spreadsheet cell held) into a grade on `max_score` (R1).

    Accept `12,5`, `12.5`, numbers, `ABS`/`EXC`/`ATT` in any case, and nothing (not entered).
    """
    if raw is None:
        return ParsedGrade()
    if isinstance(raw, bool):  # a spreadsheet TRUE/FALSE is no grade
        return ParsedGrade(error=ERROR_NOT_A_GRADE.format(raw=raw, max=format_decimal(max_score)))
    if isinstance(raw, int | float | Decimal):
        text = f"{Decimal(str(raw)):f}"
    else:
        text = str(raw).replace("\u00a0", " ").strip()
    if not text:
        return ParsedGrade()
    upper = text.upper()
    if upper in GradeCode.__members__:
        return ParsedGrade(code=GradeCode(upper).value)
    value = None
    if NUMBER_RE.match(text):
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
            value = None
    if value is None:
        return ParsedGrade(error=ERROR_NOT_A_GRADE.format(raw=text, max=format_decimal(max_score)))
    shown = format_decimal(value)
    if value < 0:
        return ParsedGrade(error=ERROR_NEGATIVE.format(value=shown))
    if value > max_score:
        return ParsedGrade(error=ERROR_ABOVE_MAX.format(value=shown, max=format_decimal(max_score)))
    if value != value.quantize(CENT):
        return ParsedGrade(error=ERROR_TOO_MANY_DECIMALS.format(value=shown))
    return ParsedGrade(value=value.quantize(CENT) + 0)  # + 0 turns -0 into 0


def grade_display(*, value: Decimal | None, code: str) -> str:
    """Return the canonical text of a stored grade (the inverse of parse_grade)."""
    return ParsedGrade(value=value, code=code or "").display


"""Numbers as the application writes them: the French way for people, plain numbers for JSON. No Django import."""
import re
from decimal import Decimal


def format_decimal(value: Decimal) -> str:
    """Return a decimal the French way, without trailing zeros: 12,5 ; 20 ; 0."""
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def as_number(value: Decimal | None) -> int | float | None:
    """Return a Decimal as an int when integral, else as the float of its decimal string; None stays None."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(str(value.normalize()))


_NUMBER = re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w.])")


def french_number(text: str | None) -> str | None:
    """Return a number written with a point ("12.38", as the engine writes it) with a decimal comma; None stays."""
    return text.replace(".", ",") if text is not None else None


def french_numbers_in(text: str) -> str:
    """Write every decimal number of a sentence with a comma ("moyenne 13.67" -> "moyenne 13,67"), leaving codes
    alone: a number right after a letter or a point is part of one ("R3.03", "UE3.1", "1.2.3")."""
    return _NUMBER.sub(r"\1,\2", text)

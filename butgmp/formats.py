"""Numbers as the application writes them: the French way for people, plain numbers for JSON. No Django import."""
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

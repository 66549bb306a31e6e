"""R6: averages are kept at full precision and shown rounded half-up to two decimals."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def shown(value: Decimal) -> Decimal:
    """Return the value as the jury reads it: rounded half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str | None:
    """Return the two-decimal string of a value (None stays None)."""
    return None if value is None else f"{shown(value):.2f}"


def at_least(value: Decimal, threshold: Decimal) -> bool:
    """Test a threshold on the shown value (9.995 passes 10)."""
    return shown(value) >= threshold

"""R6: averages are exact; the jury reads them rounded half-up to the cent, and thresholds test what it reads.

Every average the engine produces is a `fractions.Fraction` (exact: no float, no 28-digit `Decimal` division).
Inputs given as `Decimal` (grades, coefficients, bonuses, external validations) become exact through `exact`.
This module is the one rounding helper: `shown` gives the two-decimal `Decimal` the jury reads, `fmt` its
string, `at_least` tests a threshold (10, 8) on it. They accept a `Fraction`, a `Decimal` or an `int`.
"""
from decimal import Decimal
from fractions import Fraction


def exact(value: Decimal | Fraction | int | None) -> Fraction | None:
    """Return the exact rational value of a number (None stays None)."""
    return None if value is None else Fraction(value)


def cents(value: Decimal | Fraction | int) -> int:
    """Return the exact value rounded half-up (half away from zero) to a whole number of cents."""
    numerator, denominator = value.as_integer_ratio()  # exact for int, Fraction and Decimal
    if numerator >= 0:
        return (200 * numerator + denominator) // (2 * denominator)  # floor(100·x + 1/2)
    return -((-200 * numerator + denominator) // (2 * denominator))


def shown(value: Decimal | Fraction | int) -> Decimal:
    """Return the value as the jury reads it: rounded half-up to the cent (9.995 -> 10.00)."""
    return Decimal(cents(value)).scaleb(-2)


def fmt(value: Decimal | Fraction | int | None, point: str = ".") -> str | None:
    """Return the two-decimal string of a value, « 12.50 » (None stays None); `point=","` gives « 12,50 »."""
    if value is None:
        return None
    c = cents(value)
    whole, rest = divmod(abs(c), 100)
    return f"{'-' if c < 0 else ''}{whole}{point}{rest:02d}"


_THRESHOLDS: dict = {}  # threshold -> in cents (there are two: 10 and 8)


def at_least(value: Decimal | Fraction | int, threshold: Decimal | int) -> bool:
    """Test a threshold on the shown value (9.995 passes 10)."""
    limit = _THRESHOLDS.get(threshold)
    if limit is None:
        limit = _THRESHOLDS[threshold] = cents(threshold)
    numerator, denominator = value.as_integer_ratio()
    if numerator >= 0:  # cents(value), inlined: every UE and RCUE code tests a threshold
        return (200 * numerator + denominator) // (2 * denominator) >= limit
    return cents(value) >= limit

"""Totals of a programme's hours and coefficients, on plain values (no query).

Hours: CM, TD, TP and project hours; their total is *hors projet* (CM + TD + TP), as the sheets total them.

Coefficients: a null coefficient means no source gives it. Totals add the known ones and count the
unknown ones, so that a page can say a total is incomplete instead of pretending the unknown ones are 0.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from butgmp.formats import as_number

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Hours:
    cm: Decimal = ZERO
    td: Decimal = ZERO
    tp: Decimal = ZERO
    project: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """Return the hours *hors projet* (CM + TD + TP), as the sheets total them."""
        return self.cm + self.td + self.tp

    def __add__(self, other: Hours) -> Hours:
        return Hours(self.cm + other.cm, self.td + other.td, self.tp + other.tp, self.project + other.project)

    def as_dict(self) -> dict[str, int | float]:
        return {"cm": as_number(self.cm), "td": as_number(self.td), "tp": as_number(self.tp),
                "project": as_number(self.project)}


def sum_hours(items: Iterable[Hours]) -> Hours:
    total = Hours()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class CoefTotal:
    """A sum of coefficients: the known ones added, the unknown ones counted."""

    known: Decimal = ZERO
    unknown: int = 0
    count: int = 0

    @property
    def complete(self) -> bool:
        return self.unknown == 0

    @property
    def value(self) -> Decimal | None:
        """Return the total, or None when a coefficient is unknown."""
        return self.known if self.complete else None

    @property
    def all_unknown(self) -> bool:
        return self.count > 0 and self.unknown == self.count

    def __add__(self, other: CoefTotal) -> CoefTotal:
        return CoefTotal(self.known + other.known, self.unknown + other.unknown, self.count + other.count)


def sum_coefficients(values: Iterable[Decimal | None]) -> CoefTotal:
    known, unknown, count = ZERO, 0, 0
    for value in values:
        count += 1
        if value is None:
            unknown += 1
        else:
            known += value
    return CoefTotal(known, unknown, count)


def add_totals(totals: Iterable[CoefTotal]) -> CoefTotal:
    result = CoefTotal()
    for total in totals:
        result = result + total
    return result


def share_percent(part: CoefTotal, whole: CoefTotal) -> Decimal | None:
    """Return part / whole in per cent, rounded half-up to 1 decimal; None when unknown or whole is 0."""
    if not (part.complete and whole.complete) or whole.known == 0:
        return None
    return (part.known * HUNDRED / whole.known).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

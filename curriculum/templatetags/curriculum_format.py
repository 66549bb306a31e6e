"""Show the curriculum's numbers the French way (decimal comma, no trailing zeros, "—" when unknown)."""
from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()

UNKNOWN = "—"


@register.filter
def num(value) -> str:
    """Format a number with Django's localisation: 1.50 → "1,5", 2.00 → "2"; None → "—"."""
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True)


@register.filter
def coef_total(total) -> str:
    """Format a CoefTotal: its value; "≥ known" when some coefficients are unknown; "—" when all are."""
    if total.complete:
        return num(total.known)
    if total.all_unknown:
        return UNKNOWN
    return f"≥ {num(total.known)}"

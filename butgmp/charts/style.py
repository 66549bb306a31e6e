"""The charts' look, once: the application's colours (static/css/app.css) and the French number format."""
from decimal import Decimal

FG = "#1d2733"
MUTED = "#5b6775"
LINE = "#d5dbe1"
ACCENT = "#1f5fa8"
BAD = "#b3261e"
OK = "#1e7b34"
WARN = "#8a5a00"
BG = "#f6f8fa"
# The three bands of averages (below 8, 8 to 10, 10 and more): a colour and a hatch each, so that they read in grey.
BAND_COLOURS = (BAD, "#d9a441", OK)
BAND_HATCHES = ("///", "---", "")


def number(value: Decimal | float | int | None, decimals: int = 0) -> str:
    """Return a number the French way: decimal comma, thin no-break space between thousands."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")

"""The chart drawn by a plotting library: the bands of averages of several UEs or RCUEs, as stacked bars.

matplotlib's SVG backend (Agg-free, no display): text kept as text (`svg.fonttype: none`, so it can be read,
searched and translated), ids made from a fixed salt (`svg.hashsalt`: the same figures give the same markup, which
tests and caches rely on), no date in the metadata. Each band has a colour and a hatch (readable in grey) and its
count written in it on a plain box, where it fits (the table beside the chart gives every figure). The markup is
cached by the digest of the figures: a new results version that changes them is a new entry, one that does not
costs nothing.
"""
import hashlib
import io
import re
import threading
from collections.abc import Sequence
from html import escape

from django.core.cache import cache

from butgmp.charts.style import BAND_COLOURS, BAND_HATCHES, FG, LINE, MUTED, number

CACHE_TIMEOUT = 24 * 3600
WIDTH = 6.4  # inches, at 72 points each
AXES_WIDTH = 0.8  # share of the figure's width
DIGIT_WIDTH = 5.1  # points: a bold digit at 8 points (DejaVu Sans)
_LOCK = threading.Lock()  # pyplot's state is global: one figure at a time per process
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "butgmp",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "text.color": FG,
    "axes.edgecolor": LINE,
    "axes.labelcolor": FG,
    "xtick.color": MUTED,
    "ytick.color": FG,
    "hatch.color": "#ffffff",
    "hatch.linewidth": 1.0,
}


def bands_svg(rows: Sequence[tuple[str, Sequence[int]]], *, title: str, labels: Sequence[str]) -> str:
    """Return the SVG markup of one horizontal stacked bar per (name, counts of each band), from the cache when
    the same figures were drawn before."""
    key = "charts:bands:" + hashlib.sha256(repr((list(map(lambda r: (r[0], tuple(r[1])), rows)), title,
                                                  tuple(labels))).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _draw_bands(rows, title=title, labels=labels)
        cache.set(key, svg, CACHE_TIMEOUT)
    return svg


def _draw_bands(rows, *, title, labels) -> str:
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib.figure import Figure

    with _LOCK, matplotlib.rc_context(RC):
        body = 0.32 * max(1, len(rows))  # inches: a bar per row, room for the axis below and the legend above
        total = body + 0.3 + 0.4
        figure = Figure(figsize=(WIDTH, total), dpi=72)
        axes = figure.add_axes((0.16, 0.3 / total, AXES_WIDTH, body / total))
        names = [name for name, _ in rows]
        positions = range(len(rows))
        lefts = [0] * len(rows)
        segments = []  # (bar, count, band): their counts are written once the axis' scale is known
        for band, label in enumerate(labels):
            counts = [counts[band] for _, counts in rows]
            bars = axes.barh(list(positions), counts, left=lefts, height=0.7, color=BAND_COLOURS[band],
                             hatch=BAND_HATCHES[band], edgecolor="#ffffff", linewidth=0.6, label=label)
            segments += [(bar, count, band) for bar, count in zip(bars, counts, strict=True) if count]
            lefts = [a + b for a, b in zip(lefts, counts, strict=True)]
        low, high = axes.get_xlim()
        points_per_student = AXES_WIDTH * WIDTH * 72 / (high - low)
        for bar, count, band in segments:
            text = number(count)
            if count * points_per_student < DIGIT_WIDTH * len(text) + 3:
                continue  # a student or two among seventy: too narrow to write in (the table beside gives it)
            axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, text, ha="center",
                      va="center", fontsize=8, fontweight="bold", color="#ffffff" if band != 1 else FG,
                      bbox={"boxstyle": "square,pad=0.1", "linewidth": 0, "facecolor": BAND_COLOURS[band]})
        axes.set_yticks(list(positions), names)
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(lambda value, _: number(value))
        axes.tick_params(axis="both", length=0)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(labels), frameon=False, fontsize=8)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _accessible(buffer.getvalue(), title)


def _accessible(svg: str, title: str) -> str:
    """Keep the <svg> element only (no XML prologue, no DOCTYPE), drop matplotlib's <style> (a CSP would refuse it;
    the presentation attributes suffice), and give it a role, a label and a <title>."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    label = escape(title, quote=True)
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', svg, count=1)
    head = svg.index(">") + 1
    return f"{svg[:head]}<title>{escape(title)}</title>{svg[head:]}"

"""Layouts of the charts that templates draw (`templates/charts/`): plain numbers in, plain dataclasses out.

Coordinates are in SVG user units, rounded to one decimal so that the markup stays short and stable.
"""
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from butgmp.charts.style import number


def _r(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int
    marked: bool  # the reader's own bar (a student's grade): drawn with a pattern and named in the title
    text_x: float
    text_y: float
    labelled: bool = True  # its label written under it (narrow bars: every other one)


@dataclass(frozen=True)
class Histogram:
    key: str  # unique in a page: the id of its pattern
    title: str
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]


def histogram(bins: Sequence[tuple[str, int]], *, title: str, marked: int | None = None, width: int = 320,
              height: int = 130, key: str = "histogram", labelled: bool = True) -> Histogram:
    """Lay out vertical bars, one per (label, count); `marked` is the index of the reader's own bar. Unlabelled
    (a sparkline in a table cell, its figures beside it), the bars take the whole height."""
    left, right, top, bottom = (4, 4, 14, 18) if labelled else (1, 1, 2, 2)
    slot = (width - left - right) / max(1, len(bins))
    tallest = max((count for _, count in bins), default=0) or 1
    room = height - top - bottom
    bars = []
    for i, (label, count) in enumerate(bins):
        h = room * count / tallest
        x = left + i * slot + 1
        bars.append(Bar(x=_r(x), y=_r(top + room - h), width=_r(slot - 2), height=_r(h), label=label, count=count,
                        marked=i == marked, text_x=_r(x + (slot - 2) / 2), text_y=_r(top + room - h - 3),
                        labelled=slot >= 30 or (i % 2 == 0 and (marked is None or abs(i - marked) != 1))))
    return Histogram(key=key, title=title, width=width, height=height, baseline=top + room, bars=tuple(bars))


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    count: int
    width: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class HorizontalBars:
    title: str
    width: int
    height: int
    bar_x: float
    bar_height: float
    rows: tuple[Row, ...]


def horizontal_bars(items: Sequence[tuple[str, int]], *, title: str, width: int = 360,
                    label_width: int = 64) -> HorizontalBars:
    """Lay out one horizontal bar per (label, count), the count written after it (decision counts)."""
    step, bar_height = 20, 14
    room = width - label_width - 40
    largest = max((count for _, count in items), default=0) or 1
    rows = []
    for i, (label, count) in enumerate(items):
        w = room * count / largest
        y = 4 + i * step
        rows.append(Row(y=y, label=label, count=count, width=_r(w), text_x=_r(label_width + w + 4),
                        text_y=_r(y + bar_height - 3)))
    return HorizontalBars(title=title, width=width, height=8 + len(items) * step, bar_x=label_width,
                          bar_height=bar_height, rows=tuple(rows))


@dataclass(frozen=True)
class FlowNode:
    key: str
    label: str
    kind: str  # a class of the drawing: "year", "repeat", "elsewhere", "left", "graduated", "awaited"
    count: int


@dataclass(frozen=True)
class PlacedNode:
    node: FlowNode
    x: float
    y: float
    height: float
    text: str
    text_x: float
    text_y: float
    anchor: str


@dataclass(frozen=True)
class PlacedFlow:
    source: str
    target: str
    count: int
    kind: str  # a class of the drawing: "on", "repeat", "elsewhere", "left", "graduated", "awaited"
    path: str
    title: str


@dataclass(frozen=True)
class Sankey:
    title: str
    width: int
    height: int
    headers: tuple[tuple[float, str], ...]
    nodes: tuple[PlacedNode, ...]
    flows: tuple[PlacedFlow, ...]
    node_width: int


def sankey(columns: Sequence[tuple[str, Sequence[FlowNode]]], flows: Sequence[tuple[str, str, int, str]], *,
           title: str, width: int = 760, height: int = 320) -> Sankey:
    """Lay out a flow diagram: columns of nodes (a header and its nodes, top to bottom), and (source key, target
    key, count, kind) flows between nodes of successive columns, each as wide as its count."""
    node_width, gap, top, bottom, side = 14, 14, 26, 6, 110
    room = height - top - bottom
    scale = min((room - gap * (len(nodes) - 1)) / max(1, sum(n.count for n in nodes)) for _, nodes in columns)
    step = (width - 2 * side - node_width) / max(1, len(columns) - 1)
    placed: dict[str, PlacedNode] = {}
    headers = []
    for c, (header, nodes) in enumerate(columns):
        x = side + c * step
        headers.append((_r(x + node_width / 2), header))
        y = top
        last = c == len(columns) - 1
        for node in nodes:
            h = max(1.0, node.count * scale)
            placed[node.key] = PlacedNode(
                node=node, x=_r(x), y=_r(y), height=_r(h), text=f"{node.label} : {number(node.count)}",
                text_x=_r(x - 4 if not last and c == 0 else x + node_width + 4), text_y=_r(y + min(h, 24) / 2 + 4),
                anchor="end" if c == 0 and not last else "start")
            y += h + gap
    out_offset: dict[str, float] = defaultdict(float)
    in_offset: dict[str, float] = defaultdict(float)
    drawn = []
    for source, target, count, kind in sorted(flows, key=lambda f: (placed[f[0]].y, placed[f[1]].y)):
        a, b = placed[source], placed[target]
        h = count * scale
        y0, y1 = a.y + out_offset[source], b.y + in_offset[target]
        out_offset[source] += h
        in_offset[target] += h
        x0, x1 = a.x + node_width, b.x
        xm = (x0 + x1) / 2
        path = (f"M{_r(x0)},{_r(y0)} C{_r(xm)},{_r(y0)} {_r(xm)},{_r(y1)} {_r(x1)},{_r(y1)} "
                f"L{_r(x1)},{_r(y1 + h)} C{_r(xm)},{_r(y1 + h)} {_r(xm)},{_r(y0 + h)} {_r(x0)},{_r(y0 + h)} Z")
        drawn.append(PlacedFlow(source=source, target=target, count=count, kind=kind, path=path,
                                title=f"{a.node.label} → {b.node.label} : {number(count)}"))
    return Sankey(title=title, width=width, height=height, headers=tuple(headers), nodes=tuple(placed.values()),
                  flows=tuple(drawn), node_width=node_width)

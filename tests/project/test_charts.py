"""Charts are valid SVG with a text alternative, show the figures they are given, and need no script or style."""
import re
import uuid

import defusedxml.ElementTree as ET
from django.template.loader import render_to_string

from butgmp.charts.geometry import FlowNode, histogram, horizontal_bars, sankey
from butgmp.charts.plots import _draw_bands, bands_svg
from butgmp.charts.style import number

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup):
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    coordinates_are_numbers(root)
    assert "<script" not in markup and "<style" not in markup and "http://" not in markup.replace(
        'xmlns="http://www.w3.org/2000/svg"', "").replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "").split(
        "<metadata>")[0]
    return root


def coordinates_are_numbers(root):
    """Coordinates stay plain numbers whatever the language (a French template would write « 12,5 »)."""
    for element in root.iter():
        for name in ("x", "y", "width", "height"):
            if element.get(name) is not None and not element.get(name).endswith("pt"):
                float(element.get(name))
        if element.tag == f"{SVG}path":
            assert not re.search(r"\d,\d+,", element.get("d"))


def texts(root):
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def test_a_histogram_shows_each_count_and_marks_the_readers_bar():
    bins = [("0–2", 1), ("2–4", 0), ("4–6", 3), ("6–8", 7)]
    chart = histogram(bins, title="Répartition des notes", marked=2)
    root = parsed(render_to_string("charts/histogram.svg", {"chart": chart}))
    assert root.find(f"{SVG}title").text == "Répartition des notes"
    assert [t for t in texts(root) if t.isdigit()] == ["1", "3", "7"]
    assert "▲ vous" in texts(root)
    heights = [bar.height for bar in chart.bars]
    assert heights[3] == max(heights) and heights[1] == 0 and heights[2] == round(heights[3] * 3 / 7, 1)
    marked = [g for g in root.iter(f"{SVG}g") if "mine" in g.get("class", "")]
    assert len(marked) == 1 and marked[0].find(f"{SVG}rect/{SVG}title").text == "4–6 : 3 (votre note)"


def test_bars_write_each_label_and_count():
    chart = horizontal_bars([("ADM", 20), ("PASD", 5), ("RED", 2)], title="Décisions")
    root = parsed(render_to_string("charts/bars.svg", {"chart": chart}))
    assert texts(root) == ["ADM", "20", "PASD", "5", "RED", "2"]
    assert chart.rows[0].width == 360 - 64 - 40 and chart.rows[1].width == round(256 * 5 / 20, 1)


def test_a_sankey_draws_every_node_and_flow_with_its_count():
    columns = [("2023-2024", [FlowNode("a", "BUT1", "year", 10)]),
               ("2024-2025", [FlowNode("b", "BUT2", "year", 7), FlowNode("c", "Partis", "left", 3)])]
    chart = sankey(columns, [("a", "b", 7, "on"), ("a", "c", 3, "left")], title="Flux")
    root = parsed(render_to_string("charts/sankey.svg", {"chart": chart}))
    assert texts(root) == ["2023-2024", "2024-2025", "BUT1 : 10", "BUT2 : 7", "Partis : 3"]
    flows = [p for p in root.iter(f"{SVG}path")]
    assert [p.find(f"{SVG}title").text for p in flows] == ["BUT1 → BUT2 : 7", "BUT1 → Partis : 3"]
    assert "left" in flows[1].get("class") and flows[1].get("stroke-dasharray")  # readable without colour


def written_counts(markup):
    """Return the counts the bands chart writes in its bars, each with the fill of the box under it."""
    return re.findall(r'<path d="[^"]*" style="fill: (#[0-9a-f]{6})"/>\s*</g>\s*'
                      r'<text style="font-weight: 700[^"]*"[^>]*>([^<]+)</text>', markup)


def test_the_bands_chart_keeps_its_text_and_is_the_same_markup_every_time():
    rows = [("UE1.1", (300, 500, 1234)), ("RCUE C1", (20, 640, 1392))]
    first = _draw_bands(rows, title="Moyennes par bande", labels=("moins de 8", "8 à 10", "10 et plus"))
    root = parsed(first)
    shown = texts(root)
    for figure in ("UE1.1", "RCUE C1", "300", "500", "640", "1\u202f234", "1\u202f392", "moins de 8", "10 et plus"):
        assert figure in shown
    assert first == _draw_bands(rows, title="Moyennes par bande", labels=("moins de 8", "8 à 10", "10 et plus"))
    assert not re.search(r"<text[^>]*>\s*</text>", first)
    assert len(first) < 40_000


def test_each_count_sits_on_a_plain_box_of_its_band_and_a_sliver_too_narrow_for_it_is_left_unwritten():
    # seventy students: a band of one or two is a sliver of a few points, its count in the table beside the chart
    rows = [("UE3.1", (2, 10, 58)), ("UE3.2", (1, 15, 54)), ("UE3.3", (30, 25, 15))]
    markup = _draw_bands(rows, title="t", labels=("moins de 8", "de 8 à moins de 10", "10 et plus"))
    assert written_counts(markup) == [("#b3261e", "2"), ("#b3261e", "30"),  # band by band, row by row
                                      ("#d9a441", "10"), ("#d9a441", "15"), ("#d9a441", "25"),
                                      ("#1e7b34", "58"), ("#1e7b34", "54"), ("#1e7b34", "15")]
    assert ("#b3261e", "1") not in written_counts(markup)  # one student among seventy: not written over the hatch
    # readable without colour: the two lower bands are hatched (two patterns), the third plain
    assert markup.count("<pattern") == 2 and len(set(re.findall(r"fill: url\(#(\w+)\)", markup))) == 2


def test_the_bands_chart_is_cached_by_its_figures(monkeypatch):
    calls = []
    real = _draw_bands

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("butgmp.charts.plots._draw_bands", counting)
    rows, title = [("UE9.9", (1, 2, 3))], f"t {uuid.uuid4()}"  # a title no earlier run has cached
    a = bands_svg(rows, title=title, labels=("a", "b", "c"))
    b = bands_svg(rows, title=title, labels=("a", "b", "c"))
    c = bands_svg([("UE9.9", (1, 2, 4))], title=title, labels=("a", "b", "c"))
    assert a == b != c and len(calls) == 2


def test_numbers_are_written_the_french_way():
    assert (number(1234), number(12.5, 1), number(None)) == ("1\u202f234", "12,5", "—")


def test_a_sparkline_takes_the_whole_height():
    chart = histogram([("0–2", 1), ("2–4", 4)], title="t", width=120, height=34, labelled=False)
    assert chart.bars[1].height == 30 and chart.bars[1].y == 2 and chart.baseline == 32

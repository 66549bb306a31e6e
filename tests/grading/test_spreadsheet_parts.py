"""Hostile spreadsheets: shared strings and styles past their limits are refused by those limits, at once, before
openpyxl parses anything; an ordinary workbook passes."""
import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from grading import spreadsheet_reading
from grading.spreadsheet_parts import (
    MAX_SHARED_STRINGS,
    MAX_STYLE_ENTRIES,
    STYLES_TOO_BIG,
    TOO_MANY_STRINGS,
    TOO_MANY_STYLES,
    TOO_MUCH_TEXT,
    PartRefused,
    parts_check,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["INE", "Nom", "Note"])
    ws.append(["12345678901", "Martin", 12.5])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """Return the workbook with one part replaced (or added), deflated like a spreadsheet program would."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item.filename, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def shared_strings(count: int, text: str = "a") -> bytes:
    items = b"".join(b"<si><t>%s%d</t></si>" % (text.encode(), i) for i in range(count))
    return (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
            % (MAIN.encode(), count, count, items))


def styles(xfs: int, *, compact: bool = False) -> bytes:
    cells = (b"<xf/>" if compact else b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>') * xfs
    return (b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="%s"><cellXfs count="%d">%s</cellXfs>'
            b'</styleSheet>' % (MAIN.encode(), xfs, cells))


def refusal(data: bytes) -> str | None:
    try:
        parts_check(zipfile.ZipFile(io.BytesIO(data)))
    except PartRefused as refused:
        return str(refused)
    return None


def test_an_ordinary_workbook_passes_the_part_limits():
    assert refusal(workbook_bytes()) is None
    assert refusal(with_part(workbook_bytes(), "xl/sharedStrings.xml", shared_strings(MAX_SHARED_STRINGS))) is None


def test_one_shared_string_past_the_limit_is_refused_by_the_count():
    data = with_part(workbook_bytes(), "xl/sharedStrings.xml", shared_strings(MAX_SHARED_STRINGS + 1))
    assert refusal(data) == TOO_MANY_STRINGS.format(limit="100\u00a0000")


def test_long_shared_strings_are_refused_by_their_total_size():
    data = with_part(workbook_bytes(), "xl/sharedStrings.xml", shared_strings(1000, text="x" * 10_000))
    assert refusal(data) == TOO_MUCH_TEXT.format(limit=8)


def test_five_hundred_thousand_styles_are_refused_by_the_size_of_styles_xml_at_once():
    data = with_part(workbook_bytes(), "xl/styles.xml", styles(500_000))
    assert len(data) < 200_000  # a small file (deflated), as in the review
    started = time.perf_counter()
    assert refusal(data) == STYLES_TOO_BIG.format(limit=2)
    assert time.perf_counter() - started < 0.1  # the declared size alone refuses it


def test_styles_small_in_bytes_but_too_many_are_refused_by_the_count_in_a_fraction_of_a_second():
    data = with_part(workbook_bytes(), "xl/styles.xml", styles(300_000, compact=True))
    started = time.perf_counter()
    assert refusal(data) == TOO_MANY_STYLES.format(limit="5\u00a0000")
    assert time.perf_counter() - started < 1
    assert refusal(with_part(workbook_bytes(), "xl/styles.xml", styles(MAX_STYLE_ENTRIES - 10))) is None


class Upload(io.BytesIO):
    name = "notes.xlsx"


@pytest.mark.parametrize("part,content,message", [
    ("xl/sharedStrings.xml", shared_strings(1_650_000 // 10), TOO_MANY_STRINGS.format(limit="100\u00a0000")),
    ("xl/styles.xml", styles(500_000), STYLES_TOO_BIG.format(limit=2)),
    ("xl/styles.xml", styles(300_000, compact=True), TOO_MANY_STYLES.format(limit="5\u00a0000")),
])
def test_an_upload_is_refused_by_the_part_limits_before_openpyxl_opens_it(monkeypatch, part, content, message):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl parsed the file")

    monkeypatch.setattr(spreadsheet_reading, "load_workbook", never)
    table = spreadsheet_reading.read_table(Upload(with_part(workbook_bytes(), part, content)), allow_csv=False)
    assert table.error == message

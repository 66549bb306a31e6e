"""Evaluate the few formulas our workbooks hold (SUM, and IF(COUNT(…)=0,"—",SUM(…))), to test their values.

openpyxl reads a formula as its text; these tests check both the text and what a spreadsheet program shows.
"""
import re

from openpyxl.utils import range_boundaries

SUM_RE = re.compile(r"SUM\(([A-Z0-9:,]+)\)")
IF_COUNT_RE = re.compile(r'IF\(COUNT\(([A-Z0-9:,]+)\)=0,"([^"]*)",SUM\(([A-Z0-9:,]+)\)\)')


def _cells(sheet, refs: str):
    for part in refs.split(","):
        if ":" in part:
            min_col, min_row, max_col, max_row = range_boundaries(part)
            for row in sheet.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
                yield from row
        else:
            yield sheet[part]


def _numbers(sheet, refs: str) -> list:
    values = (evaluate(sheet, cell.value) for cell in _cells(sheet, refs))
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def _tidy(number):
    number = round(number, 6)
    return int(number) if number == int(number) else number


def evaluate(sheet, value):
    """Return what a spreadsheet program shows for a cell value (formulas computed, other values as they are)."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    text = value[1:]
    if match := SUM_RE.fullmatch(text):
        return _tidy(sum(_numbers(sheet, match[1])))
    if match := IF_COUNT_RE.fullmatch(text):
        return match[2] if not _numbers(sheet, match[1]) else _tidy(sum(_numbers(sheet, match[3])))
    raise ValueError(f"formula not understood by the test helper: {value}")


def evaluated_rows(sheet) -> list[tuple]:
    """Return every row of a sheet with its formulas computed."""
    return [tuple(evaluate(sheet, cell.value) for cell in row) for row in sheet.iter_rows()]

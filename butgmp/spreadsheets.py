"""Safe spreadsheet output and download headers, shared by every app that writes a workbook.

OWASP "CSV injection": a cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be
read as a formula by a spreadsheet program. Every workbook this application writes goes through `put` (or
`safe_value`), which stores such text as a plain string cell; only `put_formula` writes a formula, on purpose.
`formula_cells` lists the formulas of a saved workbook, for tests.
"""
import unicodedata
from urllib.parse import quote

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Tell whether a value is text a spreadsheet program could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write a value into a cell, never as a formula: formula-like text is stored as a string cell."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"  # a shared string: shown as typed, never evaluated
    return cell


def put_formula(ws: Worksheet, row: int, column: int, formula: str) -> Cell:
    """Write a formula we compose ourselves (totals): the only way a formula enters a workbook we produce."""
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell = ws.cell(row=row, column=column)
    cell.value = formula
    return cell


def attachment(filename: str) -> str:
    """Return a Content-Disposition header value for a download (RFC 6266), with an ASCII fallback.

    Browsers that understand `filename*` get the UTF-8 name ("Contrôle 1.xlsx"); the others get an ASCII
    transliteration with unsafe characters replaced.
    """
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isalnum() or c in "-_.() " else "_" for c in ascii_name).strip() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def formula_cells(data: bytes) -> list[str]:
    """Return 'Sheet!A1' for every formula cell of a saved workbook (tests assert it holds only ours)."""
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data))
    return [f"{ws.title}!{cell.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for cell in row
            if cell.data_type == "f"]

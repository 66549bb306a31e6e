"""The tables the pages show, as .xlsx: a semester's results, a teacher's « Moyennes de mes modules », the
enrolment list. Each export has the page's rows in the page's order (its filters and sort) and nothing more: the
view that writes it checks the same access as the page (a teacher: only their modules).

Averages are numbers (two decimals), codes and names text; every cell goes through `butgmp.spreadsheets.put`, so a
name such as "=1+1" stays text.
"""
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from butgmp.spreadsheets import put
from grading.engine.codes import EnrolmentStatus

HEADER_ROW = 3
STUDENT_HEADERS = ["Étudiant", "INE", "Groupes", "Statut"]
ENROLMENT_HEADERS = ["INE", "NIP", "Nom", "Prénom", "Courriel", "Parcours", "Groupes", "Statut", "Redoublement"]
UNSAFE_IN_FILENAMES = '/\\:*?"<>|'


def export_filename(kind: str, semester_instance) -> str:
    """Return a download's name, accents kept (sent with `butgmp.spreadsheets.attachment`)."""
    name = "".join("_" if c in UNSAFE_IN_FILENAMES or not c.isprintable() else c for c in f"{kind}_{semester_instance}")
    return f"{name[:100].strip()}.xlsx"


def results_lines(records: list[dict], *, keys: list[str], with_codes: bool) -> list[list]:
    """Return the lines of a results table from its row dicts (`grading.tables.results_row`): the student, then each
    average as a number (and its code when `with_codes`)."""
    lines = []
    for record in records:
        line = [record["name"], record["ine"], record["groups"], record["left"]]
        for key in keys:
            line.append(record[f"{key}_sort"])
            if with_codes:
                line.append(record[key][1])
        lines.append(line)
    return lines


def enrolment_lines(enrolments) -> list[list]:
    labels = EnrolmentStatus.labels()
    return [[e.student.ine, e.student.nip or None, e.student.last_name, e.student.first_name, e.student.email,
             e.parcours.code if e.parcours else None, ", ".join(g.name for g in e.groups.all()),
             labels.get(e.status, e.status), "oui" if e.is_repeat else "non"] for e in enrolments]


def table_workbook(*, title: str, subtitle: str, headers: list[str], lines: list[list], sheet: str) -> bytes:
    """Return one table as .xlsx: a title line, a subtitle, the header row (frozen), one row per line."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    put(ws, 1, 1, title).font = Font(bold=True, size=13)
    put(ws, 2, 1, subtitle)
    for col, header in enumerate(headers, start=1):
        cell = put(ws, HEADER_ROW, col, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(32, len(header) + 2))
    for row, line in enumerate(lines, start=HEADER_ROW + 1):
        for col, value in enumerate(line, start=1):
            cell = put(ws, row, col, value)
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
    ws.column_dimensions["A"].width = 28
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

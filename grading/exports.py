"""Spreadsheets the grading app produces (openpyxl). Every cell goes through `butgmp.spreadsheets.put`.

The grade sheet carries, in its hidden « meta » sheet, what it was made from: the evaluation, and each
student's grade and its version at the time of the download, so that an import can tell a grade changed
since (a conflict) from a grade the user typed.
"""
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from butgmp.spreadsheets import put
from grading.grade_text import format_decimal
from grading.models import Evaluation
from grading.selectors.grade_entry import GridRow

META_SHEET = "meta"
META_EVALUATION = "evaluation"
META_SEMESTER = "semestre"
META_TITLE = "titre"
META_EXPORTED_AT = "exporte_le"
META_VERSIONS = ("INE", "version", "note")  # header of the table of grades at export, under the keys
GRADES_SHEET = "Notes"
HEADERS = ["INE", "Nom", "Prénom", "Groupe", "Note"]
HEADER_ROW = 4
GRADE_COLUMN = 5
INSTRUCTIONS = ("Saisissez dans la colonne « Note » une note de 0 à {max} (virgule ou point), ou ABS (absence "
                "injustifiée), EXC (excusé), ATT (en attente). Une case vide = pas de note. Ne modifiez pas les INE "
                "et ne supprimez pas la feuille cachée « meta » qui identifie l'évaluation.")
UNSAFE_IN_FILENAMES = '/\\:*?"<>|'


def evaluation_filename(evaluation: Evaluation) -> str:
    """Return the download's name, accents kept (sent with `butgmp.spreadsheets.attachment`)."""
    name = f"notes_{evaluation.module.code}_{evaluation.title}"
    name = "".join("_" if c in UNSAFE_IN_FILENAMES or not c.isprintable() else c for c in name)
    return f"{name[:100].strip()}.xlsx"


def evaluation_workbook(*, evaluation: Evaluation, rows: list[GridRow]) -> bytes:
    """Return a pre-filled .xlsx of one evaluation: students, groups, current grades, instructions, metadata."""
    wb = Workbook()
    ws = wb.active
    ws.title = GRADES_SHEET
    put(ws, 1, 1, f"{evaluation.module.code} – {evaluation.module.title} : {evaluation.title}").font = Font(
        bold=True, size=13)
    put(ws, 2, 1, f"{evaluation.semester_instance} · note sur {format_decimal(evaluation.max_score)} · "
                  f"coefficient {format_decimal(evaluation.coefficient)}"
                  + (f" · {evaluation.date:%d/%m/%Y}" if evaluation.date else ""))
    put(ws, 3, 1, INSTRUCTIONS.format(max=format_decimal(evaluation.max_score))).alignment = Alignment(
        wrap_text=True, vertical="top")
    ws.merge_cells("A3:E3")
    ws.row_dimensions[3].height = 60
    for col, header in enumerate(HEADERS, start=1):
        cell = put(ws, HEADER_ROW, col, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        student = row.enrolment.student
        put(ws, i, 1, student.ine)
        put(ws, i, 2, student.last_name)
        put(ws, i, 3, student.first_name)
        put(ws, i, 4, ", ".join(g.name for g in row.enrolment.groups.all()))
        display = row.cell.display
        if display and display[0].isdigit():
            put(ws, i, GRADE_COLUMN, float(display.replace(",", "."))).number_format = "0.00"
        else:
            put(ws, i, GRADE_COLUMN, display or None)
    last = HEADER_ROW + max(len(rows), 1)
    hint = DataValidation(type="custom", allow_blank=True, showErrorMessage=False, showInputMessage=True,
                          promptTitle="Note", prompt=f"0 à {format_decimal(evaluation.max_score)}, ABS, EXC ou ATT")
    hint.add(f"E{HEADER_ROW + 1}:E{last}")
    ws.add_data_validation(hint)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    for letter, width in zip("ABCDE", (16, 24, 20, 14, 10), strict=True):
        ws.column_dimensions[letter].width = width
    _meta_sheet(wb, evaluation=evaluation, rows=rows)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _meta_sheet(wb: Workbook, *, evaluation: Evaluation, rows: list[GridRow]) -> None:
    """Write the hidden sheet: the evaluation, then each student's grade and version at export."""
    meta = wb.create_sheet(META_SHEET)
    keys = [(META_EVALUATION, evaluation.pk), (META_SEMESTER, evaluation.semester_instance_id),
            (META_TITLE, str(evaluation)), (META_EXPORTED_AT, timezone.now().isoformat(timespec="seconds"))]
    for r, (key, value) in enumerate(keys, start=1):
        put(meta, r, 1, key)
        put(meta, r, 2, value)
    start = len(keys) + 2
    for c, header in enumerate(META_VERSIONS, start=1):
        put(meta, start, c, header)
    for r, row in enumerate(rows, start=start + 1):
        put(meta, r, 1, row.enrolment.student.ine)
        put(meta, r, 2, row.cell.version)
        put(meta, r, 3, row.cell.display or None)
    meta.sheet_state = "hidden"


# ---------------------------------------------------------------- student lists

STUDENT_LIST_HEADERS = ["INE", "NIP", "Nom", "Prénom", "Courriel", "Parcours", "Groupe"]


def student_list_filename(semester_instance) -> str:
    name = f"etudiants_{semester_instance}"
    name = "".join("_" if c in UNSAFE_IN_FILENAMES or not c.isprintable() else c for c in name)
    return f"{name[:100].strip()}.xlsx"


def student_list_workbook(*, enrolments) -> bytes:
    """Return a semester's student list as .xlsx, in the columns the list import reads back (round trip)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Étudiants"
    for col, header in enumerate(STUDENT_LIST_HEADERS, start=1):
        put(ws, 1, col, header).font = Font(bold=True)
    for row, enrolment in enumerate(enrolments, start=2):
        student = enrolment.student
        values = [student.ine, student.nip, student.last_name, student.first_name, student.email,
                  enrolment.parcours.code if enrolment.parcours else "",
                  ", ".join(g.name for g in enrolment.groups.all())]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value)
    for col, width in zip("ABCDEFG", (14, 14, 22, 18, 32, 10, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()

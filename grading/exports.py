"""Spreadsheets the grading app produces (openpyxl)."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from grading.models import Evaluation
from grading.selectors import GridRow
from grading.validators import format_decimal

META_SHEET = "meta"
META_EVALUATION = "evaluation"
META_SEMESTER = "semestre"
GRADES_SHEET = "Notes"
HEADERS = ["INE", "Nom", "Prénom", "Groupe", "Note"]
HEADER_ROW = 4
GRADE_COLUMN = 5
INSTRUCTIONS = ("Saisissez dans la colonne « Note » une note de 0 à {max} (virgule ou point), ou ABS (absence "
                "injustifiée), EXC (excusé), ATT (en attente). Une case vide = pas de note. Ne modifiez pas les INE "
                "et ne supprimez pas la feuille cachée « meta » qui identifie l'évaluation.")


def evaluation_filename(evaluation: Evaluation) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{evaluation.module.code}_{evaluation.title}")
    return f"notes_{evaluation.pk}_{safe[:60]}.xlsx"


def evaluation_workbook(*, evaluation: Evaluation, rows: list[GridRow]) -> bytes:
    """Return a pre-filled .xlsx of one evaluation: students, groups, current grades, instructions, metadata."""
    wb = Workbook()
    ws = wb.active
    ws.title = GRADES_SHEET
    ws["A1"] = f"{evaluation.module.code} – {evaluation.module.title} : {evaluation.title}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = (f"{evaluation.semester_instance} · note sur {format_decimal(evaluation.max_score)} · "
                f"coefficient {format_decimal(evaluation.coefficient)}"
                + (f" · {evaluation.date:%d/%m/%Y}" if evaluation.date else ""))
    ws["A3"] = INSTRUCTIONS.format(max=format_decimal(evaluation.max_score))
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A3:E3")
    ws.row_dimensions[3].height = 60
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        student = row.enrolment.student
        ws.cell(row=i, column=1, value=student.ine)
        ws.cell(row=i, column=2, value=student.last_name)
        ws.cell(row=i, column=3, value=student.first_name)
        ws.cell(row=i, column=4, value=", ".join(g.name for g in row.enrolment.groups.all()))
        grade = ws.cell(row=i, column=GRADE_COLUMN)
        display = row.cell.display
        if display and display[0].isdigit():
            grade.value = float(display.replace(",", "."))
            grade.number_format = "0.00"
        else:
            grade.value = display or None
    last = HEADER_ROW + max(len(rows), 1)
    hint = DataValidation(type="custom", allow_blank=True, showErrorMessage=False, showInputMessage=True,
                          promptTitle="Note", prompt=f"0 à {format_decimal(evaluation.max_score)}, ABS, EXC ou ATT")
    hint.add(f"E{HEADER_ROW + 1}:E{last}")
    ws.add_data_validation(hint)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    for letter, width in zip("ABCDE", (16, 24, 20, 14, 10), strict=True):
        ws.column_dimensions[letter].width = width
    meta = wb.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = META_EVALUATION, evaluation.pk
    meta["A2"], meta["B2"] = META_SEMESTER, evaluation.semester_instance_id
    meta["A3"], meta["B3"] = "titre", str(evaluation)
    meta.sheet_state = "hidden"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

"""The next year's preview as .xlsx: every student with their targets, or « sans inscription prévue » and why.
Every cell goes through `butgmp.spreadsheets.put` (a name such as "=1+1" stays text)."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from butgmp.spreadsheets import put
from jury.next_year import REPEAT, WITHOUT_TARGET, NextYearPlan
from jury.scope import Scope

HEADERS = ["Nom", "Prénom", "INE", "Parcours", "Décision", "Suite", "À inscrire dans", "Déjà inscrit(e) dans",
           "Inscription prévue", "Motif"]
HEADER_ROW = 3


def plan_filename(scope: Scope) -> str:
    semesters = "-".join(f"S{n}" for n in scope.numbers)
    return f"annee-suivante-{scope.programme.code}-{semesters}-{scope.academic_year}.xlsx"


def plan_lines(plan: NextYearPlan) -> list[list]:
    """Return one line per student, in the columns of HEADERS."""
    lines = []
    for line in plan.lines:
        student = line.enrolment.student
        suffix = " (redoublement)" if line.action == REPEAT else ""
        lines.append([student.last_name, student.first_name, student.ine,
                      line.enrolment.parcours.code if line.enrolment.parcours else "", line.decision or "",
                      line.action_label, ", ".join(f"{i}{suffix}" for i in line.to_enrol),
                      ", ".join(str(i) for i in line.already), WITHOUT_TARGET if line.without_target else "oui",
                      line.reason])
    return lines


def plan_workbook(*, plan: NextYearPlan, scope: Scope) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Année suivante"
    put(ws, 1, 1, f"Inscriptions de l'année {plan.next_start}-{plan.next_start + 1} – jury {scope.title}").font = \
        Font(bold=True, size=13)
    for col, header in enumerate(HEADERS, start=1):
        cell = put(ws, HEADER_ROW, col, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for row, values in enumerate(plan_lines(plan), start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    for letter, width in zip("ABCDEFGHIJ", (22, 18, 14, 10, 10, 16, 40, 40, 22, 50), strict=True):
        ws.column_dimensions[letter].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

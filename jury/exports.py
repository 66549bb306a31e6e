"""The jury report as JSON (the `jury_report` command) and as .xlsx (the PV's table), from one `Report`.

Every cell of the workbook goes through `butgmp.spreadsheets.put`: a name such as "=1+1" stays text.
"""
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from butgmp.formats import as_number
from butgmp.spreadsheets import put
from grading.models import JurySession
from jury.report import Report

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
BOLD = Font(bold=True)


def report_json(report: Report) -> dict:
    """Return the report in the shape of `jury_report --format json` (averages as two-decimal strings)."""
    return {
        "semester_instances": report.scope.ids,
        "students": [{
            "ine": row.student.ine,
            "nip": row.student.nip or None,
            "last_name": row.student.last_name,
            "first_name": row.student.first_name,
            "parcours": row.parcours,
            "status": str(row.status),
            "ues": {code: {"average": cell.average, "code": _code(cell.code), "ects": as_number(cell.ects)}
                    for code, cell in row.ues.items()},
            "rcues": {key: {"average": cell.average, "code": _code(cell.code)} for key, cell in row.rcues.items()},
            "ects": {"year": as_number(row.ects_year), "total": as_number(row.ects_total)},
            "proposal": _code(row.proposal),
            "decision": _code(row.recorded),
        } for row in report.rows],
        "counts": {str(code): count for code, count in report.proposal_counts},
        "incomplete_evaluations": [{"id": item.evaluation.pk, "module": item.evaluation.module.code,
                                    "title": item.evaluation.title, "missing": item.count}
                                   for item in report.incomplete],
    }


def _code(code) -> str | None:
    return None if code is None else str(code)


def pv_headers(report: Report) -> list[str]:
    headers = ["Nom", "Prénom", "INE", "NIP", "Parcours", "Statut"]
    for column in report.ue_columns:
        headers += [f"{column.code} moyenne", f"{column.code} code"]
    for column in report.rcue_columns:
        headers += [f"RCUE {column.key} {column.competence} moyenne", f"RCUE {column.key} code"]
    headers += ["ECTS année", "ECTS total"]
    if report.scope.decides_year:
        headers += ["Décision"]
    return headers


def pv_line(report: Report, row) -> list:
    """Return one student's line of the PV: official codes only (the decision recorded, else the proposal)."""
    line = [row.student.last_name, row.student.first_name, row.student.ine, row.student.nip or None, row.parcours,
            row.status_label]
    for cell in row.ue_list + row.rcue_list:
        line += [None, None] if cell is None else [
            None if cell.average is None else Decimal(cell.average), _code(cell.code)]
    line += [as_number(row.ects_year), as_number(row.ects_total)]
    if report.scope.decides_year:
        line.append(_code(row.recorded))
    return line


def pv_workbook(*, report: Report, session: JurySession | None) -> bytes:
    """Return the PV's table as .xlsx: header lines, one line per student, totals per decision."""
    wb = Workbook()
    ws = wb.active
    ws.title = "PV"
    programme = report.scope.programme
    put(ws, 1, 1, f"{programme.iut} – département {programme.speciality.code} – {programme.title}").font = \
        Font(bold=True, size=13)
    put(ws, 2, 1, f"Jury de {report.scope.period} – {report.scope.academic_year}")
    if session is not None:
        put(ws, 3, 1, f"Jury du {session.date:%d/%m/%Y}, présidé par {session.president}"
                      + (f" ; membres : {', '.join(_members(session))}" if session.members else ""))
    header_row = 5
    for col, header in enumerate(pv_headers(report), start=1):
        cell = put(ws, header_row, col, header)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number = header_row
    for row in report.rows:
        row_number += 1
        for col, value in enumerate(pv_line(report, row), start=1):
            cell = put(ws, row_number, col, value)
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
    row_number += 2
    put(ws, row_number, 1, "Totaux par décision").font = BOLD
    for code, count in decision_totals(report):
        row_number += 1
        put(ws, row_number, 1, code)
        put(ws, row_number, 2, count)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    for letter, width in (("A", 22), ("B", 18), ("C", 14), ("D", 10), ("E", 12)):
        ws.column_dimensions[letter].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def decision_totals(report: Report) -> list[tuple[str, int]]:
    """Return the PV's totals: the recorded decisions of a year jury, the UE codes of an odd-semester jury."""
    if report.scope.decides_year:
        totals: dict[str, int] = {}
        for row in report.rows:
            key = str(row.recorded) if row.recorded else "sans décision"
            totals[key] = totals.get(key, 0) + 1
        return sorted(totals.items())
    return [(str(code), count) for code, count in report.proposal_counts]


def _members(session: JurySession) -> list[str]:
    return [line.strip() for line in session.members.splitlines() if line.strip()]

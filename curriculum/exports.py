"""Spreadsheet export of a programme's semesters, laid out like the IUT sheets (one sheet per semester).

Each semester gets its table sheet and its matrix sheet, and, when the source gives coefficients per teaching
domain (Le Creusot's alternance fiche), a domain sheet. A module code the source does not print (deduced from the
national numbering) is noted in the Remarques column and the domain sheet's "Code déduit" column.

Totals are spreadsheet formulas over the cells they add (`butgmp.spreadsheets.put_formula`), so that a head of
department who edits a coefficient or an hour sees every total follow; every other cell goes through
`butgmp.spreadsheets.put` (never read as a formula). One total stays a plain number because it is not a sum of
cells: a semester's hours when the source repeats a module's hours under each UE (each module counted once).
Internal notes of the sources are never exported.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from butgmp.formats import as_number
from butgmp.spreadsheets import put, put_formula
from curriculum.models import HoursMode
from curriculum.selectors import ModuleRow, PoleTotal, ProgrammeSummary, SemesterSummary
from curriculum.totals import CoefTotal, Hours

HEADERS = ("Code", "Intitulé", "CM", "TD", "TP", "Projet", "Total hors projet", "Type éval.", "Coeff.", "ECTS",
           "Remarques")
WIDTHS = (14, 52, 8, 8, 8, 8, 10, 10, 9, 8, 48)
HOURS_COLUMNS = (3, 4, 5, 6)  # C–F: CM, TD, TP, Projet
TOTAL_HOURS_COLUMN = 7  # G: CM + TD + TP
COEF_COLUMN = 9  # I
ECTS_COLUMN = 10  # J
DOMAIN_TITLE = "Coefficients par domaine d'enseignement (source : fiche alternance)"
DOMAIN_HEADERS = ("Domaine d'enseignement", "Code", "Intitulé", "CM", "TD", "TP", "Projet", "Total hors projet",
                  "Coeff. du domaine", "Code déduit")
DOMAIN_WIDTHS = (52, 14, 44, 8, 8, 8, 8, 10, 10, 11)
DOMAIN_COEF_COLUMN = 9  # I
CODE_DERIVED_NOTE = "Code déduit de la numérotation nationale, absent de la source"
UNKNOWN = "—"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
UE_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Formula:
    """A formula we compose (a total), written with `put_formula`; everything else is written with `put`."""

    text: str


def _letter(column: int) -> str:
    return get_column_letter(column)


def sum_of(column: int, rows: Sequence[int]) -> Formula | int:
    """Return the sum of a column over these rows (contiguous rows as one range); 0 when there are none."""
    if not rows:
        return 0
    letter = _letter(column)
    if list(rows) == list(range(rows[0], rows[-1] + 1)):
        return Formula(f"=SUM({letter}{rows[0]}:{letter}{rows[-1]})")
    return Formula(f"=SUM({','.join(f'{letter}{r}' for r in rows)})")


def coef_sum(column: int, rows: Sequence[int], total: CoefTotal) -> Formula | int:
    """Return a coefficient total: the sum of the known ones, or « — » while the source gives none of them."""
    formula = sum_of(column, rows)
    if total.all_unknown and isinstance(formula, Formula):
        inner = formula.text[1:]
        return Formula(f'=IF(COUNT({inner[4:-1]})=0,"{UNKNOWN}",{inner})')
    return formula


def _row_total(row: int) -> Formula:
    """Return the "Total hors projet" of a row: CM + TD + TP."""
    return Formula(f"=SUM(C{row}:E{row})")


class _Sheet:
    """Append rows to a worksheet through `put`/`put_formula`, and remember their numbers."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.last_row = 0

    @property
    def next_row(self) -> int:
        return self.last_row + 1

    def append(self, values: Sequence, *, font: Font | None = None, fill: PatternFill | None = None) -> int:
        """Write one row (an empty list leaves a blank row) and return its number."""
        self.last_row += 1
        for column, value in enumerate(values, start=1):
            if isinstance(value, Formula):
                cell = put_formula(self.sheet, self.last_row, column, value.text)
            else:
                cell = put(self.sheet, self.last_row, column, value)
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
        return self.last_row


def _hours_cells(hours: Hours) -> list:
    return [as_number(hours.cm), as_number(hours.td), as_number(hours.tp), as_number(hours.project)]


def _coef_remark(total: CoefTotal) -> str:
    if total.complete:
        return ""
    return f"Total incomplet : {total.unknown} coefficient(s) non donné(s) par la source"


def _module_line(out: _Sheet, row: ModuleRow) -> int:
    line = out.next_row
    coefficient = UNKNOWN if row.coefficient is None else as_number(row.coefficient)
    return out.append([row.module.code, row.module.title, *_hours_cells(row.hours), _row_total(line),
                       row.module.evaluation_type, coefficient, None,
                       CODE_DERIVED_NOTE if row.module.code_derived else ""])


def _total_line(out: _Sheet, label: str, rows: Sequence[int], pole: PoleTotal, *, ects=None,
                fill: PatternFill | None = None) -> int:
    """Append a total row summing the given rows' hours and coefficients."""
    line = out.next_row
    hours = [sum_of(column, rows) for column in HOURS_COLUMNS]
    return out.append([None, label, *hours, _row_total(line), None, coef_sum(COEF_COLUMN, rows, pole.coefficient),
                       ects, _coef_remark(pole.coefficient)], font=BOLD, fill=fill)


def write_semester_sheet(sheet: Worksheet, programme: ProgrammeSummary, semester: SemesterSummary) -> None:
    """Fill a sheet with one semester: per UE its resources, SAÉ and totals, then the semester total."""
    sheet.title = semester.label
    out = _Sheet(sheet)
    out.append([f"{programme.title} – {programme.iut} – {programme.parcours_code} – "
                f"{programme.modality_label} {programme.academic_year}"], font=TITLE)
    out.append([f"Semestre {semester.number} – heures : {programme.hours_mode_label.lower()}"])
    out.append([])
    header_row = out.append(list(HEADERS), font=BOLD, fill=TOTAL_FILL)
    ue_totals = []
    for ue in semester.ues:
        out.append([ue.code, f"{ue.competence_short_name} ({ue.competence_code}) – niveau {ue.level} – "
                             f"{ue.level_label}"], font=BOLD, fill=UE_FILL)
        resource_rows = [_module_line(out, row) for row in ue.resource_rows]
        resources = _total_line(out, "Total des ressources", resource_rows, ue.resources)
        sae_rows = [_module_line(out, row) for row in ue.sae_rows]
        sae = _total_line(out, "Total des SAÉ", sae_rows, ue.sae)
        # The UE total adds its two pole totals (each already the sum of its rows).
        ue_totals.append(_total_line(out, f"Total {ue.code}", [resources, sae], ue.total, ects=as_number(ue.ects),
                                     fill=TOTAL_FILL))
    out.append([])
    line = out.next_row
    if semester.hours_mode == HoursMode.REPEATED:  # each module's own hours, counted once: not a sum of cells
        hours = _hours_cells(semester.total.hours)
    else:
        hours = [sum_of(column, ue_totals) for column in HOURS_COLUMNS]
    out.append([None, f"Total S{semester.number}", *hours, _row_total(line), None,
                coef_sum(COEF_COLUMN, ue_totals, semester.total.coefficient), sum_of(ECTS_COLUMN, ue_totals),
                _coef_remark(semester.total.coefficient)], font=BOLD, fill=TOTAL_FILL)
    if semester.hours_mode == HoursMode.REPEATED:
        out.append(["", "Heures du semestre : celles de chaque module, comptées une fois (la source les répète "
                        "sous chaque compétence)."])
    if semester.has_domain_coefficients:
        out.append(["", f"{DOMAIN_TITLE} : feuille « {domain_sheet_title(semester)} »."])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    for row in sheet.iter_rows(min_row=header_row):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)


def write_matrix_sheet(sheet: Worksheet, semester: SemesterSummary) -> None:
    """Fill a sheet with the coefficient matrix: modules × UEs, with row and column totals."""
    sheet.title = f"{semester.label} matrice"
    out = _Sheet(sheet)
    out.append(["Module", "Intitulé", *(ue.code for ue in semester.ues), "Total"], font=BOLD, fill=TOTAL_FILL)
    first_ue, last_ue = 3, 2 + len(semester.ues)
    total_column = last_ue + 1
    rows = []
    for matrix_row in semester.matrix:
        line = out.next_row
        cells = [(UNKNOWN if c.coefficient is None else as_number(c.coefficient)) if c.has_row else None
                 for c in matrix_row.cells]
        total = (Formula(f"=SUM({_letter(first_ue)}{line}:{_letter(last_ue)}{line})") if semester.ues else 0)
        if matrix_row.total.all_unknown and semester.ues:
            span = f"{_letter(first_ue)}{line}:{_letter(last_ue)}{line}"
            total = Formula(f'=IF(COUNT({span})=0,"{UNKNOWN}",SUM({span}))')
        rows.append(out.append([matrix_row.module.code, matrix_row.module.title, *cells, total]))
    out.append(["Total", "", *(coef_sum(first_ue + i, rows, ue.total.coefficient) for i, ue in enumerate(semester.ues)),
                coef_sum(total_column, rows, semester.total.coefficient)], font=BOLD, fill=TOTAL_FILL)
    ects_line = out.next_row
    out.append(["ECTS", "", *(as_number(ue.ects) for ue in semester.ues),
                Formula(f"=SUM({_letter(first_ue)}{ects_line}:{_letter(last_ue)}{ects_line})") if semester.ues
                else 0], font=BOLD)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 52
    for index in range(3, len(semester.ues) + 4):
        sheet.column_dimensions[_letter(index)].width = 9


def domain_sheet_title(semester: SemesterSummary) -> str:
    return f"{semester.label} domaines"


def _number_or_unknown(value):
    return UNKNOWN if value is None else as_number(value)


def write_domain_sheet(sheet: Worksheet, programme: ProgrammeSummary, semester: SemesterSummary) -> None:
    """Fill a sheet with the semester's coefficients per teaching domain (one per module), and their total."""
    sheet.title = domain_sheet_title(semester)
    out = _Sheet(sheet)
    out.append([f"{DOMAIN_TITLE} – S{semester.number}"], font=TITLE)
    out.append([f"{programme.title} – {programme.iut} – coefficient de chaque domaine pour tout le semestre "
                f"(la source n'en donne pas par UE) ; total : somme des coefficients donnés"])
    out.append([])
    header_row = out.append(list(DOMAIN_HEADERS), font=BOLD, fill=TOTAL_FILL)
    rows = []
    for module in semester.domain_modules:
        line = out.next_row
        rows.append(out.append([module.domain or UNKNOWN, module.code, module.title, *_hours_cells(module.hours),
                                Formula(f"=SUM(D{line}:F{line})"), _number_or_unknown(module.domain_coefficient),
                                "oui" if module.code_derived else "non"]))
    line = out.next_row
    out.append([f"Total S{semester.number}", None, None, *(sum_of(column, rows) for column in (4, 5, 6, 7)),
                Formula(f"=SUM(D{line}:F{line})"), sum_of(DOMAIN_COEF_COLUMN, rows), None],
               font=BOLD, fill=TOTAL_FILL)
    if any(m.code_derived for m in semester.domain_modules):
        out.append([])
        out.append([f"Code déduit « oui » : {CODE_DERIVED_NOTE.lower()}."])
    for index, width in enumerate(DOMAIN_WIDTHS, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def programme_workbook(programme: ProgrammeSummary, semesters: Iterable[SemesterSummary]) -> Workbook:
    """Return a workbook with, for each semester, its table sheet, its matrix sheet and its domain sheet if any."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for semester in semesters:
        write_semester_sheet(workbook.create_sheet(), programme, semester)
        write_matrix_sheet(workbook.create_sheet(), semester)
        if semester.has_domain_coefficients:
            write_domain_sheet(workbook.create_sheet(), programme, semester)
    return workbook


def programme_workbook_bytes(programme: ProgrammeSummary, semesters: Iterable[SemesterSummary]) -> bytes:
    buffer = BytesIO()
    programme_workbook(programme, semesters).save(buffer)
    return buffer.getvalue()

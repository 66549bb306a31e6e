"""Spreadsheet export of a programme's semesters, laid out like the IUT sheets (one sheet per semester).

Each semester gets its table sheet and its matrix sheet, and, when the source gives coefficients per teaching
domain (Le Creusot's alternance fiche), a domain sheet. A module code the source does not print (deduced from the
national numbering) is noted in the Remarques column and the domain sheet's "Code déduit" column.
"""
from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from butgmp.formats import as_number
from curriculum.selectors import (
    CoefTotal,
    Hours,
    ModuleInfo,
    ModuleRow,
    PoleTotal,
    ProgrammeSummary,
    SemesterSummary,
)

HEADERS = ("Code", "Intitulé", "CM", "TD", "TP", "Projet", "Total hors projet", "Type éval.", "Coeff.", "ECTS",
           "Remarques")
WIDTHS = (14, 52, 8, 8, 8, 8, 10, 10, 9, 8, 48)
DOMAIN_TITLE = "Coefficients par domaine d'enseignement (source : fiche alternance)"
DOMAIN_HEADERS = ("Domaine d'enseignement", "Code", "Intitulé", "CM", "TD", "TP", "Projet", "Total hors projet",
                  "Coeff. du domaine", "Code déduit")
DOMAIN_WIDTHS = (52, 14, 44, 8, 8, 8, 8, 10, 10, 11)
CODE_DERIVED_NOTE = "Code déduit de la numérotation nationale, absent de la source"
UNKNOWN = "—"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
UE_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _hours_cells(hours: Hours) -> list:
    return [as_number(hours.cm), as_number(hours.td), as_number(hours.tp), as_number(hours.project),
            as_number(hours.total)]


def _coef_cell(total: CoefTotal):
    """Return the total as a number; unknown coefficients are reported in the Remarques column."""
    if total.all_unknown:
        return UNKNOWN
    return as_number(total.known)


def _coef_remark(total: CoefTotal) -> str:
    if total.complete:
        return ""
    return f"Total incomplet : {total.unknown} coefficient(s) non donné(s) par la source"


def _module_line(row: ModuleRow) -> list:
    coefficient = UNKNOWN if row.coefficient is None else as_number(row.coefficient)
    return [row.module.code, row.module.title, *_hours_cells(row.hours), row.module.evaluation_type,
            coefficient, None, CODE_DERIVED_NOTE if row.module.code_derived else ""]


def _total_line(label: str, pole: PoleTotal, ects=None) -> list:
    return [None, label, *_hours_cells(pole.hours), None, _coef_cell(pole.coefficient), ects,
            _coef_remark(pole.coefficient)]


def _append(sheet: Worksheet, values: list, *, font: Font | None = None, fill: PatternFill | None = None) -> None:
    sheet.append(values)
    if font or fill:
        for cell in sheet[sheet.max_row]:
            if font:
                cell.font = font
            if fill:
                cell.fill = fill


def write_semester_sheet(sheet: Worksheet, programme: ProgrammeSummary, semester: SemesterSummary) -> None:
    """Fill a sheet with one semester: per UE its resources, SAÉ and totals, then the semester total."""
    sheet.title = semester.label
    _append(sheet, [f"{programme.title} – {programme.iut} – {programme.parcours_code} – "
                    f"{programme.modality_label} {programme.academic_year}"], font=TITLE)
    _append(sheet, [f"Semestre {semester.number} – heures : {programme.hours_mode_label.lower()}"])
    _append(sheet, [])
    _append(sheet, list(HEADERS), font=BOLD, fill=TOTAL_FILL)
    header_row = sheet.max_row
    for ue in semester.ues:
        _append(sheet, [ue.code, f"{ue.competence_short_name} ({ue.competence_code}) – niveau {ue.level} – "
                                 f"{ue.level_label}", None, None, None, None, None, None, None, None, ue.notes],
                font=BOLD, fill=UE_FILL)
        for row in ue.resource_rows:
            _append(sheet, _module_line(row))
        _append(sheet, _total_line("Total des ressources", ue.resources), font=BOLD)
        for row in ue.sae_rows:
            _append(sheet, _module_line(row))
        _append(sheet, _total_line("Total des SAÉ", ue.sae), font=BOLD)
        _append(sheet, _total_line(f"Total {ue.code}", ue.total, as_number(ue.ects)), font=BOLD, fill=TOTAL_FILL)
    _append(sheet, [])
    _append(sheet, _total_line(f"Total S{semester.number}", semester.total, as_number(semester.ects)),
            font=BOLD, fill=TOTAL_FILL)
    if semester.notes:
        _append(sheet, ["", semester.notes])
    if semester.has_domain_coefficients:
        _append(sheet, ["", f"{DOMAIN_TITLE} : feuille « {domain_sheet_title(semester)} » "
                            f"(total {_number_or_unknown(semester.domain_coefficient_total)})."])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=header_row):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)


def write_matrix_sheet(sheet: Worksheet, semester: SemesterSummary) -> None:
    """Fill a sheet with the coefficient matrix: modules × UEs, with row and column totals."""
    sheet.title = f"{semester.label} matrice"
    _append(sheet, ["Module", "Intitulé", *(ue.code for ue in semester.ues), "Total"], font=BOLD, fill=TOTAL_FILL)
    for matrix_row in semester.matrix:
        cells = [(UNKNOWN if c.coefficient is None else as_number(c.coefficient)) if c.has_row else None
                 for c in matrix_row.cells]
        _append(sheet, [matrix_row.module.code, matrix_row.module.title, *cells, _coef_cell(matrix_row.total)])
    _append(sheet, ["Total", "", *(_coef_cell(ue.total.coefficient) for ue in semester.ues),
                    _coef_cell(semester.total.coefficient)], font=BOLD, fill=TOTAL_FILL)
    _append(sheet, ["ECTS", "", *(as_number(ue.ects) for ue in semester.ues), as_number(semester.ects)], font=BOLD)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 52
    for index in range(3, len(semester.ues) + 4):
        sheet.column_dimensions[get_column_letter(index)].width = 9


def domain_sheet_title(semester: SemesterSummary) -> str:
    return f"{semester.label} domaines"


def _number_or_unknown(value):
    return UNKNOWN if value is None else as_number(value)


def _domain_line(module: ModuleInfo) -> list:
    return [module.domain or UNKNOWN, module.code, module.title, *_hours_cells(module.hours),
            _number_or_unknown(module.domain_coefficient), "oui" if module.code_derived else "non"]


def write_domain_sheet(sheet: Worksheet, programme: ProgrammeSummary, semester: SemesterSummary) -> None:
    """Fill a sheet with the semester's coefficients per teaching domain (one per module), and their total."""
    sheet.title = domain_sheet_title(semester)
    _append(sheet, [f"{DOMAIN_TITLE} – S{semester.number}"], font=TITLE)
    _append(sheet, [f"{programme.title} – {programme.iut} – coefficient de chaque domaine pour tout le semestre "
                    f"(la source n'en donne pas par UE) ; total : somme des coefficients donnés"])
    _append(sheet, [])
    _append(sheet, list(DOMAIN_HEADERS), font=BOLD, fill=TOTAL_FILL)
    header_row = sheet.max_row
    for module in semester.domain_modules:
        _append(sheet, _domain_line(module))
    _append(sheet, [f"Total S{semester.number}", None, None, *_hours_cells(semester.domain_hours),
                    _number_or_unknown(semester.domain_coefficient_total), None], font=BOLD, fill=TOTAL_FILL)
    if any(m.code_derived for m in semester.domain_modules):
        _append(sheet, [])
        _append(sheet, [f"Code déduit « oui » : {CODE_DERIVED_NOTE.lower()}."])
    for index, width in enumerate(DOMAIN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
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

"""The findings of a semester as the matrix page's unsaved table would make it: the page's live checks.

`edited_programme` applies a `MatrixEdit` to the programme's summary in memory (no query, nothing written), as
`curriculum.editing.plan` would write it; `matrix_findings` runs the checks of `curriculum.findings` on the result
and keeps the semester's own findings. The page thus shows, while the table is typed, the very sentences the
programme page shows once it is saved: the page's script computes no rule itself.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from curriculum.editing import CellEdit, MatrixEdit, ModuleEdit, NewModule, NewUE
from curriculum.findings import Finding, check_programme
from curriculum.models import CompetenceLevel, HoursMode, ModuleKind
from curriculum.selectors import (
    EMPTY_POLE,
    ModuleInfo,
    ModuleRow,
    ProgrammeSummary,
    SemesterSummary,
    UESummary,
    summarise_semester,
    ue_with_rows,
)
from curriculum.totals import Hours, sum_hours

NEW_ID = -1  # the id of the module and of the UE the page adds, which have none yet


def matrix_findings(programme: ProgrammeSummary, *, semester_number: int, edit: MatrixEdit,
                    levels: Mapping[int, CompetenceLevel]) -> list[Finding]:
    """Return the findings of the semester as the edit makes it, errors first (as `check_programme` orders them)."""
    edited = edited_programme(programme, semester_number=semester_number, edit=edit, levels=levels)
    return [f for f in check_programme(edited) if f.semester == semester_number]


def edited_programme(programme: ProgrammeSummary, *, semester_number: int, edit: MatrixEdit,
                     levels: Mapping[int, CompetenceLevel]) -> ProgrammeSummary:
    """Return the programme with one semester replaced by its edited table (`levels`: the new UE's choices)."""
    semester = programme.semester(semester_number)
    edited = _edited_semester(semester, edit, levels)
    return replace(programme, semesters=tuple(edited if s.number == semester_number else s
                                              for s in programme.semesters))


def _edited_semester(semester: SemesterSummary, edit: MatrixEdit,
                     levels: Mapping[int, CompetenceLevel]) -> SemesterSummary:
    split = semester.hours_mode != HoursMode.REPEATED
    kept_ues = [ue for ue in semester.ues if not (ue.id in edit.ues and edit.ues[ue.id].delete)]
    modules = [m for m in semester.modules if not edit.modules.get(m.id, ModuleEdit()).delete]
    own = {m.id: _own_hours(m, edit.modules.get(m.id)) for m in modules}
    new = edit.new_module
    if new is not None:
        own[NEW_ID] = Hours(*new.hours) if not split and new.hours is not None else Hours()

    # (module id, coefficient, hours) of each kept UE's rows after the edit.
    rows: dict[int, list[tuple[int, Decimal | None, Hours]]] = {}
    touched = {NEW_ID}  # modules whose rows or hours change: their hours become the sum of their rows (split)
    for ue in kept_ues:
        old = {row.module.id: row for row in ue.rows}
        cells = [(m, edit.cells.get((m.id, ue.id)), old.get(m.id)) for m in modules]
        touched |= {m.id for m, cell, row in cells if cell is not None and _touches(cell, row)}
        if new is not None and ue.id in new.cells:
            cells.append((None, new.cells[ue.id], None))
        rows[ue.id] = [(m.id if m else NEW_ID, cell.coefficient if cell is not None else row.coefficient,
                        _row_hours(m, cell, row, own, split))
                       for m, cell, row in cells if (cell.present if cell is not None else row is not None)]
    if split:  # a module's hours are the sum of its rows once they change (as `plan` writes them)
        for module_id in own.keys() & touched:
            own[module_id] = sum_hours(h for entries in rows.values() for m, _, h in entries if m == module_id)

    infos = {m.id: replace(m, hours=own[m.id]) for m in modules}
    if new is not None:
        order = max((m.order for m in semester.modules), default=-1) + 1  # as `plan` numbers it
        infos[NEW_ID] = _new_module_info(new, own[NEW_ID], order=order)
    ues = []
    for ue in kept_ues:
        ue_edit = edit.ues.get(ue.id)
        if ue_edit is not None:
            ue = replace(ue, ects=ue_edit.ects, rcue_coefficient=ue_edit.rcue_coefficient)
        ues.append(ue_with_rows(ue, [ModuleRow(module=infos[m], coefficient=c, hours=h) for m, c, h in rows[ue.id]]))
    if edit.new_ue is not None:
        ues.append(_new_ue(edit.new_ue, semester.number, levels[edit.new_ue.level_id]))
    return summarise_semester(id=semester.id, number=semester.number, notes=semester.notes,
                              hours_mode=semester.hours_mode, ues=ues, modules=list(infos.values()))


def _touches(cell: CellEdit, row: ModuleRow | None) -> bool:
    """Tell whether a cell adds or removes its row, or changes its hours."""
    if (row is not None) != cell.present:
        return True
    return row is not None and cell.hours is not None and Hours(*cell.hours) != row.hours


def _row_hours(module: ModuleInfo | None, cell: CellEdit | None, row: ModuleRow | None, own: Mapping[int, Hours],
               split: bool) -> Hours:
    """Return a row's hours after the edit: typed in the cell (split), else kept; repeated: the module's."""
    if split:
        if cell is not None and cell.hours is not None:
            return Hours(*cell.hours)
        return row.hours if row is not None else Hours()
    module_id = module.id if module is not None else NEW_ID
    if row is None or row.hours == module.hours:  # the row repeated the module's hours: it repeats the new ones
        return own[module_id]
    return row.hours


def _own_hours(module: ModuleInfo, module_edit: ModuleEdit | None) -> Hours:
    if module_edit is not None and module_edit.hours is not None:
        return Hours(*module_edit.hours)
    return module.hours


def _new_module_info(new: NewModule, hours: Hours, *, order: int) -> ModuleInfo:
    kind = ModuleKind(new.kind)
    return ModuleInfo(id=NEW_ID, code=new.code, title=new.title, kind=kind.value, kind_label=kind.label,
                      evaluation_type="", hours=hours, order=order, notes="")


def _new_ue(new: NewUE, semester_number: int, level: CompetenceLevel) -> UESummary:
    competence = level.competence
    return ue_with_rows(UESummary(
        id=NEW_ID, code=new.code, title=new.title, semester_number=semester_number,
        competence_code=competence.code, competence_short_name=competence.short_name,
        competence_name=competence.name, competence_is_common=competence.parcours_id is None,
        level=level.level, level_label=level.label, ects=new.ects, rcue_coefficient=new.rcue_coefficient,
        parcours_codes=(), notes="", resource_rows=(), sae_rows=(),
        resources=EMPTY_POLE, sae=EMPTY_POLE, total=EMPTY_POLE), [])

"""Edit one semester of a programme as a whole table: plan the changes, preview their impact, apply them.

`MatrixEdit` is what the matrix page submits, already parsed (`curriculum.matrix_form`). `plan` compares it
with the programme as it is and returns one `Operation` per changed field — the same list gives the summary
shown to the user, the audit rows, and the writes — so what is shown is what is saved. `matrix_save` runs
in one transaction: refused when the programme is frozen or changed meanwhile; when open semester instances
use the programme, it first returns a `Preview` with the engine's impact, and writes only once the user
confirms that very list of changes (its digest).
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError

from curriculum import audit
from curriculum.audit import Action, Change
from curriculum.cell_values import show_coefficient
from curriculum.errors import NOTHING_CHANGED, PROTECTED, STALE, EditRefused
from curriculum.models import UE, HoursMode, Module, ModuleKind, ModuleUE, Programme
from curriculum.selectors import ProgrammeSummary, SemesterSummary, get_programme_summary
from curriculum.totals import Hours
from curriculum.usage import (
    ImpactReport,
    MatrixProposal,
    ProposedModule,
    ProposedUE,
    programme_impact,
    programme_instances,
)
from curriculum.versions import ensure_editable

HOUR_FIELDS = ("cm", "td", "tp", "project")
HOURS_LABEL = "heures CM / TD / TP / projet"
HourTuple = tuple[Decimal, Decimal, Decimal, Decimal]
ZERO_HOURS: HourTuple = (Decimal("0"),) * 4
NEW = "new"  # the key of the module added by the page, before it has an id


@dataclass(frozen=True)
class CellEdit:
    present: bool  # the module counts in the UE (a coefficient row exists)
    coefficient: Decimal | None = None  # None: not known
    hours: HourTuple | None = None  # hours in that UE (split programmes); None: unchanged


@dataclass(frozen=True)
class UEEdit:
    ects: Decimal
    rcue_coefficient: Decimal
    delete: bool = False


@dataclass(frozen=True)
class ModuleEdit:
    delete: bool = False
    hours: HourTuple | None = None  # the module's own hours (repeated programmes); None: unchanged


@dataclass(frozen=True)
class NewModule:
    code: str
    title: str
    kind: str
    hours: HourTuple | None
    cells: Mapping[int, CellEdit]  # UE id -> cell


@dataclass(frozen=True)
class NewUE:
    code: str
    title: str
    level_id: int
    competence_code: str
    level: int
    ects: Decimal
    rcue_coefficient: Decimal


@dataclass(frozen=True)
class MatrixEdit:
    ues: Mapping[int, UEEdit] = field(default_factory=dict)
    modules: Mapping[int, ModuleEdit] = field(default_factory=dict)
    cells: Mapping[tuple[int, int], CellEdit] = field(default_factory=dict)  # (module id, UE id) -> cell
    new_module: NewModule | None = None
    new_ue: NewUE | None = None


@dataclass(frozen=True)
class Operation:
    """One write and the change it makes: `target` says what is written, `key` which object, `values` what."""

    change: Change
    target: str  # ue, ue_create, ue_delete, module, module_create, module_delete, cell, cell_create, cell_delete
    key: tuple = ()
    values: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Preview:
    changes: tuple[Change, ...]
    impact: ImpactReport
    digest: str


@dataclass(frozen=True)
class Saved:
    changes: tuple[Change, ...]
    batch: str


def _hours(hours: Hours) -> HourTuple:
    return (hours.cm, hours.td, hours.tp, hours.project)


def _show_hours(hours: HourTuple) -> str:
    return " / ".join(audit.show(h) for h in hours)


def _sum_hours(items) -> HourTuple:
    total = ZERO_HOURS
    for hours in items:
        total = tuple(a + b for a, b in zip(total, hours, strict=True))
    return total


# ---------------------------------------------------------------- planning (no writes)


def plan(semester: SemesterSummary, edit: MatrixEdit) -> list[Operation]:
    """Return the operations that turn the semester into the edited table, in the order they apply."""
    n = semester.number
    split = semester.hours_mode != HoursMode.REPEATED
    ops: list[Operation] = []
    deleted_ues = {ue.id for ue in semester.ues if edit.ues.get(ue.id) and edit.ues[ue.id].delete}
    kept_ues = [ue for ue in semester.ues if ue.id not in deleted_ues]

    if edit.new_ue is not None:
        new = edit.new_ue
        ops.append(Operation(Change(Action.CREATE, new.code, new=f"{new.competence_code} niveau {new.level}, "
                                    f"{audit.show(new.ects)} ECTS", semester_number=n), "ue_create", (), {
            "code": new.code, "title": new.title, "competence_level_id": new.level_id, "ects": new.ects,
            "rcue_coefficient": new.rcue_coefficient}))
    for ue in semester.ues:
        ue_edit = edit.ues.get(ue.id)
        if ue_edit is None or ue.id in deleted_ues:
            continue
        for name, label, old, new in (("ects", "ECTS", ue.ects, ue_edit.ects),
                                      ("rcue_coefficient", "coefficient dans le RCUE", ue.rcue_coefficient,
                                       ue_edit.rcue_coefficient)):
            if old != new:
                ops.append(Operation(Change(Action.UPDATE, ue.code, label, audit.show(old), audit.show(new), n),
                                     "ue", (ue.id,), {name: new}))

    if edit.new_module is not None:
        ops += _plan_new_module(semester, edit.new_module, kept_ues, split)

    rows = {(row.module.id, ue.id): row for ue in semester.ues for row in ue.rows}
    deleted_modules = []
    for module in semester.modules:
        module_edit = edit.modules.get(module.id, ModuleEdit())
        if module_edit.delete:
            deleted_modules.append(module)
            continue
        touched = False
        for ue in kept_ues:
            cell = edit.cells.get((module.id, ue.id))
            if cell is not None:
                cell_ops = _plan_cell(module.code, ue, module.id, rows.get((module.id, ue.id)), cell, split, n,
                                      module_hours=module_edit.hours or _hours(module.hours))
                touched |= any(op.target != "cell" or "cm" in op.values for op in cell_ops)
                ops += cell_ops
        own = _hours(module.hours)
        if split and touched:
            new_hours = _sum_hours(_cell_hours(edit.cells.get((module.id, ue.id)), rows.get((module.id, ue.id)))
                                   for ue in kept_ues)
        else:
            new_hours = module_edit.hours if not split and module_edit.hours is not None else own
        if new_hours != own:
            ops.append(Operation(Change(Action.UPDATE, module.code, f"{HOURS_LABEL} du module", _show_hours(own),
                                        _show_hours(new_hours), n),
                                 "module", (module.id,), dict(zip(HOUR_FIELDS, new_hours, strict=True))))
            if not split:  # repeated: the rows that repeated the module's hours repeat the new ones
                ops += [Operation(Change(Action.UPDATE, f"{module.code} × {ue.code}", HOURS_LABEL,
                                         _show_hours(_hours(rows[(module.id, ue.id)].hours)),
                                         _show_hours(new_hours), n),
                                  "cell", (module.id, ue.id), dict(zip(HOUR_FIELDS, new_hours, strict=True)))
                        for ue in kept_ues if (module.id, ue.id) in rows
                        and _hours(rows[(module.id, ue.id)].hours) == own
                        and edit.cells.get((module.id, ue.id), CellEdit(present=True)).present]

    ops += [Operation(Change(Action.DELETE, m.code, semester_number=n), "module_delete", (m.id,))
            for m in deleted_modules]
    ops += [Operation(Change(Action.DELETE, ue.code, semester_number=n), "ue_delete", (ue.id,))
            for ue in semester.ues if ue.id in deleted_ues]
    return ops


def _cell_hours(cell: CellEdit | None, row) -> HourTuple:
    if cell is None:
        return _hours(row.hours) if row is not None else ZERO_HOURS
    if not cell.present:
        return ZERO_HOURS
    if cell.hours is not None:
        return cell.hours
    return _hours(row.hours) if row is not None else ZERO_HOURS


def _plan_cell(module_code: str, ue, module_id, row, cell: CellEdit, split: bool, n: int,
               module_hours: HourTuple) -> list[Operation]:
    subject = f"{module_code} × {ue.code}"
    key = (module_id, ue.id)
    if row is None:
        if not cell.present:
            return []
        hours = (cell.hours or ZERO_HOURS) if split else module_hours
        new = f"coefficient {show_coefficient(True, cell.coefficient)}"
        return [Operation(Change(Action.CREATE, subject, new=new, semester_number=n), "cell_create", key,
                          {"coefficient": cell.coefficient, **dict(zip(HOUR_FIELDS, hours, strict=True))})]
    if not cell.present:
        return [Operation(Change(Action.DELETE, subject, semester_number=n), "cell_delete", key)]
    ops = []
    if cell.coefficient != row.coefficient:
        ops.append(Operation(Change(Action.UPDATE, subject, "coefficient", show_coefficient(True, row.coefficient),
                                    show_coefficient(True, cell.coefficient), n),
                             "cell", key, {"coefficient": cell.coefficient}))
    if split and cell.hours is not None and cell.hours != _hours(row.hours):
        ops.append(Operation(Change(Action.UPDATE, subject, HOURS_LABEL, _show_hours(_hours(row.hours)),
                                    _show_hours(cell.hours), n),
                             "cell", key, dict(zip(HOUR_FIELDS, cell.hours, strict=True))))
    return ops


def _plan_new_module(semester: SemesterSummary, new: NewModule, kept_ues, split: bool) -> list[Operation]:
    n = semester.number
    cells = {ue.id: new.cells[ue.id] for ue in kept_ues if ue.id in new.cells and new.cells[ue.id].present}
    if split:
        hours = _sum_hours(c.hours or ZERO_HOURS for c in cells.values())
    else:
        hours = new.hours or ZERO_HOURS
    order = max((m.order for m in semester.modules), default=-1) + 1
    ops = [Operation(Change(Action.CREATE, new.code, new=f"{ModuleKind(new.kind).label} « {new.title} »",
                            semester_number=n), "module_create", (), {
        "code": new.code, "title": new.title, "kind": new.kind, "order": order,
        **dict(zip(HOUR_FIELDS, hours, strict=True))})]
    ue_codes = {ue.id: ue.code for ue in kept_ues}
    for ue_id, cell in cells.items():
        ops += _plan_cell(new.code, _UERef(ue_id, ue_codes[ue_id]), NEW, None, cell, split, n, module_hours=hours)
    return ops


@dataclass(frozen=True)
class _UERef:
    id: int
    code: str


def digest(changes) -> str:
    """Return a fingerprint of a list of changes: a confirmation applies only the list it previewed."""
    text = "\n".join(f"{c.semester_number}|{c.action}|{c.subject}|{c.field}|{c.old}|{c.new}" for c in changes)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def proposal(programme: ProgrammeSummary, semester: SemesterSummary, edit: MatrixEdit) -> MatrixProposal:
    """Return the semester as it would be after the edit, as the engine's impact computation reads it."""
    deleted_ues = {ue.id for ue in semester.ues if edit.ues.get(ue.id) and edit.ues[ue.id].delete}
    kept = [ue for ue in semester.ues if ue.id not in deleted_ues]
    ues = [ProposedUE(code=ue.code, competence=ue.competence_code, level=ue.level,
                      ects=edit.ues[ue.id].ects if ue.id in edit.ues else ue.ects,
                      rcue_coefficient=edit.ues[ue.id].rcue_coefficient if ue.id in edit.ues else ue.rcue_coefficient,
                      parcours=frozenset(ue.parcours_codes)) for ue in kept]
    if edit.new_ue is not None:
        new = edit.new_ue
        ues.append(ProposedUE(code=new.code, competence=new.competence_code, level=new.level, ects=new.ects,
                              rcue_coefficient=new.rcue_coefficient))
    rows = {(row.module.id, ue.id): row for ue in semester.ues for row in ue.rows}
    modules, removed_modules = [], set()
    for module in semester.modules:
        if edit.modules.get(module.id, ModuleEdit()).delete:
            removed_modules.add(module.code)
            continue
        coefficients = {}
        for ue in kept:
            cell, row = edit.cells.get((module.id, ue.id)), rows.get((module.id, ue.id))
            value = (cell.coefficient if cell.present else None) if cell is not None else (
                row.coefficient if row is not None else None)
            if value is not None:  # an unknown coefficient weighs nothing (R4), as the loaders read it
                coefficients[ue.code] = value
        modules.append(ProposedModule(code=module.code, kind=module.kind, coefficients=coefficients))
    if edit.new_module is not None:
        codes = {ue.id: ue.code for ue in kept}
        modules.append(ProposedModule(code=edit.new_module.code, kind=edit.new_module.kind, coefficients={
            codes[ue_id]: c.coefficient for ue_id, c in edit.new_module.cells.items()
            if ue_id in codes and c.present and c.coefficient is not None}))
    return MatrixProposal(programme_id=programme.id, semester_number=semester.number, ues=tuple(ues),
                          modules=tuple(modules), removed_ue_codes=frozenset(ue.code for ue in semester.ues
                                                                             if ue.id in deleted_ues),
                          removed_module_codes=frozenset(removed_modules))


# ---------------------------------------------------------------- the service


def matrix_save(*, programme_code: str, semester_number: int, edit: MatrixEdit, revision: int,
                confirmed_digest: str = "", user) -> Preview | Saved:
    """Save an edited semester table in one transaction, or return the preview the user must confirm first.

    Refused (EditRefused) when the programme is frozen, changed since the page was displayed (`revision`),
    when nothing changes, or when a deleted module or UE is still used.
    """
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(code=programme_code)
        ensure_editable(programme)
        if audit.revision(programme.pk) != revision:
            latest = audit.latest_change(programme.pk)
            who = f"{latest.user.get_full_name() or latest.user.username}, " if latest and latest.user else ""
            raise EditRefused(STALE.format(who=f"{who}{latest.at:%d/%m/%Y %H:%M}" if latest else "inconnu"))
        summary = get_programme_summary(code=programme_code)
        semester = summary.semester(semester_number)
        operations = plan(semester, edit)
        if not operations:
            raise EditRefused(NOTHING_CHANGED)
        changes = tuple(op.change for op in operations)
        fingerprint = digest(changes)
        if fingerprint != confirmed_digest and programme_instances(programme.pk):
            return Preview(changes=changes, impact=programme_impact(proposal(summary, semester, edit)),
                           digest=fingerprint)
        _apply(semester.id, operations)
        batch = audit.record(programme=programme, changes=changes, user=user, source=audit.Source.PAGE)
    return Saved(changes=changes, batch=batch)


def _apply(semester_id: int, operations: list[Operation]) -> None:
    """Write the planned operations with bulk queries (a fixed number whatever the number of cells)."""
    by_target: dict[str, list[Operation]] = {}
    for op in operations:
        by_target.setdefault(op.target, []).append(op)
    for op in by_target.get("ue_create", []):
        order = (UE.objects.filter(semester_id=semester_id).order_by("-order").values_list("order", flat=True)
                 .first())
        UE.objects.create(semester_id=semester_id, order=(order or 0) + 1, **op.values)
    new_module = None
    for op in by_target.get("module_create", []):
        new_module = Module.objects.create(semester_id=semester_id, **op.values)
    _update(UE, by_target.get("ue", []), lambda key: key[0])
    _update(Module, by_target.get("module", []), lambda key: key[0])
    cells = {(row.module_id, row.ue_id): row for row in ModuleUE.objects.filter(ue__semester_id=semester_id)}
    _update(ModuleUE, by_target.get("cell", []), lambda key: cells[key].pk)
    ModuleUE.objects.bulk_create([
        ModuleUE(module_id=new_module.pk if op.key[0] == NEW else op.key[0], ue_id=op.key[1], **op.values)
        for op in by_target.get("cell_create", [])])
    deleted = [cells[op.key].pk for op in by_target.get("cell_delete", [])]
    if deleted:
        ModuleUE.objects.filter(pk__in=deleted).delete()
    for model, target in ((Module, "module_delete"), (UE, "ue_delete")):
        for op in by_target.get(target, []):
            try:
                model.objects.filter(pk=op.key[0]).delete()
            except ProtectedError as exc:
                objects = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
                raise EditRefused(PROTECTED.format(subject=op.change.subject, objects=objects)) from None


def _update(model, operations: list[Operation], pk_of) -> None:
    """Apply field updates to several rows of one model with one read and one bulk update."""
    if not operations:
        return
    objects = model.objects.in_bulk([pk_of(op.key) for op in operations])
    fields = set()
    for op in operations:
        obj = objects[pk_of(op.key)]
        for name, value in op.values.items():
            setattr(obj, name, value)
            fields.add(name)
    model.objects.bulk_update(list(objects.values()), sorted(fields))

"""Results from before: the preview of an import (new, changed, unchanged validations), the import, and its undo.

Each UE row becomes the student's external validation of that UE (code, average when known), which the engine
capitalises (R11), counts in RCUEs (R10) and in the path's ECTS, and reads for R15. RCUE and year rows are shown on
the preview, not stored: the engine derives the RCUEs from their UEs, and a year decision of another system is
no decision of this one. Students are matched by NIP, then INE. A UE of a semester the student followed here under
a closed jury is refused: a closed jury's record does not change. Every change is journaled under one batch key;
the undo restores the batch as one step, refused if a validation changed since.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from butgmp.formats import format_decimal
from curriculum.models import UE, Programme
from grading.cache_versions import bump_student
from grading.engine.codes import DecisionCode
from grading.models import AuditEntry, Enrolment, ExternalValidation, Student
from grading.past_results_reading import RCUE, YEAR, PastRow
from grading.selectors.past_results import BATCH_PREFIX, FIELD
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ImportInvalid, ServiceError, UndoRefused

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
UNKNOWN_STUDENT = "{where} : aucun étudiant de NIP « {nip} » ni d'INE « {ine} »"
UNKNOWN_CODE = "{where} : code « {code} » inconnu ({subject})"
NOT_A_UE_CODE = "{where} : code « {code} » impossible pour une UE ({subject}) ; attendu : {allowed}"
# What a UE holds from before: a result (validated or not), or the status of a student who left. Year codes (PASD,
# RED…) decide no UE, and ATT is no result yet.
UE_ROW_CODES = (DecisionCode.ADM, DecisionCode.CMP, DecisionCode.ADJ, DecisionCode.ADJR, DecisionCode.ADSUP,
                DecisionCode.AJ, DecisionCode.DEF, DecisionCode.DEM, DecisionCode.ABAN)
UNKNOWN_UE = "{where} : UE « {code} » absente du programme {programme}"
NO_PROGRAMME = "{where} : {student} n'est inscrit nulle part ; choisissez le programme de ses UE"
LOCKED_UE = "{where} : {student}, {code} — décidée par un jury clos de l'application ; son relevé ne change pas"
PLAN_CHANGED = "Les validations ont changé depuis l'aperçu : rien n'a été enregistré ; déposez à nouveau le fichier."
UNDO_ALREADY = "Cet import de résultats antérieurs a déjà été annulé."
UNDO_CHANGED = "Annulation impossible : {items} modifiée(s) depuis l'import. Corrigez à la main."


@dataclass(frozen=True)
class PlannedValidation:
    row: PastRow
    student: Student
    ue: UE
    kind: str  # NEW, CHANGED, UNCHANGED
    old: str = ""  # "ADM 12,500" as the journal writes it

    @property
    def new(self) -> str:
        return _state(self.row.code, self.row.average)

    @property
    def old_shown(self) -> str:
        """The validation held before, as the preview shows it (« CMP 9,5 »; "" when none)."""
        return _shown(self.old)

    @property
    def new_shown(self) -> str:
        return _shown(self.new)


@dataclass
class PastResultsPlan:
    items: list[PlannedValidation] = field(default_factory=list)
    shown: list[tuple[Student, PastRow]] = field(default_factory=list)  # RCUE and year rows: shown, not stored

    @property
    def new(self) -> list[PlannedValidation]:
        return [i for i in self.items if i.kind == NEW]

    @property
    def changed(self) -> list[PlannedValidation]:
        return [i for i in self.items if i.kind == CHANGED]

    @property
    def to_write(self) -> int:
        """How many validations the confirmation writes (new and changed)."""
        return len(self.new) + len(self.changed)

    @property
    def unchanged(self) -> list[PlannedValidation]:
        return [i for i in self.items if i.kind == UNCHANGED]

    def signature(self) -> list:
        return [[i.student.pk, i.ue.pk, i.kind, i.old] for i in self.items]


def _state(code: str, average: Decimal | None) -> str:
    return f"{code} {average:.3f}" if average is not None else code


def _shown(state: str) -> str:
    code, average = _parse_state(state) if state else ("", None)
    return f"{code} {format_decimal(average)}" if average is not None else code


def _parse_state(text: str) -> tuple[str, Decimal | None]:
    code, _, average = text.partition(" ")
    return code, Decimal(average) if average else None


def past_results_plan(*, rows: Sequence[PastRow], programme: Programme | None = None) -> PastResultsPlan:
    """Check every row and say what the import would change; raise ImportInvalid listing every bad row."""
    students = _students(rows)
    enrolments = list(Enrolment.objects.filter(student__in=[s.pk for s in students.values()])
                      .select_related("semester_instance__semester").order_by("semester_instance__academic_year__"
                                                                              "start_year", "semester_instance__"
                                                                              "semester__number"))
    latest_programme = {e.student_id: e.semester_instance.semester.programme_id for e in enrolments}
    locked = {(e.student_id, e.semester_instance.semester.number) for e in enrolments
              if e.semester_instance.is_locked}
    programme_ids = {programme.pk} if programme else set(latest_programme.values())
    ues = {(u.semester.programme_id, u.code): u for u in UE.objects.filter(semester__programme_id__in=programme_ids)
           .select_related("semester", "semester__programme")}
    existing = {(v.student_id, v.ue.code): v for v in ExternalValidation.objects.filter(
        student__in=[s.pk for s in students.values()]).select_related("ue")}
    plan, errors, seen = PastResultsPlan(), [], set()
    valid_codes = {c.value for c in DecisionCode}
    for row in rows:
        student = students.get(row.nip and ("nip", row.nip)) or students.get(("ine", row.ine))
        if student is None:
            errors.append(UNKNOWN_STUDENT.format(where=row.where, nip=row.nip or "—", ine=row.ine or "—"))
            continue
        if row.code not in valid_codes:
            errors.append(UNKNOWN_CODE.format(where=row.where, code=row.code, subject=row.subject or "année"))
            continue
        if row.kind in (RCUE, YEAR):
            plan.shown.append((student, row))
            continue
        if row.code not in UE_ROW_CODES:
            errors.append(NOT_A_UE_CODE.format(where=row.where, code=row.code, subject=row.subject,
                                               allowed=", ".join(UE_ROW_CODES)))
            continue
        programme_id = programme.pk if programme else latest_programme.get(student.pk)
        if programme_id is None:
            errors.append(NO_PROGRAMME.format(where=row.where, student=student))
            continue
        ue = ues.get((programme_id, row.subject))
        if ue is None:
            code = programme.code if programme else Programme.objects.get(pk=programme_id).code
            errors.append(UNKNOWN_UE.format(where=row.where, code=row.subject, programme=code))
            continue
        if (student.pk, ue.semester.number) in locked:
            errors.append(LOCKED_UE.format(where=row.where, student=student, code=ue.code))
            continue
        if (student.pk, ue.code) in seen:
            continue  # the same UE twice (a JSON with two years): the first row wins
        seen.add((student.pk, ue.code))
        current = existing.get((student.pk, ue.code))
        if current is None:
            plan.items.append(PlannedValidation(row=row, student=student, ue=ue, kind=NEW))
        else:
            old = _state(current.code, current.average)
            kind = UNCHANGED if old == _state(row.code, row.average) and current.ue_id == ue.pk else CHANGED
            plan.items.append(PlannedValidation(row=row, student=student, ue=ue, kind=kind, old=old))
    if errors:
        raise ImportInvalid(errors)
    return plan


def _students(rows: Sequence[PastRow]) -> dict[tuple[str, str], Student]:
    nips = {r.nip for r in rows if r.nip}
    ines = {r.ine for r in rows if r.ine}
    found = {}
    for student in Student.objects.filter(ine__in=ines):
        found["ine", student.ine] = student
    for student in Student.objects.filter(nip__in=nips):
        found["nip", student.nip] = student
    return found


def past_results_import(*, rows: Sequence[PastRow], user, filename: str, programme: Programme | None = None,
                        expected: list | None = None) -> tuple[PastResultsPlan, str | None]:
    """Write the validations of a checked file (all or nothing); return the plan and the batch key (None if nothing)."""
    with transaction.atomic():
        plan = past_results_plan(rows=rows, programme=programme)
        if expected is not None and plan.signature() != expected:
            raise ServiceError(PLAN_CHANGED)
        if not plan.new and not plan.changed:
            return plan, None
        batch = batch_key(BATCH_PREFIX)
        reason = f"Import des résultats antérieurs « {filename} »"[:250]
        existing = {(v.student_id, v.ue.code): v for v in ExternalValidation.objects.select_for_update().filter(
            student__in=[i.student.pk for i in plan.changed]).select_related("ue")}
        created = ExternalValidation.objects.bulk_create([
            ExternalValidation(student=i.student, ue=i.ue, code=i.row.code, average=i.row.average,
                               origin=i.row.origin[:200]) for i in plan.new])
        updated = []
        for item in plan.changed:
            validation = existing[item.student.pk, item.ue.code]
            validation.ue, validation.code, validation.average = item.ue, item.row.code, item.row.average
            validation.origin = item.row.origin[:200] or validation.origin
            updated.append(validation)
        ExternalValidation.objects.bulk_update(updated, ["ue", "code", "average", "origin"])
        journal(
            [audit_row(obj=v, action="create", user=user, source=AuditEntry.Source.IMPORT, batch=batch, field=FIELD,
                       new=_state(v.code, v.average), reason=reason) for v in created]
            + [audit_row(obj=v, action="update", user=user, source=AuditEntry.Source.IMPORT, batch=batch,
                         field=FIELD, old=i.old, new=_state(v.code, v.average), reason=reason)
               for i, v in zip(plan.changed, updated, strict=True)])
        for student_id in {i.student.pk for i in plan.new + plan.changed}:
            bump_student(student_id)
    return plan, batch


def past_results_undo(*, batch: str, user) -> int:
    """Undo an import as one step; refused if undone already or if one of its validations changed since."""
    with transaction.atomic():
        entries = list(AuditEntry.objects.select_for_update().filter(batch=batch, field=FIELD,
                                                                     source=AuditEntry.Source.IMPORT))
        if not entries or not batch.startswith(BATCH_PREFIX + "-"):
            raise UndoRefused(UNDO_ALREADY)
        if AuditEntry.objects.filter(batch=batch, source=AuditEntry.Source.UNDO).exists():
            raise UndoRefused(UNDO_ALREADY)
        validations = ExternalValidation.objects.select_for_update().select_related("student", "ue").in_bulk(
            [e.object_id for e in entries])
        changed = [e.object_repr for e in entries if e.object_id not in validations
                   or _state(validations[e.object_id].code, validations[e.object_id].average) != e.new_value]
        if changed:
            raise UndoRefused(UNDO_CHANGED.format(items=", ".join(changed[:10])))
        undo_rows, to_delete, to_restore = [], [], []
        for entry in entries:
            validation = validations[entry.object_id]
            undo_rows.append(audit_row(obj=validation, action="delete" if entry.action == "create" else "update",
                                       user=user, source=AuditEntry.Source.UNDO, batch=batch, field=FIELD,
                                       old=entry.new_value, new=entry.old_value, reason="Annulation de l'import"))
            if entry.action == "create":
                to_delete.append(validation.pk)
            else:
                validation.code, validation.average = _parse_state(entry.old_value)
                to_restore.append(validation)
        ExternalValidation.objects.bulk_update(to_restore, ["code", "average"])
        ExternalValidation.objects.filter(pk__in=to_delete).delete()
        journal(undo_rows)
        for student_id in {v.student_id for v in validations.values()}:
            bump_student(student_id)
    return len(entries)


def programme_year_ues(programme: Programme) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[str]]]:
    """Return, per BUT year, the (odd UE, even UE) code pairs and the RCUE keys, in competence order (ScoDoc's)."""
    pairs: dict[int, list[tuple[str, str]]] = {}
    keys: dict[int, list[str]] = {}
    ues = (UE.objects.filter(semester__programme=programme).select_related("semester", "competence_level__competence")
           .order_by("competence_level__competence__number", "competence_level__competence__code", "semester__number"))
    sides: dict[tuple[int, int], dict[int, str]] = {}  # (year, level id) -> {1: odd UE code, 0: even UE code}
    rcue_key: dict[tuple[int, int], str] = {}
    for ue in ues:
        key = (ue.semester.year, ue.competence_level_id)
        sides.setdefault(key, {})[ue.semester.number % 2] = ue.code
        rcue_key[key] = ue.competence_level.rcue_key
    for (year, level_id), codes in sides.items():  # in competence order (dicts keep insertion order)
        if 1 in codes and 0 in codes:
            pairs.setdefault(year, []).append((codes[1], codes[0]))
            keys.setdefault(year, []).append(rcue_key[year, level_id])
    return pairs, keys


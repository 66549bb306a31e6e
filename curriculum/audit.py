"""The journals of reference data: programme changes (`ProgrammeChange`) and changes of the speciality's
reference (`ReferenceChange`): what a change is, how it is written and read.

Every path that changes a programme — the matrix page, the admin, `load_programmes`, a new version — writes
its changes here (`record`), one row per changed field (a created or deleted object is one row), grouped by a batch
key; so do the référentiel's import and the admin of competences (`reference_record`).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, QuerySet

from butgmp.formats import format_decimal
from curriculum.models import ModuleUE, Programme, ProgrammeChange, ReferenceChange, Semester

Action = ProgrammeChange.Action
Source = ProgrammeChange.Source
CHANGES_SHOWN = 100  # rows on the programme page


def show(value) -> str:
    """Return a value as the audit shows it: decimals the French way, booleans as oui/non, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


@dataclass(frozen=True)
class Change:
    """One change of a programme, before it is written (the summary of a save shows these)."""

    action: str  # Action value
    subject: str  # "UE3.2", "R3.01", "R3.01 × UE3.2"
    field: str = ""  # French label of the field, e.g. "coefficient"
    old: str = ""
    new: str = ""
    semester_number: int | None = None

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    def __str__(self) -> str:
        where = f"S{self.semester_number} " if self.semester_number else ""
        if self.action == Action.CREATE:
            return f"{where}ajout de {self.subject}{f' ({self.new})' if self.new else ''}"
        if self.action == Action.DELETE:
            return f"{where}suppression de {self.subject}"
        return f"{where}{self.subject} – {self.field} : {self.old or '∅'} → {self.new or '∅'}"


def semester_number_of(obj) -> int | None:
    """Return the number of the semester an object of a programme belongs to (None for the programme)."""
    if isinstance(obj, Semester):
        return obj.number
    semester = getattr(obj, "semester", None) or getattr(getattr(obj, "ue", None), "semester", None)
    return semester.number if semester is not None else None


def subject_of(obj) -> str:
    """Return how the audit names an object: "UE3.2", "R3.01", "R3.01 × UE3.2", "S3", the programme code."""
    if isinstance(obj, ModuleUE):
        return f"{obj.module.code} × {obj.ue.code}"
    if isinstance(obj, Semester):
        return f"S{obj.number}"
    return getattr(obj, "code", "") or str(obj)


def record(*, programme: Programme, changes: Iterable[Change], user, source: str) -> str:
    """Write the audit rows of one action; return their batch key."""
    batch = uuid.uuid4().hex
    user = user if getattr(user, "is_authenticated", False) else None
    ProgrammeChange.objects.bulk_create([
        ProgrammeChange(programme=programme, semester_number=c.semester_number, user=user, source=source,
                        action=c.action, subject=c.subject[:120], field=c.field[:60], old_value=c.old,
                        new_value=c.new, batch=batch)
        for c in changes
    ])
    return batch


def reference_record(*, speciality_id: int, changes: Iterable[Change], user, source: str) -> str:
    """Write the journal rows of one change of the speciality's reference (an import, an admin save); return their
    batch key."""
    batch = uuid.uuid4().hex
    user = user if getattr(user, "is_authenticated", False) else None
    ReferenceChange.objects.bulk_create([
        ReferenceChange(speciality_id=speciality_id, source=source, user=user, action=c.action,
                        subject=c.subject[:120], field=c.field[:60], old_value=c.old, new_value=c.new, batch=batch)
        for c in changes])
    return batch


def revision(programme_id: int) -> int:
    """Return the id of the programme's latest audit row (0 when none): it moves with every change."""
    return ProgrammeChange.objects.filter(programme_id=programme_id).aggregate(last=Max("id"))["last"] or 0


def latest_change(programme_id: int) -> ProgrammeChange | None:
    return (ProgrammeChange.objects.filter(programme_id=programme_id).select_related("user")
            .order_by("-id").first())


def programme_changes(*, programme_id: int, limit: int = CHANGES_SHOWN) -> QuerySet[ProgrammeChange]:
    """Return the programme's latest changes, newest first, with their authors (one query)."""
    return (ProgrammeChange.objects.filter(programme_id=programme_id).select_related("user")
            .order_by("-at", "-id")[:limit])

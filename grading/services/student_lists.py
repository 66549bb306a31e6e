"""Student lists: the preview of an import (new, changed, unchanged), the import, and its undo, all audited.

An import never overwrites silently: the plan lists every change (names, e-mail, NIP, parcours, groups) before
anything is written (a NIP another student already has is an error naming the row); the import writes one
`AuditEntry` per changed field under one batch key, and the undo restores them as one step, refused if something
changed since. An empty optional cell keeps what is stored.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from curriculum.models import Parcours
from grading.models import AuditEntry, Enrolment, Group, SemesterInstance, Student
from grading.selectors.grade_entry import STUDENT_LIST_BATCH_PREFIX
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ImportInvalid, ServiceError, UndoRefused, ensure_unlocked

GROUP_UNKNOWN = "groupe « {name} » inconnu"
NIP_TAKEN = "Ligne {row}, colonne « NIP » : le NIP {nip} est déjà celui de {student} (INE {ine})."
NIP_TWICE = "Ligne {row}, colonne « NIP » : le NIP {nip} est déjà celui de la ligne {first}."
LIST_CHANGED = ("Des étudiants ou des groupes ont changé depuis l'aperçu : rien n'a été enregistré, déposez à "
                "nouveau la liste pour voir un aperçu à jour.")
LIST_UNDO_ALREADY = "Cet import de liste a déjà été annulé."
LIST_UNDO_CHANGED = "Annulation impossible : {items} modifié(s) depuis l'import. Corrigez à la main."
LIST_UNDO_USED = "Annulation impossible : {student} a déjà des notes, un bonus ou des décisions dans ce semestre."
BATCH_PREFIX = STUDENT_LIST_BATCH_PREFIX

NEW_STUDENT, NEW_ENROLMENT, CHANGED, UNCHANGED = "new_student", "new_enrolment", "changed", "unchanged"
LABELS = {"last_name": "nom", "first_name": "prénom", "email": "courriel", "nip": "NIP", "parcours": "parcours",
          "groups": "groupes", "postal_address": "adresse"}
IDENTITY = ("last_name", "first_name", "email", "nip", "postal_address")  # the student's own fields a list can change


@dataclass(frozen=True)
class ListedStudent:
    """One checked row of a list. None (or "" for the e-mail and the NIP) keeps what is stored."""

    row: int
    ine: str
    last_name: str
    first_name: str
    email: str = ""
    parcours_id: int | None = None
    nip: str = ""
    groups: tuple[str, ...] | None = None
    postal_address: str = ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return LABELS[self.field]


@dataclass(frozen=True)
class PlannedStudent:
    row: int
    ine: str
    name: str
    kind: str
    changes: tuple[FieldChange, ...] = ()


@dataclass
class StudentListPlan:
    items: list[PlannedStudent] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[PlannedStudent]:
        return [i for i in self.items if i.kind in (NEW_STUDENT, NEW_ENROLMENT)]

    @property
    def changed(self) -> list[PlannedStudent]:
        return [i for i in self.items if i.kind == CHANGED]

    @property
    def unchanged(self) -> list[PlannedStudent]:
        return [i for i in self.items if i.kind == UNCHANGED]

    @property
    def change_count(self) -> int:
        return len(self.new) + len(self.changed)

    def signature(self) -> list:
        """Return the plan as plain data, to check at confirmation that nothing changed since the preview."""
        return [[i.ine, i.kind, [[c.field, c.old, c.new] for c in i.changes]] for i in self.items] + [
            sorted(self.new_groups)]


@dataclass(frozen=True)
class StudentListResult:
    batch: str | None
    plan: StudentListPlan


def group_kind(name: str) -> str:
    return Group.Kind.TP if name.upper().startswith("TP") else Group.Kind.TD


def _names(groups) -> str:
    return ", ".join(sorted(g.name for g in groups))


class _State:
    """What is stored for the listed students, read in a fixed number of queries."""

    def __init__(self, *, semester_instance: SemesterInstance, rows: Sequence[ListedStudent], lock: bool):
        ines = [r.ine for r in rows]
        students = Student.objects.filter(ine__in=ines)
        enrolments = (Enrolment.objects.filter(semester_instance=semester_instance, student__ine__in=ines)
                      .select_related("parcours").prefetch_related("groups"))
        if lock:
            students, enrolments = students.select_for_update(), enrolments.select_for_update(of=("self",))
        self.students = {s.ine: s for s in students}
        nips = [r.nip for r in rows if r.nip]
        self.nip_owners = {s.nip: s for s in Student.objects.filter(nip__in=nips)} if nips else {}
        self.enrolments = {e.student_id: e for e in enrolments}
        by_id = {s.pk: s for s in self.students.values()}
        for enrolment in self.enrolments.values():  # what the journal's object names read, without a query each
            enrolment.student = by_id[enrolment.student_id]
            enrolment.semester_instance = semester_instance
        self.groups = {g.name: g for g in Group.objects.filter(semester_instance=semester_instance)}
        programme = semester_instance.semester.programme
        self.default_parcours_id = programme.parcours_id
        self.parcours = {p.pk: p for p in Parcours.objects.filter(speciality_id=programme.speciality_id)}


def _plan(state: _State, rows: Sequence[ListedStudent], new_groups: Sequence[str]) -> StudentListPlan:
    unknown = sorted({n for r in rows for n in r.groups or () if n not in state.groups and n not in new_groups})
    if unknown:
        raise ImportInvalid([GROUP_UNKNOWN.format(name=n) for n in unknown])
    _check_nips(state, rows)
    used = {n for r in rows for n in r.groups or ()}
    plan = StudentListPlan(new_groups=sorted(n for n in new_groups if n in used and n not in state.groups))
    for r in rows:
        student = state.students.get(r.ine)
        changes = []
        if student is not None:
            for name, value in (("last_name", r.last_name), ("first_name", r.first_name), ("email", r.email),
                                ("nip", r.nip), ("postal_address", r.postal_address)):
                if value and value != getattr(student, name):
                    changes.append(FieldChange(name, getattr(student, name), value))
        enrolment = state.enrolments.get(student.pk) if student is not None else None
        if student is None and r.nip:
            changes.append(FieldChange("nip", "", r.nip))  # shown in the preview; the new student is made with it
        if enrolment is None:
            parcours = state.parcours.get(r.parcours_id or state.default_parcours_id)
            changes.append(FieldChange("parcours", "", parcours.code if parcours else ""))
            changes.append(FieldChange("groups", "", ", ".join(r.groups or ())))
            kind = NEW_STUDENT if student is None else NEW_ENROLMENT
        else:
            if r.parcours_id is not None and r.parcours_id != enrolment.parcours_id:
                changes.append(FieldChange("parcours", enrolment.parcours.code if enrolment.parcours else "",
                                           state.parcours[r.parcours_id].code))
            current = _names(enrolment.groups.all())
            if r.groups is not None and ", ".join(r.groups) != current:
                changes.append(FieldChange("groups", current, ", ".join(r.groups)))
            kind = CHANGED if changes else UNCHANGED
        name = str(student) if student is not None else str(Student(last_name=r.last_name, first_name=r.first_name))
        plan.items.append(PlannedStudent(row=r.row, ine=r.ine, name=name, kind=kind, changes=tuple(changes)))
    return plan


def _check_nips(state: _State, rows: Sequence[ListedStudent]) -> None:
    """Refuse a NIP given twice in the list, or already held by a student of another INE."""
    errors, first = [], {}
    for r in rows:
        if not r.nip:
            continue
        owner = state.nip_owners.get(r.nip)
        if r.nip in first:
            errors.append(NIP_TWICE.format(row=r.row, nip=r.nip, first=first[r.nip]))
        elif owner is not None and owner.ine != r.ine:
            errors.append(NIP_TAKEN.format(row=r.row, nip=r.nip, student=owner, ine=owner.ine))
        first.setdefault(r.nip, r.row)
    if errors:
        raise ImportInvalid(errors)


def student_list_plan(*, semester_instance: SemesterInstance, rows: Sequence[ListedStudent],
                      new_groups: Sequence[str] = ()) -> StudentListPlan:
    """Return what importing the rows would do (nothing is written); an unknown group is an error."""
    return _plan(_State(semester_instance=semester_instance, rows=rows, lock=False), rows, new_groups)


def student_list_import(*, semester_instance: SemesterInstance, rows: Sequence[ListedStudent], user,
                        filename: str, new_groups: Sequence[str] = (), expected: list | None = None
                        ) -> StudentListResult:
    """Import a checked student list: all or nothing, one audit row per change under one batch key.

    `expected` is the previewed plan's signature: the import is refused if the plan differs now.
    """
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        state = _State(semester_instance=semester_instance, rows=rows, lock=True)
        plan = _plan(state, rows, new_groups)
        if expected is not None and plan.signature() != expected:
            raise ServiceError(LIST_CHANGED)
        if not plan.new and not plan.changed:
            return StudentListResult(batch=None, plan=plan)
        batch = batch_key(BATCH_PREFIX.format(pk=semester_instance.pk))
        reason = f"Import de la liste « {filename} »"[:250]

        def audit(obj, action, field_name="", old="", new=""):
            return audit_row(obj=obj, action=action, user=user, source=AuditEntry.Source.IMPORT, batch=batch,
                             field=field_name, old=old, new=new, reason=reason)

        created = Group.objects.bulk_create([Group(semester_instance=semester_instance, name=n, kind=group_kind(n))
                                             for n in plan.new_groups])
        state.groups.update({g.name: g for g in created})
        entries = [audit(g, "create", new=str(g)) for g in created]
        by_ine = {r.ine: r for r in rows}
        new_students = []
        for item in plan.items:
            r = by_ine[item.ine]
            if item.kind == NEW_STUDENT:
                student = Student(ine=r.ine, last_name=r.last_name, first_name=r.first_name, email=r.email,
                                  nip=r.nip, postal_address=r.postal_address)
                student.full_clean(validate_unique=False, validate_constraints=False)
                new_students.append(student)
                state.students[r.ine] = student
        Student.objects.bulk_create(new_students)
        entries += [audit(s, "create", new=s.ine) for s in new_students]
        updated_students, new_enrolments, updated_enrolments, group_sets = [], [], [], {}
        for item in plan.items:
            r, student = by_ine[item.ine], state.students[item.ine]
            if item.kind in (CHANGED, NEW_ENROLMENT):
                for change in item.changes:
                    if change.field in IDENTITY:
                        setattr(student, change.field, change.new)
                        entries.append(audit(student, "update", change.field, change.old, change.new))
                if any(c.field in IDENTITY for c in item.changes):
                    student.full_clean(validate_unique=False, validate_constraints=False)
                    updated_students.append(student)
            if item.kind in (NEW_STUDENT, NEW_ENROLMENT):
                enrolment = Enrolment(student=student, semester_instance=semester_instance,
                                      parcours_id=r.parcours_id or state.default_parcours_id)
                new_enrolments.append(enrolment)
                group_sets[item.ine] = (enrolment, r.groups or ())
            elif item.kind == CHANGED:
                enrolment = state.enrolments[student.pk]
                for change in item.changes:
                    if change.field == "parcours":
                        enrolment.parcours_id = r.parcours_id
                        updated_enrolments.append(enrolment)
                        entries.append(audit(enrolment, "update", "parcours", change.old, change.new))
                    elif change.field == "groups":
                        group_sets[item.ine] = (enrolment, r.groups)
                        entries.append(audit(enrolment, "update", "groups", change.old, change.new))
        Student.objects.bulk_update(updated_students, list(IDENTITY))
        Enrolment.objects.bulk_create(new_enrolments)
        Enrolment.objects.bulk_update(updated_enrolments, ["parcours"])
        for enrolment in new_enrolments:
            summary = _enrolment_summary(state, enrolment, group_sets[enrolment.student.ine][1])
            entries.append(audit(enrolment, "create", new=summary))
        _set_groups(state.groups, group_sets.values())
        journal(entries)
    return StudentListResult(batch=batch, plan=plan)


def _enrolment_summary(state: _State, enrolment: Enrolment, groups: Sequence[str]) -> str:
    parcours = state.parcours.get(enrolment.parcours_id)
    return f"parcours {parcours.code if parcours else '—'} ; groupes {', '.join(groups) or '—'}"


def _set_groups(groups: dict[str, Group], group_sets) -> None:
    """Replace the groups of the given enrolments (group names, looked up in `groups`) in two queries."""
    through = Enrolment.groups.through
    group_sets = list(group_sets)
    through.objects.filter(enrolment__in=[e.pk for e, _ in group_sets]).delete()
    through.objects.bulk_create([through(enrolment_id=e.pk, group_id=groups[n].pk)
                                 for e, names in group_sets for n in names])


# ---------------------------------------------------------------- undo


def student_list_undo(*, semester_instance: SemesterInstance, batch: str, user) -> int:
    """Undo a student-list import as one step; return the number of changes undone.

    Refused if it was undone already, if a value it wrote changed since, or if a student it enrolled has
    grades, a bonus or jury decisions in the semester.
    """
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        entries = list(AuditEntry.objects.select_for_update().filter(batch=batch).order_by("id"))
        if any(e.source == AuditEntry.Source.UNDO for e in entries):
            raise UndoRefused(LIST_UNDO_ALREADY)
        entries = [e for e in entries if e.source == AuditEntry.Source.IMPORT]
        ids = {kind: {e.object_id for e in entries if e.object_type == kind}
               for kind in ("grading.student", "grading.enrolment", "grading.group")}
        students = {s.pk: s for s in Student.objects.select_for_update().filter(pk__in=ids["grading.student"])}
        enrolments = {e.pk: e for e in Enrolment.objects.filter(pk__in=ids["grading.enrolment"],
                                                                semester_instance=semester_instance)
                      .select_related("student", "parcours").prefetch_related("groups")}
        state_groups = {g.name: g for g in Group.objects.filter(semester_instance=semester_instance)}
        parcours = {p.code: p for p in Parcours.objects.filter(
            speciality_id=semester_instance.semester.programme.speciality_id)}
        created = [e for e in entries if e.object_type == "grading.enrolment" and e.action == "create"]
        used = (Enrolment.objects.filter(pk__in=[e.object_id for e in created])
                .filter(Q(grades__isnull=False) | Q(jury_decisions__isnull=False) | Q(bonus__isnull=False))
                .select_related("student").first())
        if used is not None:
            raise UndoRefused(LIST_UNDO_USED.format(student=used.student))
        changed, group_sets = [], []
        for entry in entries:
            if entry.action != "update":
                continue
            if entry.object_type == "grading.student":
                student = students[entry.object_id]
                if getattr(student, entry.field) != entry.new_value:
                    changed.append(f"{student} ({LABELS[entry.field]})")
                setattr(student, entry.field, entry.old_value)
                continue
            enrolment = enrolments.get(entry.object_id)
            old_groups = [n for n in entry.old_value.split(", ") if n] if entry.field == "groups" else []
            if (enrolment is None or _current(enrolment, entry.field) != entry.new_value
                    or any(n not in state_groups for n in old_groups)):
                changed.append(f"{entry.object_repr} ({LABELS[entry.field]})")
            elif entry.field == "parcours":
                enrolment.parcours = parcours.get(entry.old_value)
            else:
                group_sets.append((enrolment, old_groups))
        if changed:
            raise UndoRefused(LIST_UNDO_CHANGED.format(items=", ".join(changed[:10])))
        Student.objects.bulk_update(students.values(), list(IDENTITY))
        Enrolment.objects.bulk_update(enrolments.values(), ["parcours"])
        _set_groups(state_groups, group_sets)
        Enrolment.objects.filter(pk__in=[e.object_id for e in created]).delete()
        Student.objects.filter(pk__in=[e.object_id for e in entries if e.object_type == "grading.student"
                                       and e.action == "create"], enrolments__isnull=True, user__isnull=True).delete()
        Group.objects.filter(pk__in=ids["grading.group"], enrolments__isnull=True).delete()
        journal(audit_row(object_type=e.object_type, object_id=e.object_id, label=e.object_repr, user=user,
                          source=AuditEntry.Source.UNDO, action="delete" if e.action == "create" else "update",
                          field=e.field, old=e.new_value, new=e.old_value, reason=e.reason, batch=batch)
                for e in reversed(entries))
    return len(entries)


def _current(enrolment: Enrolment, field_name: str) -> str:
    if field_name == "parcours":
        return enrolment.parcours.code if enrolment.parcours else ""
    return _names(enrolment.groups.all())

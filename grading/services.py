"""Writes of the grading app: semesters, enrolments, evaluations, grades, imports, locks.

Each service takes keyword-only arguments, runs in one transaction, uses bulk operations,
and records a GradeChange row for every grade it changes. Grade input always goes through
`grading.validators.parse_grade` (R1); a locked semester refuses every change (R19).
"""
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from curriculum.models import UE, Module, Parcours, Semester
from grading.models import (
    AcademicYear,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    Grade,
    GradeChange,
    Group,
    ImportBatch,
    ModuleResponsible,
    SemesterInstance,
    SemesterLockEvent,
    Student,
)
from grading.validators import ParsedGrade, format_decimal, parse_grade

LOCKED = ("Le semestre {semester} est verrouillé après son jury : aucune modification n'est possible "
          "tant que la direction ne l'a pas déverrouillé.")
CONFLICT = ("Note modifiée entre-temps par quelqu'un d'autre : valeur enregistrée « {current} », "
            "votre saisie « {yours} » n'a pas été enregistrée.")
NOT_ENROLLED = "Cet étudiant n'est pas inscrit à ce semestre."
ALREADY_ENROLLED = "{student} est déjà inscrit à ce semestre."
ALREADY_LOCKED = "Ce semestre est déjà verrouillé."
NOT_LOCKED = "Ce semestre n'est pas verrouillé."
INSTANCE_EXISTS = "Ce semestre est déjà ouvert pour cette année universitaire (changez le libellé pour une 2e session)."
GROUP_EXISTS = "Le groupe « {name} » existe déjà dans ce semestre."
RESPONSIBLE_EXISTS = "{user} est déjà responsable de ce module."
MODULE_NOT_IN_SEMESTER = "Ce module n'appartient pas à ce semestre du programme."
MAX_BELOW_GRADES = "La note maximale ({max}) est inférieure à une note déjà saisie ({value})."
IMPORT_INVALID = "Le fichier contient {count} erreur(s) : rien n'a été enregistré."
IMPORT_STALE = ("Des notes ont changé depuis l'aperçu ({students}) : rien n'a été enregistré, "
                "déposez à nouveau le fichier pour voir un aperçu à jour.")
UNDO_ALREADY = "Cet import a déjà été annulé."
UNDO_CHANGED_SINCE = ("Annulation impossible : {count} note(s) de cet import ont été modifiées depuis "
                      "({students}). Corrigez-les dans la grille.")


class ServiceError(Exception):
    """A refused write, with a French message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SemesterLocked(ServiceError):
    pass


class GradeInvalid(ServiceError):
    pass


class GradeConflict(ServiceError):
    def __init__(self, *, current: str, yours: str, version: int):
        super().__init__(CONFLICT.format(current=current or "vide", yours=yours or "vide"))
        self.current = current
        self.yours = yours
        self.version = version


class ImportInvalid(ServiceError):
    def __init__(self, errors: Sequence[str]):
        super().__init__(IMPORT_INVALID.format(count=len(errors)))
        self.errors = list(errors)


class UndoRefused(ServiceError):
    pass


# ---------------------------------------------------------------- helpers


def _ensure_unlocked(semester_instance: SemesterInstance) -> None:
    """Refuse any change to a locked semester (R19), reading the lock inside the transaction."""
    locked = (SemesterInstance.objects.select_for_update()
              .filter(pk=semester_instance.pk).values_list("is_locked", flat=True).first())
    if locked:
        raise SemesterLocked(LOCKED.format(semester=semester_instance))


def _display(grade: Grade | None) -> str:
    return "" if grade is None else grade.display


@dataclass(frozen=True)
class GradeSaved:
    grade: Grade
    changed: bool
    old: str
    new: str


# ---------------------------------------------------------------- grades


def grade_set(*, evaluation: Evaluation, enrolment: Enrolment, raw, user, expected_version: int | None = None,
              source: str = GradeChange.Source.GRID) -> GradeSaved:
    """Save one grade typed in the grid (or the admin), refusing a stale version.

    `expected_version` is the version the grid displayed (0: no grade row yet); None skips the check.
    """
    parsed = parse_grade(raw, max_score=evaluation.max_score)
    if not parsed.ok:
        raise GradeInvalid(parsed.error)
    if enrolment.semester_instance_id != evaluation.semester_instance_id:
        raise ServiceError(NOT_ENROLLED)
    with transaction.atomic():
        _ensure_unlocked(evaluation.semester_instance)
        grade = Grade.objects.select_for_update().filter(evaluation=evaluation, enrolment=enrolment).first()
        current_version = grade.version if grade else 0
        old = _display(grade)
        if expected_version is not None and expected_version != current_version:
            raise GradeConflict(current=old, yours=parsed.display, version=current_version)
        if old == parsed.display:
            return GradeSaved(grade=grade, changed=False, old=old, new=old)
        if grade is None:
            grade = Grade(evaluation=evaluation, enrolment=enrolment, version=1)
            _fill(grade, parsed, evaluation=evaluation, user=user)
            try:
                with transaction.atomic():
                    grade.save()
            except IntegrityError:
                # Another connection created it first: report its value as a conflict.
                other = Grade.objects.select_for_update().get(evaluation=evaluation, enrolment=enrolment)
                raise GradeConflict(current=_display(other), yours=parsed.display, version=other.version) from None
        else:
            _fill(grade, parsed, evaluation=evaluation, user=user)
            grade.version += 1
            grade.save(update_fields=["value", "code", "max_score", "version", "updated_at", "updated_by"])
        GradeChange.objects.create(evaluation=evaluation, enrolment=enrolment, old_value=old,
                                   new_value=parsed.display, source=source, user=user)
    return GradeSaved(grade=grade, changed=True, old=old, new=parsed.display)


def _fill(grade: Grade, parsed: ParsedGrade, *, evaluation: Evaluation, user) -> None:
    grade.value = parsed.value
    grade.code = parsed.code
    grade.max_score = evaluation.max_score
    grade.updated_by = user


@dataclass
class GradeDiff:
    """What applying new values to an evaluation would do, per enrolment."""

    new: list[tuple[int, str, str]] = field(default_factory=list)  # (enrolment id, old, new)
    changed: list[tuple[int, str, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str, str]] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)  # enrolment id -> current version (0: none)
    grades: dict[int, Grade] = field(default_factory=dict, repr=False)  # enrolment id -> stored grade, if any

    @property
    def changes(self) -> list[tuple[int, str, str]]:
        return self.new + self.changed


def grades_diff(*, evaluation: Evaluation, values: Mapping[int, ParsedGrade], for_update: bool = False) -> GradeDiff:
    """Compare parsed values (enrolment id → grade) with the stored grades, in one query."""
    qs = Grade.objects.filter(evaluation=evaluation, enrolment_id__in=list(values))
    if for_update:
        qs = qs.select_for_update()
    diff = GradeDiff(grades={g.enrolment_id: g for g in qs})
    for enrolment_id, parsed in values.items():
        grade = diff.grades.get(enrolment_id)
        old = _display(grade)
        diff.versions[enrolment_id] = grade.version if grade else 0
        item = (enrolment_id, old, parsed.display)
        if old == parsed.display:
            diff.unchanged.append(item)
        elif old == "":
            diff.new.append(item)
        else:
            diff.changed.append(item)
    return diff


def _apply(*, evaluation: Evaluation, values: Mapping[int, ParsedGrade], user, source: str,
           batch: ImportBatch | None, expected_versions: Mapping[int, int] | None = None) -> GradeDiff:
    """Write the changed grades and their audit rows in bulk (inside the caller's transaction)."""
    diff = grades_diff(evaluation=evaluation, values=values, for_update=True)
    if expected_versions is not None:
        stale = sorted(e for e in values if diff.versions.get(e, 0) != expected_versions.get(e, 0))
        if stale:
            names = ", ".join(str(s) for s in Student.objects.filter(enrolments__id__in=stale))
            raise ServiceError(IMPORT_STALE.format(students=names))
    now = timezone.now()
    to_create, to_update = [], []
    for enrolment_id, _old, _new in diff.changes:
        grade = diff.grades.get(enrolment_id)
        if grade is None:
            grade = Grade(evaluation=evaluation, enrolment_id=enrolment_id, version=1)
            to_create.append(grade)
        else:
            grade.version += 1
            to_update.append(grade)
        _fill(grade, values[enrolment_id], evaluation=evaluation, user=user)
        grade.updated_at = now
    Grade.objects.bulk_create(to_create)
    Grade.objects.bulk_update(to_update, ["value", "code", "max_score", "version", "updated_at", "updated_by"])
    GradeChange.objects.bulk_create([
        GradeChange(evaluation=evaluation, enrolment_id=e, old_value=old, new_value=new, source=source,
                    batch=batch, user=user)
        for e, old, new in diff.changes
    ])
    return diff


@dataclass(frozen=True)
class ImportResult:
    batch: ImportBatch | None
    diff: GradeDiff


def grades_import(*, evaluation: Evaluation, rows: Iterable[tuple[int, object]], user, filename: str,
                  expected_versions: Mapping[int, int] | None = None, dry_run: bool = False) -> ImportResult:
    """Import grades (enrolment id, raw input) for one evaluation: all or nothing, one undoable batch.

    The rows come from `grading.imports` (already checked row by row); they are parsed again here
    so that no caller can write an invalid grade. `expected_versions` (from the preview) refuses the
    import if a grade changed in between. A dry run only computes what would change.
    """
    rows = list(rows)
    values: dict[int, ParsedGrade] = {}
    errors = []
    enrolled = set(Enrolment.objects.filter(semester_instance_id=evaluation.semester_instance_id,
                                            id__in=[e for e, _ in rows]).values_list("id", flat=True))
    for enrolment_id, raw in rows:
        parsed = parse_grade(raw, max_score=evaluation.max_score)
        if not parsed.ok:
            errors.append(parsed.error)
        elif enrolment_id not in enrolled:
            errors.append(NOT_ENROLLED)
        else:
            values[enrolment_id] = parsed
    if errors:
        raise ImportInvalid(errors)
    if dry_run:
        return ImportResult(batch=None, diff=grades_diff(evaluation=evaluation, values=values))
    with transaction.atomic():
        _ensure_unlocked(evaluation.semester_instance)
        batch = ImportBatch.objects.create(evaluation=evaluation, filename=filename[:250], user=user)
        diff = _apply(evaluation=evaluation, values=values, user=user, source=GradeChange.Source.IMPORT,
                      batch=batch, expected_versions=expected_versions)
        if not diff.changes:
            batch.delete()
            batch = None
    return ImportResult(batch=batch, diff=diff)


def import_undo(*, batch: ImportBatch, user) -> int:
    """Restore the grades an import replaced, as one audited step (source undo); return the count.

    Refused if the import was undone already or if one of its grades changed since.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("evaluation__semester_instance").get(
            pk=batch.pk)
        if batch.undone_at is not None:
            raise UndoRefused(UNDO_ALREADY)
        evaluation = batch.evaluation
        _ensure_unlocked(evaluation.semester_instance)
        changes = list(batch.changes.filter(source=GradeChange.Source.IMPORT).order_by("id"))
        if changes:
            later = (GradeChange.objects.filter(evaluation=evaluation, id__gt=changes[0].id,
                                                enrolment_id__in=[c.enrolment_id for c in changes])
                     .exclude(batch=batch).values_list("enrolment_id", flat=True))
            later = set(later)
            if later:
                names = ", ".join(str(s) for s in Student.objects.filter(enrolments__id__in=later))
                raise UndoRefused(UNDO_CHANGED_SINCE.format(count=len(later), students=names))
        # The old values were valid when stored; the maximum may have dropped since, so keep them as they were.
        values = {c.enrolment_id: parse_grade(c.old_value, max_score=Decimal("1e6")) for c in changes}
        _apply(evaluation=evaluation, values=values, user=user, source=GradeChange.Source.UNDO, batch=batch)
        batch.undone_at = timezone.now()
        batch.undone_by = user
        batch.save(update_fields=["undone_at", "undone_by"])
    return len(changes)


# ---------------------------------------------------------------- semesters


def semester_instance_create(*, semester: Semester, start_year: int, label: str = "") -> SemesterInstance:
    """Open a programme's semester for an academic year."""
    with transaction.atomic():
        year, _ = AcademicYear.objects.get_or_create(start_year=start_year)
        if SemesterInstance.objects.filter(semester=semester, academic_year=year, label=label).exists():
            raise ServiceError(INSTANCE_EXISTS)
        instance = SemesterInstance(semester=semester, academic_year=year, label=label)
        instance.full_clean()
        instance.save()
    return instance


def semester_lock(*, semester_instance: SemesterInstance, user, reason: str = "") -> SemesterLockEvent:
    """Lock a semester after its jury (R19), recording who and why."""
    return _set_lock(semester_instance=semester_instance, user=user, reason=reason, locked=True)


def semester_unlock(*, semester_instance: SemesterInstance, user, reason: str = "") -> SemesterLockEvent:
    """Unlock a semester (R19), recording who and why."""
    return _set_lock(semester_instance=semester_instance, user=user, reason=reason, locked=False)


def _set_lock(*, semester_instance, user, reason, locked) -> SemesterLockEvent:
    with transaction.atomic():
        instance = SemesterInstance.objects.select_for_update().get(pk=semester_instance.pk)
        if instance.is_locked == locked:
            raise ServiceError(ALREADY_LOCKED if locked else NOT_LOCKED)
        instance.is_locked = locked
        instance.save(update_fields=["is_locked"])
        event = SemesterLockEvent.objects.create(semester_instance=instance, locked=locked, reason=reason, user=user)
    semester_instance.is_locked = locked
    return event


def group_create(*, semester_instance: SemesterInstance, name: str, kind: str) -> Group:
    with transaction.atomic():
        _ensure_unlocked(semester_instance)
        if Group.objects.filter(semester_instance=semester_instance, name=name).exists():
            raise ServiceError(GROUP_EXISTS.format(name=name))
        return Group.objects.create(semester_instance=semester_instance, name=name, kind=kind)


def group_delete(*, group: Group) -> None:
    with transaction.atomic():
        _ensure_unlocked(group.semester_instance)
        group.delete()


def responsible_add(*, semester_instance: SemesterInstance, module: Module, user) -> ModuleResponsible:
    if module.semester_id != semester_instance.semester_id:
        raise ServiceError(MODULE_NOT_IN_SEMESTER)
    with transaction.atomic():
        _ensure_unlocked(semester_instance)
        if ModuleResponsible.objects.filter(semester_instance=semester_instance, module=module, user=user).exists():
            raise ServiceError(RESPONSIBLE_EXISTS.format(user=user.get_full_name() or user.username))
        return ModuleResponsible.objects.create(semester_instance=semester_instance, module=module, user=user)


def responsible_remove(*, responsible: ModuleResponsible) -> None:
    with transaction.atomic():
        _ensure_unlocked(responsible.semester_instance)
        responsible.delete()


# ---------------------------------------------------------------- students


@dataclass(frozen=True)
class StudentRow:
    """One student to enrol: identity, parcours and group names."""

    ine: str
    last_name: str
    first_name: str
    email: str = ""
    parcours: Parcours | None = None
    groups: tuple[str, ...] = ()


def _group_kind(name: str) -> str:
    return Group.Kind.TP if name.upper().startswith("TP") else Group.Kind.TD


def students_enrol(*, semester_instance: SemesterInstance, rows: Sequence[StudentRow],
                   groups: Iterable[Group] = (), update_existing: bool = True) -> list[Enrolment]:
    """Enrol students (by hand or from a list) in bulk: all or nothing.

    Students are matched on their INE (names and e-mail updated); missing groups named in the rows
    are created (TP… as TP, others as TD). Already enrolled students keep their enrolment: with
    `update_existing` their parcours and groups are replaced, otherwise they are refused.
    """
    with transaction.atomic():
        _ensure_unlocked(semester_instance)
        ines = [r.ine for r in rows]
        students = {s.ine: s for s in Student.objects.filter(ine__in=ines)}
        to_update, to_create = [], []
        for r in rows:
            student = students.get(r.ine)
            if student is None:
                student = Student(ine=r.ine, last_name=r.last_name, first_name=r.first_name, email=r.email)
                student.full_clean(validate_unique=False, validate_constraints=False)
                to_create.append(student)
                students[r.ine] = student
            else:
                student.last_name, student.first_name = r.last_name, r.first_name
                student.email = r.email or student.email
                to_update.append(student)
        Student.objects.bulk_create(to_create)
        Student.objects.bulk_update(to_update, ["last_name", "first_name", "email"])
        enrolments = {e.student_id: e for e in Enrolment.objects.filter(
            semester_instance=semester_instance, student__ine__in=ines).select_related("student")}
        if enrolments and not update_existing:
            raise ServiceError(ALREADY_ENROLLED.format(student=next(iter(enrolments.values())).student))
        by_name = {g.name: g for g in Group.objects.filter(semester_instance=semester_instance)}
        missing = sorted({n for r in rows for n in r.groups} - set(by_name))
        for g in Group.objects.bulk_create([Group(semester_instance=semester_instance, name=n, kind=_group_kind(n))
                                            for n in missing]):
            by_name[g.name] = g
        new, old = [], []
        for r in rows:
            student = students[r.ine]
            enrolment = enrolments.get(student.pk)
            if enrolment is None:
                enrolment = Enrolment(student=student, semester_instance=semester_instance, parcours=r.parcours)
                enrolments[student.pk] = enrolment
                new.append(enrolment)
            else:
                enrolment.parcours = r.parcours
                old.append(enrolment)
        Enrolment.objects.bulk_create(new)
        Enrolment.objects.bulk_update(old, ["parcours"])
        through = Enrolment.groups.through
        through.objects.filter(enrolment__in=old).delete()
        extra = set(groups)
        links = []
        for r in rows:
            enrolment = enrolments[students[r.ine].pk]
            chosen = {by_name[n] for n in r.groups} | extra
            links += [through(enrolment_id=enrolment.pk, group_id=g.pk) for g in chosen]
        through.objects.bulk_create(links)
        everyone = new + old
    return everyone


def enrolment_update(*, enrolment: Enrolment, parcours: Parcours | None, status: str, is_repeat: bool,
                     groups: Iterable[Group]) -> Enrolment:
    with transaction.atomic():
        _ensure_unlocked(enrolment.semester_instance)
        enrolment.parcours = parcours
        enrolment.status = status
        enrolment.is_repeat = is_repeat
        enrolment.full_clean()
        enrolment.save()
        enrolment.groups.set(groups)
    return enrolment


# ---------------------------------------------------------------- evaluations


def evaluation_create(*, semester_instance: SemesterInstance, module: Module, title: str, date=None,
                      coefficient: Decimal = Decimal("1"), max_score: Decimal = Decimal("20"),
                      is_immediate: bool = False, is_rattrapage: bool = False, order: int = 0,
                      weights: Mapping[UE, Decimal] | None = None) -> Evaluation:
    """Create an evaluation of a module, with its weight towards each UE the module feeds (R3, default 1)."""
    if module.semester_id != semester_instance.semester_id:
        raise ServiceError(MODULE_NOT_IN_SEMESTER)
    with transaction.atomic():
        _ensure_unlocked(semester_instance)
        evaluation = Evaluation(semester_instance=semester_instance, module=module, title=title, date=date,
                                coefficient=coefficient, max_score=max_score, is_immediate=is_immediate,
                                is_rattrapage=is_rattrapage, order=order)
        evaluation.full_clean()
        evaluation.save()
        _set_weights(evaluation=evaluation, weights=weights or {})
    return evaluation


def evaluation_update(*, evaluation: Evaluation, title: str, date=None, coefficient: Decimal, max_score: Decimal,
                      is_immediate: bool, is_rattrapage: bool, order: int = 0,
                      weights: Mapping[UE, Decimal] | None = None) -> Evaluation:
    """Change an evaluation; a lower maximum is refused while a grade exceeds it."""
    with transaction.atomic():
        _ensure_unlocked(evaluation.semester_instance)
        above = (Grade.objects.filter(evaluation=evaluation, value__gt=max_score)
                 .order_by("-value").values_list("value", flat=True).first())
        if above is not None:
            raise ServiceError(MAX_BELOW_GRADES.format(max=format_decimal(max_score), value=format_decimal(above)))
        for name, value in {"title": title, "date": date, "coefficient": coefficient, "max_score": max_score,
                            "is_immediate": is_immediate, "is_rattrapage": is_rattrapage, "order": order}.items():
            setattr(evaluation, name, value)
        evaluation.full_clean()
        evaluation.save()
        Grade.objects.filter(evaluation=evaluation).update(max_score=max_score)
        _set_weights(evaluation=evaluation, weights=weights or {})
    return evaluation


def _set_weights(*, evaluation: Evaluation, weights: Mapping[UE, Decimal]) -> None:
    """Store one weight row per UE the module feeds (ModuleUE); missing weights are 1."""
    ues = UE.objects.filter(module_rows__module=evaluation.module)
    EvaluationWeight.objects.filter(evaluation=evaluation).delete()
    EvaluationWeight.objects.bulk_create([
        EvaluationWeight(evaluation=evaluation, ue=ue, weight=weights.get(ue, Decimal("1"))) for ue in ues
    ])

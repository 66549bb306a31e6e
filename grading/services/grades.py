"""Grade writes: one cell from the grid, a whole evaluation from a spreadsheet, undo of an import."""
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from grading.grade_text import ParsedGrade, parse_grade
from grading.models import (
    Enrolment,
    Evaluation,
    Grade,
    GradeChange,
    ImportBatch,
    Student,
)
from grading.services.errors import (
    IMPORT_STALE,
    NOT_ENROLLED,
    UNDO_ALREADY,
    UNDO_CHANGED_SINCE,
    GradeConflict,
    GradeInvalid,
    ImportInvalid,
    ServiceError,
    UndoRefused,
    ensure_unlocked,
    grade_text,
)
from grading.services.system_user import system_user


@dataclass(frozen=True)
class GradeSaved:
    grade: Grade
    changed: bool
    old: str
    new: str


# ---------------------------------------------------------------- grades


def grade_set(*, evaluation: Evaluation, enrolment: Enrolment | None = None, enrolment_id: int | None = None, raw,
              user, expected_version: int | None = None, source: str = GradeChange.Source.GRID) -> GradeSaved:
    """Save one grade typed in the grid (or the admin), refusing a stale version.

    `expected_version` is the version the grid displayed (0: no grade row yet); None skips the check. The enrolment
    comes as a model or by id (the grid's save), checked against the evaluation's semester either way. Four queries:
    lock the semester instance (bumping its results version), read the enrolment's grade, write it, audit it.
    """
    parsed = parse_grade(raw, max_score=evaluation.max_score)
    if not parsed.ok:
        raise GradeInvalid(parsed.error)
    if enrolment is not None:
        if enrolment.semester_instance_id != evaluation.semester_instance_id:
            raise ServiceError(NOT_ENROLLED)
        enrolment_id = enrolment.pk
    try:
        with transaction.atomic():
            # Every writer of an instance's grades locks its row first: from here no one else changes this grade.
            ensure_unlocked(evaluation.semester_instance)
            grade = _current_grade(evaluation=evaluation, enrolment_id=enrolment_id)
            current_version = grade.version if grade else 0
            old = grade_text(grade)
            if expected_version is not None and expected_version != current_version:
                raise GradeConflict(current=old, yours=parsed.display, version=current_version)
            if old == parsed.display:
                return GradeSaved(grade=grade, changed=False, old=old, new=old)
            if grade is None:
                grade = Grade(evaluation=evaluation, enrolment_id=enrolment_id, version=1)
                _fill(grade, parsed, evaluation=evaluation, user=user)
                grade.save(force_insert=True)
            else:
                _fill(grade, parsed, evaluation=evaluation, user=user)
                grade.version += 1
                grade.save(update_fields=["value", "code", "max_score", "version", "updated_at", "updated_by"])
            GradeChange.objects.create(evaluation=evaluation, enrolment_id=enrolment_id, old_value=old,
                                       new_value=parsed.display, source=source, user=user)
    except IntegrityError:
        # Only a writer that skipped the instance lock could have created it meanwhile: report its value.
        other = Grade.objects.get(evaluation=evaluation, enrolment_id=enrolment_id)
        raise GradeConflict(current=grade_text(other), yours=parsed.display, version=other.version) from None
    return GradeSaved(grade=grade, changed=True, old=old, new=parsed.display)


def _current_grade(*, evaluation: Evaluation, enrolment_id: int) -> Grade | None:
    """Return the enrolment's grade in the evaluation (None if none yet), checking in the same query that the
    enrolment belongs to the evaluation's semester (refused otherwise)."""
    row = (Enrolment.objects.filter(pk=enrolment_id, semester_instance_id=evaluation.semester_instance_id)
           .annotate(grade=FilteredRelation("grades", condition=Q(grades__evaluation=evaluation)))
           .values_list("grade__id", "grade__value", "grade__code", "grade__max_score", "grade__version",
                        "grade__updated_at", "grade__updated_by_id")
           .first())
    if row is None:
        raise ServiceError(NOT_ENROLLED)
    grade_id, value, code, max_score, version, updated_at, updated_by_id = row
    if grade_id is None:
        return None
    return Grade(id=grade_id, evaluation=evaluation, enrolment_id=enrolment_id, value=value, code=code,
                 max_score=max_score, version=version, updated_at=updated_at, updated_by_id=updated_by_id)


def _fill(grade: Grade, parsed: ParsedGrade, *, evaluation: Evaluation, user) -> None:
    grade.value = parsed.value
    grade.code = parsed.code
    grade.max_score = evaluation.max_score
    grade.updated_by = user


@dataclass(frozen=True)
class ImportConflict:
    """A row of an import whose grade changed since the sheet was downloaded: three values to choose from."""

    enrolment_id: int
    at_export: str
    now: str
    in_file: str
    accepted: bool


@dataclass
class GradeDiff:
    """What applying new values to an evaluation would do, per enrolment."""

    new: list[tuple[int, str, str]] = field(default_factory=list)  # (enrolment id, old, new)
    changed: list[tuple[int, str, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str, str]] = field(default_factory=list)
    conflicts: list[ImportConflict] = field(default_factory=list)  # the accepted ones are in new/changed too
    versions: dict[int, int] = field(default_factory=dict)  # enrolment id -> current version (0: none)
    grades: dict[int, Grade] = field(default_factory=dict, repr=False)  # enrolment id -> stored grade, if any

    @property
    def changes(self) -> list[tuple[int, str, str]]:
        return self.new + self.changed

    @property
    def set_aside(self) -> list[ImportConflict]:
        """Return the conflicts left as they are (not ticked)."""
        return [c for c in self.conflicts if not c.accepted]


def grades_diff(*, evaluation: Evaluation, values: Mapping[int, ParsedGrade], for_update: bool = False,
                exported: Mapping[int, tuple[int, str]] | None = None,
                accepted_conflicts: Collection[int] = ()) -> GradeDiff:
    """Compare parsed values (enrolment id → grade) with the stored grades, in one query.

    With `exported` (enrolment id → (version, grade) when the sheet was downloaded), a row whose grade
    changed since and differs from the file is a conflict: left out unless its enrolment is accepted.
    """
    qs = Grade.objects.filter(evaluation=evaluation, enrolment_id__in=list(values))
    if for_update:
        qs = qs.select_for_update()
    diff = GradeDiff(grades={g.enrolment_id: g for g in qs})
    for enrolment_id, parsed in values.items():
        grade = diff.grades.get(enrolment_id)
        old = grade_text(grade)
        version = grade.version if grade else 0
        diff.versions[enrolment_id] = version
        item = (enrolment_id, old, parsed.display)
        if exported is not None and old != parsed.display:
            at_export_version, at_export = exported.get(enrolment_id, (0, ""))
            if at_export_version != version:
                accepted = enrolment_id in accepted_conflicts
                diff.conflicts.append(ImportConflict(enrolment_id=enrolment_id, at_export=at_export, now=old,
                                                     in_file=parsed.display, accepted=accepted))
                if not accepted:
                    continue
        if old == parsed.display:
            diff.unchanged.append(item)
        elif old == "":
            diff.new.append(item)
        else:
            diff.changed.append(item)
    return diff


def _apply(*, evaluation: Evaluation, values: Mapping[int, ParsedGrade], user, source: str,
           batch: ImportBatch | None, expected_versions: Mapping[int, int] | None = None,
           exported: Mapping[int, tuple[int, str]] | None = None, accepted_conflicts: Collection[int] = ()
           ) -> GradeDiff:
    """Write the changed grades and their audit rows in bulk (inside the caller's transaction)."""
    diff = grades_diff(evaluation=evaluation, values=values, for_update=True, exported=exported,
                       accepted_conflicts=accepted_conflicts)
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
                  expected_versions: Mapping[int, int] | None = None,
                  exported: Mapping[int, tuple[int, str]] | None = None, accepted_conflicts: Collection[int] = (),
                  dry_run: bool = False) -> ImportResult:
    """Import grades (enrolment id, raw input) for one evaluation: all or nothing, one undoable batch.

    The rows come from `grading.imports` (already checked row by row); they are parsed again here
    so that no caller can write an invalid grade. `exported` is what the sheet was made from: a grade
    changed since is a conflict, written only if its enrolment is in `accepted_conflicts`, otherwise left
    as it is (`diff.set_aside`). `expected_versions` (from the preview) refuses the import if a grade
    changed in between. A dry run only computes what would change. `user` None records the system user.
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
        return ImportResult(batch=None, diff=grades_diff(evaluation=evaluation, values=values, exported=exported,
                                                         accepted_conflicts=accepted_conflicts))
    user = user or system_user()
    with transaction.atomic():
        ensure_unlocked(evaluation.semester_instance)
        batch = ImportBatch.objects.create(evaluation=evaluation, filename=filename[:250], user=user)
        diff = _apply(evaluation=evaluation, values=values, user=user, source=GradeChange.Source.IMPORT,
                      batch=batch, expected_versions=expected_versions, exported=exported,
                      accepted_conflicts=accepted_conflicts)
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
        ensure_unlocked(evaluation.semester_instance)
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

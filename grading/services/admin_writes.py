"""Writes made through the Django admin: the pages' checks (lock R19, maximum above the grades) and an audit row
per changed field (`AuditEntry`, source admin, one batch key per save).
"""
from django.db import models, transaction

from grading.models import (
    AuditEntry,
    Bonus,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    SemesterInstance,
)
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ensure_unlocked
from grading.services.evaluations import ensure_max_covers_grades

ADMIN_BATCH_PREFIX = "admin"


def semester_ids(obj: models.Model) -> set[int]:
    """Return the semester instances an object belongs to (none for students, users…), as it is in memory."""
    if isinstance(obj, SemesterInstance):
        return {obj.pk} if obj.pk else set()
    if isinstance(obj, Bonus):
        return {obj.enrolment.semester_instance_id} if obj.enrolment_id else set()
    if isinstance(obj, EvaluationWeight):
        return {obj.evaluation.semester_instance_id} if obj.evaluation_id else set()
    if isinstance(obj, ExternalValidation):
        # a validated UE counts in the student's semesters of that number (R11): a closed jury's among them
        if not (obj.student_id and obj.ue_id):
            return set()
        return set(Enrolment.objects.filter(student_id=obj.student_id,
                                            semester_instance__semester__number=obj.ue.semester.number)
                   .values_list("semester_instance_id", flat=True))
    semester_instance_id = getattr(obj, "semester_instance_id", None)
    return {semester_instance_id} if semester_instance_id else set()


def locked_semester(ids: set[int]) -> SemesterInstance | None:
    """Return a locked semester instance among `ids`, if any (read, for the admin's forms and permissions)."""
    return SemesterInstance.objects.filter(pk__in=ids, is_locked=True).named().first() if ids else None


def stored_ids(obj: models.Model) -> set[int]:
    """Return the semester instances of the object as stored (before the admin's form changed it)."""
    if not obj.pk:
        return set()
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return semester_ids(stored) if stored is not None else set()


def _ensure_unlocked(ids: set[int]) -> None:
    for instance in SemesterInstance.objects.filter(pk__in=ids).named().order_by("pk"):
        ensure_unlocked(instance)


def _fields(obj: models.Model) -> list[models.Field]:
    return [f for f in obj._meta.concrete_fields if not f.primary_key]


def _shown(obj: models.Model, f: models.Field) -> str:
    value = getattr(obj, f.attname)
    if f.is_relation and value is not None:
        return str(getattr(obj, f.name))
    return "" if value is None else str(value)


def admin_save(*, obj: models.Model, user, batch: str = "") -> str:
    """Save an object edited in the admin, with the pages' checks; audit each changed field; return the batch."""
    batch = batch or batch_key(ADMIN_BATCH_PREFIX)
    with transaction.atomic():
        _ensure_unlocked(semester_ids(obj) | stored_ids(obj))
        before = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
        if isinstance(obj, Evaluation) and before is not None and obj.max_score != before.max_score:
            ensure_max_covers_grades(evaluation=before, max_score=obj.max_score)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        if isinstance(obj, Evaluation):
            Grade.objects.filter(evaluation=obj).update(max_score=obj.max_score)  # the database checks the range
        if before is None:
            rows = [audit_row(obj=obj, action="create", user=user, source=AuditEntry.Source.ADMIN, batch=batch,
                              new=str(obj))]
        else:
            rows = [audit_row(obj=obj, action="update", user=user, source=AuditEntry.Source.ADMIN, batch=batch,
                              field=f.name, old=_shown(before, f), new=_shown(obj, f))
                    for f in _fields(obj) if getattr(before, f.attname) != getattr(obj, f.attname)]
        journal(rows)
    return batch


def admin_delete(*, obj: models.Model, user, batch: str = "") -> None:
    """Delete an object from the admin if its semester is not locked; audit it."""
    with transaction.atomic():
        _ensure_unlocked(stored_ids(obj))
        audit_row(obj=obj, action="delete", user=user, source=AuditEntry.Source.ADMIN,
                  batch=batch or batch_key(ADMIN_BATCH_PREFIX), old=str(obj)).save()
        obj.delete()


def admin_audit_many(*, obj: models.Model, field_name: str, old: str, new: str, user, batch: str) -> None:
    """Audit a many-to-many field changed in the admin (e.g. an enrolment's groups)."""
    if old != new:
        audit_row(obj=obj, action="update", user=user, source=AuditEntry.Source.ADMIN, batch=batch,
                  field=field_name, old=old, new=new).save()

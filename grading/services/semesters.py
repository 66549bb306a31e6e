"""Semester instances: opening, lock and unlock (R19), groups, module responsibles."""

from django.db import transaction

from butgmp.people import person_name
from curriculum.models import Module, Semester
from grading.models import (
    AcademicYear,
    Group,
    ModuleResponsible,
    SemesterInstance,
    SemesterLockEvent,
)
from grading.services.errors import (
    ALREADY_LOCKED,
    GROUP_EXISTS,
    INSTANCE_EXISTS,
    MODULE_NOT_IN_SEMESTER,
    NOT_LOCKED,
    RESPONSIBLE_EXISTS,
    ServiceError,
    ensure_unlocked,
)

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
        ensure_unlocked(semester_instance)
        if Group.objects.filter(semester_instance=semester_instance, name=name).exists():
            raise ServiceError(GROUP_EXISTS.format(name=name))
        return Group.objects.create(semester_instance=semester_instance, name=name, kind=kind)


def group_delete(*, group: Group) -> None:
    with transaction.atomic():
        ensure_unlocked(group.semester_instance)
        group.delete()


def responsible_add(*, semester_instance: SemesterInstance, module: Module, user,
                    lead: bool = False) -> ModuleResponsible:
    """Let `user` grade `module` in the instance; `lead`: as its responsible (one per module, the caller sees to it)."""
    if module.semester_id != semester_instance.semester_id:
        raise ServiceError(MODULE_NOT_IN_SEMESTER)
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        if ModuleResponsible.objects.filter(semester_instance=semester_instance, module=module, user=user).exists():
            raise ServiceError(RESPONSIBLE_EXISTS.format(user=person_name(user)))
        return ModuleResponsible.objects.create(semester_instance=semester_instance, module=module, user=user,
                                                lead=lead)


def responsible_remove(*, responsible: ModuleResponsible) -> None:
    with transaction.atomic():
        ensure_unlocked(responsible.semester_instance)
        responsible.delete()

"""Bulk actions on a semester's enrolment list: status or group of several students at once, in the journal."""
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from grading.engine.codes import EnrolmentStatus
from grading.models import AuditEntry, Enrolment, Group, SemesterInstance
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError, ensure_unlocked

NOT_THIS_SEMESTER = "Ces inscriptions n'appartiennent pas toutes au semestre {semester}."
GROUP_NOT_THIS_SEMESTER = "Le groupe {group} n'appartient pas au semestre {semester}."
STATUS_FIELD = "status"
GROUPS_FIELD = "groups"


@dataclass(frozen=True)
class BulkChange:
    """What a bulk action changed: how many enrolments, under which journal batch key ("" when none)."""

    changed: int
    batch: str = ""


def _check(semester_instance: SemesterInstance, enrolments: Sequence[Enrolment]) -> None:
    if any(e.semester_instance_id != semester_instance.pk for e in enrolments):
        raise ServiceError(NOT_THIS_SEMESTER.format(semester=semester_instance))


def enrolments_set_status(*, semester_instance: SemesterInstance, enrolments: Sequence[Enrolment], status: str,
                          user, reason: str = "") -> BulkChange:
    """Give several enrolments one status (DEM, DEF…).

    One journal row per enrolment whose status changes, all in one batch.
    """
    status = EnrolmentStatus(status)
    _check(semester_instance, enrolments)
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        locked = list(Enrolment.objects.select_for_update().select_related("student")
                      .filter(pk__in=[e.pk for e in enrolments]).order_by("pk"))
        changed = [e for e in locked if e.status != status]
        if not changed:
            return BulkChange(changed=0)
        batch = batch_key("enrolments")
        entries = [audit_row(obj=e, action="update", source=AuditEntry.Source.APP, field=STATUS_FIELD,
                             old=e.get_status_display(), new=EnrolmentStatus.labels()[status],
                             user=user, batch=batch, reason=reason)
                   for e in changed]
        Enrolment.objects.filter(pk__in=[e.pk for e in changed]).update(status=status)
        journal(entries)
    return BulkChange(changed=len(changed), batch=batch)


def enrolments_set_group(*, semester_instance: SemesterInstance, enrolments: Sequence[Enrolment], group: Group,
                         add: bool, user, reason: str = "") -> BulkChange:
    """Add several enrolments to a group (or take them out of it), one journal row per enrolment changed."""
    _check(semester_instance, enrolments)
    if group.semester_instance_id != semester_instance.pk:
        raise ServiceError(GROUP_NOT_THIS_SEMESTER.format(group=group, semester=semester_instance))
    through = Enrolment.groups.through
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        locked = list(Enrolment.objects.select_for_update().select_related("student")
                      .filter(pk__in=[e.pk for e in enrolments]).order_by("pk"))
        members = set(through.objects.filter(group=group, enrolment__in=locked).values_list("enrolment_id", flat=True))
        changed = [e for e in locked if (e.pk in members) != add]
        if not changed:
            return BulkChange(changed=0)
        batch = batch_key("enrolments")
        entries = [audit_row(obj=e, action="update", source=AuditEntry.Source.APP, field=GROUPS_FIELD,
                             old="" if add else group.name, new=group.name if add else "",
                             user=user, batch=batch, reason=reason) for e in changed]
        if add:
            through.objects.bulk_create([through(enrolment_id=e.pk, group_id=group.pk) for e in changed])
        else:
            through.objects.filter(group=group, enrolment__in=changed).delete()
        journal(entries)
    return BulkChange(changed=len(changed), batch=batch)

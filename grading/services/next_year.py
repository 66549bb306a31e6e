"""Writes of the next year's enrolments: a missing semester opened for the next academic year, and the promotion
enrolled where its plan (jury.next_year) sends each student. Both journaled (AuditEntry), each in one transaction.

The enrolment takes its plan as a function and reads it again once the target semesters are locked (the UPDATE of
`ensure_unlocked`): two confirmations at once, or a rerun, never enrol anybody twice; who has no target is left
as they are (never all-or-nothing).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from curriculum.models import Semester
from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, SemesterInstance
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ensure_unlocked
from grading.services.semesters import semester_instance_create

BATCH_PREFIX = "annee-suivante"


@dataclass(frozen=True)
class NewEnrolment:
    """One enrolment a plan asks for: `enrolment` is the student's enrolment it comes from (student, parcours)."""

    enrolment: Enrolment
    instance: SemesterInstance
    is_repeat: bool


@dataclass(frozen=True)
class EnrolResult:
    created: int
    students: int
    batch: str


def next_year_semester_open(*, semester: Semester, start_year: int, label: str, user, reason: str
                            ) -> SemesterInstance:
    """Open a programme's semester for the next academic year (as the semester form does), journaled."""
    with transaction.atomic():
        instance = semester_instance_create(semester=semester, start_year=start_year, label=label)
        journal([audit_row(obj=instance, action="create", user=user, new=str(instance), reason=reason,
                           batch=batch_key(BATCH_PREFIX))])
    return instance


def next_year_enrolments_create(*, planned: Callable[[], list[NewEnrolment]], user, reason: str) -> EnrolResult:
    """Create the enrolments `planned()` asks for, once each, audited as one batch (nothing when none)."""
    batch = batch_key(BATCH_PREFIX)
    with transaction.atomic():
        locked = {n.instance.pk: n.instance for n in planned()}
        for pk in sorted(locked):
            ensure_unlocked(locked[pk])  # locks the target's row: a concurrent confirmation waits here
        wanted = planned()  # read again under the locks: nobody twice
        existing = set(Enrolment.objects.filter(
            student_id__in={n.enrolment.student_id for n in wanted},
            semester_instance_id__in={n.instance.pk for n in wanted}).values_list("student_id", "semester_instance_id"))
        created, seen = [], set()
        for new in wanted:
            key = (new.enrolment.student_id, new.instance.pk)
            if key in existing or key in seen or new.instance.pk not in locked:
                continue
            seen.add(key)
            created.append(Enrolment(student=new.enrolment.student, semester_instance=new.instance,
                                     parcours=new.enrolment.parcours, status=EnrolmentStatus.ENROLLED,
                                     is_repeat=new.is_repeat))
        Enrolment.objects.bulk_create(created)
        journal(audit_row(obj=e, action="create", user=user, label=f"{e.student} – {e.semester_instance}",
                          new=f"{e.semester_instance}{' (redoublement)' if e.is_repeat else ''}", reason=reason,
                          batch=batch)
                for e in created)
    return EnrolResult(created=len(created), students=len({e.student_id for e in created}), batch=batch)

"""From a roll call, the secretariat may set `ABS` (R1) on an evaluation of the slot's module dated that day, for the
students marked absent: offered on the slot's page, never automatic; only where no grade is entered yet (a grade
already there is kept and named); refused on a locked semester (R19)."""
from dataclasses import dataclass, field

from django.db import transaction

from grading.engine.codes import GradeCode
from grading.models import AttendanceMark, AttendanceSlot, Evaluation, GradeChange
from grading.services.errors import GradeConflict, ServiceError, ensure_unlocked
from grading.services.grades import grade_set

NOT_THAT_DAY = "Cette évaluation n'est pas du module et du jour de cet appel."


@dataclass
class AbsOutcome:
    set: list[str] = field(default_factory=list)  # students now ABS
    kept: list[str] = field(default_factory=list)  # students who already had a grade (kept)


def evaluations_for_slot(slot: AttendanceSlot):
    """Return the evaluations the slot may set ABS on: its module's, in its semester, dated its day."""
    if slot.module_id is None:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(semester_instance_id=slot.semester_instance_id, module_id=slot.module_id,
                                     date=slot.date).order_by("order", "id")


def absent_to_abs(*, slot: AttendanceSlot, evaluation: Evaluation, user) -> AbsOutcome:
    """Set ABS on `evaluation` for the slot's absent students who have no grade yet, in one transaction."""
    if not evaluations_for_slot(slot).filter(pk=evaluation.pk).exists():
        raise ServiceError(NOT_THAT_DAY)
    outcome = AbsOutcome()
    with transaction.atomic():
        ensure_unlocked(evaluation.semester_instance)
        absent = (AttendanceMark.objects.filter(slot=slot, status=AttendanceMark.Status.ABSENT)
                  .select_related("enrolment__student").order_by("enrolment__student__last_name"))
        for mark in absent:
            try:
                grade_set(evaluation=evaluation, enrolment=mark.enrolment, raw=GradeCode.ABS.value, user=user,
                          expected_version=0, source=GradeChange.Source.ROLL_CALL)
            except GradeConflict:
                outcome.kept.append(str(mark.enrolment.student))
            else:
                outcome.set.append(str(mark.enrolment.student))
    return outcome

"""What the attendance pages read: the roll calls of a semester, the students a roll call lists, a slot's marks and
the history of its corrections, the justifications to decide, the promotions' alert addresses (the counts are in
`grading.attendance_counts`)."""
from curriculum.models import Programme
from grading.engine.codes import EnrolmentStatus
from grading.models import (
    AcademicYear,
    AttendanceMark,
    AttendanceSlot,
    AuditEntry,
    Enrolment,
    Group,
    Justification,
    PromotionAttendanceContact,
    SemesterInstance,
)


def slots_of(*, semester_instance, group=None, module_ids=None):
    """Return the roll calls of a semester (of one group, or of the modules given), newest first, with their counts."""
    qs = (AttendanceSlot.objects.filter(semester_instance=semester_instance, kind=AttendanceSlot.Kind.ROLL_CALL)
          .select_related("group", "module", "taken_by"))
    if group is not None:
        qs = qs.filter(group=group)
    if module_ids is not None:
        qs = qs.filter(module_id__in=module_ids)
    return qs.order_by("-date", "-start", "-id")


def roll_call_at(*, semester_instance, group, module, date, start) -> AttendanceSlot | None:
    """Return the roll call already taken for this group, module, date and start, if any."""
    return (AttendanceSlot.objects.filter(semester_instance=semester_instance, kind=AttendanceSlot.Kind.ROLL_CALL,
                                          group=group, module=module, date=date, start=start).first())


def slot_enrolments(*, semester_instance: SemesterInstance, group: Group | None):
    """Return the enrolments a roll call of the group (or of the whole semester) lists: those still enrolled."""
    qs = Enrolment.objects.filter(semester_instance=semester_instance, status=EnrolmentStatus.ENROLLED.value)
    if group is not None:
        qs = qs.filter(groups=group)
    return qs.select_related("student").order_by("student__last_name", "student__first_name", "student__ine")


def slot_marks(slot: AttendanceSlot | None) -> dict[int, AttendanceMark]:
    """Return a slot's marks by enrolment id, with their students (none for a slot not taken yet)."""
    if slot is None:
        return {}
    return {mark.enrolment_id: mark for mark in slot.marks.select_related("enrolment__student")}


def slot_corrections(slot: AttendanceSlot | None) -> list[dict]:
    """Return the corrections of a slot's marks (journal entries), each with the student's name."""
    if slot is None:
        return []
    names = {mark.pk: str(mark.enrolment.student) for mark in slot_marks(slot).values()}
    entries = AuditEntry.objects.filter(object_type="grading.attendancemark", object_id__in=list(names),
                                        action="update").select_related("user")
    return [{"entry": entry, "student": names.get(entry.object_id, "")} for entry in entries]


def slot_totals(slot: AttendanceSlot) -> tuple[int, int]:
    """Return how many students a slot marks absent and late."""
    statuses = list(slot.marks.values_list("status", flat=True))
    return statuses.count(AttendanceMark.Status.ABSENT), statuses.count(AttendanceMark.Status.LATE)


def justifications_to_decide(*, decided_shown: int) -> tuple[list[Justification], list[Justification]]:
    """Return the pending justifications (oldest first) and the latest `decided_shown` decided ones, their
    documents left unread."""
    base = Justification.objects.select_related("student", "decided_by", "submitted_by").defer("document")
    pending = list(base.filter(status=Justification.Status.PENDING).order_by("submitted_at", "id"))
    decided = list(base.exclude(status=Justification.Status.PENDING).order_by("-decided_at", "-id")[:decided_shown])
    return pending, decided


def promotion_contacts():
    """Return the promotions' attendance alert addresses, the latest year first."""
    return (PromotionAttendanceContact.objects.select_related("programme", "academic_year")
            .order_by("-academic_year__start_year", "programme__code"))


def open_promotions() -> list[tuple[Programme, AcademicYear]]:
    """Return the promotions (programme × academic year) that have a semester open, the latest year first."""
    pairs = set(SemesterInstance.objects.values_list("semester__programme", "academic_year").distinct())
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in={p for p, _ in pairs})}
    years = {y.pk: y for y in AcademicYear.objects.filter(pk__in={y for _, y in pairs})}
    return sorted(((programmes[p], years[y]) for p, y in pairs), key=lambda py: (-py[1].start_year, py[0].code))

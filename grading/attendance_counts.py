"""Attendance counts per student and semester, in half-days: a slot starting before the department's split time
(13:00 by default) falls in the morning, otherwise in the afternoon; a half-day with at least one absence is absent;
it is justified when an accepted justification covers its date. Lateness counts the slots marked late.

Read below the loaders (R20 takes each student's unjustified half-days), as `grade_counts` is, and by the pages."""
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from grading.models import AttendanceMark, AttendanceSettings, Enrolment, Justification


@dataclass
class AttendanceCount:
    absent: int = 0  # half-days with an absence
    justified: int = 0
    late: int = 0  # slots marked late
    half_days: list = field(default_factory=list)  # (date, "matin"|"après-midi", justified) in order

    @property
    def unjustified(self) -> int:
        return self.absent - self.justified


def half_day(*, date: datetime.date, start: datetime.time, split: datetime.time) -> tuple[datetime.date, str]:
    """Return the half-day a slot falls in: its date, and "matin" before the split time, "après-midi" from it."""
    return date, "matin" if start < split else "après-midi"


def attendance_counts(*, enrolment_ids: Iterable[int], settings: AttendanceSettings | None = None,
                      ) -> dict[int, AttendanceCount]:
    """Return each enrolment's count (every id given has one, zero when nothing is recorded), in two queries."""
    ids = list(enrolment_ids)
    return _counts(AttendanceMark.objects.filter(enrolment_id__in=ids), ids, settings)


def _counts(marks, ids, settings) -> dict[int, AttendanceCount]:
    counts = {pk: AttendanceCount() for pk in ids}
    rows = list(marks.exclude(status=AttendanceMark.Status.PRESENT)
                .values_list("enrolment_id", "enrolment__student_id", "slot__date", "slot__start", "status"))
    if not rows:
        return counts
    split = (settings or AttendanceSettings.current()).split_time
    absent: dict[int, set] = defaultdict(set)
    students: dict[int, int] = {}
    for enrolment_id, student_id, date, start, status in rows:
        students[enrolment_id] = student_id
        count = counts.setdefault(enrolment_id, AttendanceCount())
        if status == AttendanceMark.Status.LATE:
            count.late += 1
        else:
            absent[enrolment_id].add(half_day(date=date, start=start, split=split))
    covered = _accepted_ranges(set(students.values()))
    for enrolment_id, halves in absent.items():
        ranges = covered.get(students[enrolment_id], [])
        count = counts[enrolment_id]
        for date, part in sorted(halves, key=lambda h: (h[0], h[1] != "matin")):
            justified = any(first <= date <= last for first, last in ranges)
            count.absent += 1
            count.justified += justified
            count.half_days.append((date, part, justified))
    return counts


def _accepted_ranges(student_ids: set[int]) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    ranges: dict[int, list] = defaultdict(list)
    if student_ids:
        for student_id, first, last in (Justification.objects
                                        .filter(student_id__in=student_ids, status=Justification.Status.ACCEPTED)
                                        .values_list("student_id", "first_day", "last_day")):
            ranges[student_id].append((first, last))
    return ranges


def enrolment_count(enrolment_id: int) -> AttendanceCount:
    return attendance_counts(enrolment_ids=[enrolment_id])[enrolment_id]


def student_semester_counts(*, student_id: int, instance_ids: Iterable[int],
                            settings: AttendanceSettings | None = None) -> dict[int, AttendanceCount]:
    """Return a student's count per semester instance where something is recorded (the student's page, the
    bulletin): one query when nothing is, two otherwise (the settings apart)."""
    marks = AttendanceMark.objects.filter(enrolment__student_id=student_id,
                                          enrolment__semester_instance_id__in=list(instance_ids))
    found = _counts(marks, [], settings)
    if not found:
        return {}
    instances = dict(Enrolment.objects.filter(pk__in=list(found)).values_list("pk", "semester_instance_id"))
    return {instances[pk]: count for pk, count in found.items()}

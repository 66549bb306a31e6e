"""What the jury reads of attendance: each student's half-days absent over the scope's semesters (justified or not,
lateness), and « à examiner » when the unjustified ones pass the department's threshold (grading.models.attendance).
"""
from grading.attendance_counts import AttendanceCount, attendance_counts
from grading.models import AttendanceSettings

REVIEW_ABSENCES = "absences : {count} demi-journées non justifiées"


def total(counts) -> AttendanceCount:
    """Return the sum of several enrolments' counts (a year's two semesters)."""
    summed = AttendanceCount()
    for count in counts:
        summed.absent += count.absent
        summed.justified += count.justified
        summed.late += count.late
        summed.half_days += count.half_days
    return summed


def attach_absences(rows) -> None:
    """Give each report row its count (`row.absences`), and a review reason above the department's threshold."""
    counts = attendance_counts(enrolment_ids=[e.pk for row in rows for e in row.enrolments])
    threshold = AttendanceSettings.current().review_threshold if any(c.absent for c in counts.values()) else None
    for row in rows:
        row.absences = total(counts[e.pk] for e in row.enrolments)
        if threshold is not None and row.absences.unjustified > threshold:
            row.review.append(REVIEW_ABSENCES.format(count=row.absences.unjustified))


def absences_text(count: AttendanceCount | None) -> str:
    """« 5 (2 NJ) », what the report's column shows (half-days, of which not justified); « — » without a count."""
    if count is None:
        return "—"
    if not count.absent:
        return "0"
    return f"{count.absent} ({count.unjustified} NJ)"

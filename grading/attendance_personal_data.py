"""A student's attendance in the RGPD export and anonymisation (grading.personal_data appends these): the marks
other than present, the justifications with their documents, the alerts; anonymised, the documents, motives and
addresses go, and the journal rows about them no longer name the student. Kept JUSTIFICATION_DOCUMENTS_DAYS after
their decision, documents are then removed by `justification_documents_purge` (grading.purges)."""
import base64

from grading.models import AttendanceAlert, AttendanceMark, AuditEntry, Justification, Student

ANONYMOUS = "ANON{pk}"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def attendance_export(student: Student) -> list[dict]:
    marks = (AttendanceMark.objects.filter(enrolment__student=student).exclude(status=AttendanceMark.Status.PRESENT)
             .select_related("slot__module", "slot__group", "enrolment__semester_instance")
             .order_by("slot__date", "slot__start"))
    return [{"semester": str(m.enrolment.semester_instance), "date": _when(m.slot.date),
             "start": m.slot.start.strftime("%H:%M"), "end": m.slot.end.strftime("%H:%M"),
             "module": m.slot.module.code if m.slot.module_id else None, "status": m.status} for m in marks]


def justifications_export(student: Student) -> list[dict]:
    return [{"first_day": _when(j.first_day), "last_day": _when(j.last_day), "motive": j.motive,
             "status": j.status, "decision_reason": j.decision_reason, "submitted_at": _when(j.submitted_at),
             "decided_at": _when(j.decided_at), "filename": j.filename, "content_type": j.content_type,
             "document_base64": base64.b64encode(bytes(j.document)).decode() if j.document is not None else None}
            for j in Justification.objects.filter(student=student).order_by("submitted_at")]


def alerts_export(student: Student) -> list[dict]:
    return [{"threshold": a.threshold, "count": a.count, "raised_at": _when(a.raised_at), "sent_at": _when(a.sent_at),
             "recipients": a.recipients, "cleared_at": _when(a.cleared_at)}
            for a in AttendanceAlert.objects.filter(enrolment__student=student).order_by("raised_at")]


def attendance_anonymise(student: Student) -> None:
    """Remove the documents, motives and alert addresses; the journal rows about them stay without the person."""
    justifications = list(Justification.objects.filter(student=student).values_list("pk", flat=True))
    marks = list(AttendanceMark.objects.filter(enrolment__student=student).values_list("pk", flat=True))
    Justification.objects.filter(pk__in=justifications).update(document=None, filename="", motive="",
                                                               decision_reason="")
    AttendanceAlert.objects.filter(enrolment__student=student).update(recipients="")
    anonymous = ANONYMOUS.format(pk=student.pk)
    AuditEntry.objects.filter(object_type="grading.justification", object_id__in=justifications).update(
        object_repr=anonymous, reason="")
    AuditEntry.objects.filter(object_type="grading.justification", object_id__in=justifications,
                              field="document").update(new_value="", old_value="")
    AuditEntry.objects.filter(object_type="grading.attendancemark", object_id__in=marks).update(object_repr=anonymous)

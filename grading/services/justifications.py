"""Justifications of absences: a student's upload (PDF, PNG or JPEG, 5 MB at most, its type read from its content),
the scolarité's decision with a reason, and staff justifying without a document. Journaled (AuditEntry)."""
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grading.cache_versions import bump_student
from grading.models import (
    AttendanceMark,
    AttendanceSettings,
    Enrolment,
    Justification,
    Student,
)
from grading.models.attendance import MAX_DOCUMENT_BYTES
from grading.services.attendance_alerts import alerts_check
from grading.services.audit_entries import audit_row, journal
from grading.services.errors import ServiceError

TOO_LARGE = "Le justificatif dépasse 5 Mo : déposez un fichier plus léger."
EMPTY = "Le fichier déposé est vide."
BAD_TYPE = "Le justificatif doit être un PDF, une image PNG ou JPEG (le contenu du fichier n'en est pas un)."
DATES = "La date de fin précède la date de début."
TOO_LONG = "Un justificatif couvre au plus 366 jours."
ALREADY_DECIDED = "Ce justificatif a déjà été {status}."
REFUSAL_REASON = "Indiquez le motif du refus."
LOCKED = ("Ces dates touchent le {semester}, verrouillé par son jury : la pénalité d'assiduité (R20) changerait ses "
          "moyennes. Déverrouillez-le d'abord (la direction, avec un motif).")
MAX_DAYS = 366

# The first bytes of each accepted type (its content decides, never its name or the browser's claim).
SIGNATURES = ((b"%PDF-", "application/pdf", "pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
              (b"\xff\xd8\xff", "image/jpeg", "jpg"))


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and its bytes (read bounded by the caller, see `read_upload`)."""

    name: str
    data: bytes


def read_upload(file) -> Upload:
    """Read an uploaded file, refusing it before reading more than the limit."""
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise ServiceError(TOO_LARGE)
    data = file.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ServiceError(TOO_LARGE)
    return Upload(name=file.name or "", data=data)


def document_type(data: bytes) -> tuple[str, str]:
    """Return (content type, extension) read from the document's first bytes, or refuse it."""
    if not data:
        raise ServiceError(EMPTY)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ServiceError(TOO_LARGE)
    for signature, content_type, extension in SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    raise ServiceError(BAD_TYPE)


def _results_changed(student: Student, user) -> None:
    """Justified absences may change averages (R20): what pages cached of the student's open semesters is stale;
    and an alert may fall below its threshold."""
    bump_student(student.pk, unlocked_only=True)
    alerts_check(enrolment_ids=list(Enrolment.objects.filter(student=student).values_list("pk", flat=True)),
                 user=user)


def _check_dates(first_day: datetime.date, last_day: datetime.date) -> None:
    if last_day < first_day:
        raise ServiceError(DATES)
    if (last_day - first_day).days >= MAX_DAYS:
        raise ServiceError(TOO_LONG)


def _check_unlocked(student: Student, first_day: datetime.date, last_day: datetime.date) -> None:
    """Refuse to justify absences of a semester locked by its jury while R20 is on: justified, they would change
    its averages behind the jury's back (R19)."""
    if not AttendanceSettings.current().penalty_enabled:
        return
    locked = (AttendanceMark.objects.filter(
        enrolment__student=student, enrolment__semester_instance__is_locked=True, slot__date__gte=first_day,
        slot__date__lte=last_day, status=AttendanceMark.Status.ABSENT)  # lateness never counts in R20
        .select_related("enrolment__semester_instance__semester", "enrolment__semester_instance__academic_year")
        .first())
    if locked is not None:
        raise ServiceError(LOCKED.format(semester=locked.enrolment.semester_instance))


def justification_submit(*, student: Student, first_day: datetime.date, last_day: datetime.date, motive: str,
                         upload: Upload, user) -> Justification:
    """A student's justification with its document, pending the scolarité's decision."""
    _check_dates(first_day, last_day)
    content_type, extension = document_type(upload.data)
    stem = (upload.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "justificatif")[:150]
    with transaction.atomic():
        justification = Justification.objects.create(
            student=student, first_day=first_day, last_day=last_day, motive=motive.strip()[:300],
            document=upload.data, content_type=content_type, filename=f"{stem}.{extension}", submitted_by=user)
        journal([audit_row(obj=justification, action="create", field="document",
                           new=f"{justification.filename} ({len(upload.data)} octets)", user=user)])
    return justification


def justification_by_staff(*, student: Student, first_day: datetime.date, last_day: datetime.date, motive: str,
                           user) -> Justification:
    """Staff justify a student's absences without a document: accepted at once, with its motive."""
    _check_dates(first_day, last_day)
    if not motive.strip():
        raise ServiceError("Indiquez le motif.")
    _check_unlocked(student, first_day, last_day)
    with transaction.atomic():
        justification = Justification.objects.create(
            student=student, first_day=first_day, last_day=last_day, motive=motive.strip()[:300],
            status=Justification.Status.ACCEPTED, decision_reason=motive.strip()[:300], submitted_by=user,
            decided_by=user, decided_at=timezone.now())
        journal([audit_row(obj=justification, action="create", field="status",
                           new=justification.get_status_display(), reason=justification.motive, user=user)])
        _results_changed(student, user)
    return justification


def justification_decide(*, justification: Justification, accept: bool, reason: str, user) -> Justification:
    """Accept or refuse a pending justification (a refusal needs its reason); accepted, it justifies the absences of
    its dates (read by grading.attendance_counts)."""
    reason = reason.strip()[:300]
    if not accept and not reason:
        raise ServiceError(REFUSAL_REASON)
    with transaction.atomic():
        current = Justification.objects.select_for_update().get(pk=justification.pk)
        if current.status != Justification.Status.PENDING:
            raise ServiceError(ALREADY_DECIDED.format(status=current.get_status_display()))
        if accept:
            _check_unlocked(current.student, current.first_day, current.last_day)
        old = current.get_status_display()
        current.status = Justification.Status.ACCEPTED if accept else Justification.Status.REFUSED
        current.decision_reason = reason
        current.decided_by = user
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        journal([audit_row(obj=current, action="update", field="status", old=old, new=current.get_status_display(),
                           reason=reason, user=user)])
        if accept:
            _results_changed(current.student, user)
    return current

"""Attendance alerts: when a student's unjustified half-days in a semester reach the department's threshold, one
e-mail to the student and to the promotion's address (if the department set one), queued in the caller's transaction
for the e-mail worker (butgmp/mail.py: queue « email »), and journaled. Once per crossing: an alert stays open while
the count stays at or above the threshold; when it falls below (a justification accepted, a roll call corrected) the
alert is closed, and a later crossing sends a new one.
"""
from collections.abc import Iterable

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from grading.attendance_counts import attendance_counts
from grading.models import AttendanceAlert, AttendanceSettings, Enrolment, PromotionAttendanceContact
from grading.services.audit_entries import audit_row, journal

SUBJECT = "Absences non justifiées : {count} demi-journées en {semester}"
BODY = ("Bonjour {name},\n\n"
        "Vous comptez {count} demi-journées d'absence non justifiées en {semester} (le seuil du département est de "
        "{threshold}).\n"
        "Si ces absences ont un motif, déposez un justificatif dans « Mes justificatifs d'absence » ; la scolarité "
        "l'examinera.\n\n"
        "Le secrétariat du département")


def alerts_check(*, enrolment_ids: Iterable[int], user=None, settings: AttendanceSettings | None = None) -> list:
    """Open (and send) or close the alerts of the given enrolments as their counts now stand; call it inside the
    transaction of the change. Returns the alerts opened."""
    ids = list(enrolment_ids)
    if not ids:
        return []
    settings = settings or AttendanceSettings.current()
    threshold = settings.review_threshold
    counts = attendance_counts(enrolment_ids=ids, settings=settings)
    open_alerts = {a.enrolment_id: a for a in AttendanceAlert.objects.select_for_update()
                   .filter(enrolment_id__in=ids, cleared_at__isnull=True)}
    opened, rows = [], []
    now = timezone.now()
    for enrolment_id in ids:
        unjustified = counts[enrolment_id].unjustified
        alert = open_alerts.get(enrolment_id)
        if alert is not None and unjustified < threshold:
            alert.cleared_at = now
            alert.save(update_fields=["cleared_at"])
            rows.append(audit_row(obj=alert, action="update", field="cleared_at", new=unjustified, user=user))
        elif alert is None and threshold and unjustified >= threshold:
            opened.append(AttendanceAlert(enrolment_id=enrolment_id, threshold=threshold, count=unjustified))
    if opened:
        enrolments = Enrolment.objects.select_related("student", "semester_instance__semester").in_bulk(
            [a.enrolment_id for a in opened])
        for alert in opened:
            _send(alert, enrolments[alert.enrolment_id])
        for alert in AttendanceAlert.objects.bulk_create(opened):
            rows.append(audit_row(obj=alert, action="create", field="recipients", new=alert.recipients,
                                  label=str(enrolments[alert.enrolment_id].student), user=user))
    journal(rows)
    return opened


def _send(alert: AttendanceAlert, enrolment: Enrolment) -> None:
    """Queue the alert's message (the e-mail worker delivers it once the transaction commits) and note it."""
    instance = enrolment.semester_instance
    contact = (PromotionAttendanceContact.objects
               .filter(programme_id=instance.semester.programme_id, academic_year_id=instance.academic_year_id)
               .values_list("email", flat=True).first())
    student = enrolment.student
    to = [student.email] if student.email else []
    cc = [contact] if contact else []
    alert.recipients = ", ".join(to + cc)[:300]
    if not to and not cc:
        return
    semester = f"S{instance.semester.number} {instance.academic_year}"
    EmailMessage(subject=SUBJECT.format(count=alert.count, semester=semester),
                 body=BODY.format(name=f"{student.first_name} {student.last_name}", count=alert.count,
                                  semester=semester, threshold=alert.threshold),
                 from_email=django_settings.DEFAULT_FROM_EMAIL, to=to or cc, cc=cc if to else []).send()
    alert.sent_at = timezone.now()


CONTACT_SET = "Adresse des alertes de {promotion} : {email}."


def promotion_contact_set(*, programme, academic_year, email: str, user) -> PromotionAttendanceContact | None:
    """Set (or, with an empty address, remove) the address a promotion's alerts go to besides the student; journaled."""
    with transaction.atomic():
        contact = (PromotionAttendanceContact.objects.select_for_update()
                   .filter(programme=programme, academic_year=academic_year).first())
        old = contact.email if contact else ""
        if old == email:
            return contact
        if not email:
            journal([audit_row(obj=contact, action="delete", field="email", old=old, user=user)])
            contact.delete()
            return None
        if contact is None:
            contact = PromotionAttendanceContact(programme=programme, academic_year=academic_year)
        contact.email = email
        contact.full_clean()
        contact.save()
        journal([audit_row(obj=contact, action="update" if old else "create", field="email", old=old, new=email,
                           user=user)])
    return contact

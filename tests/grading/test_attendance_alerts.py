"""Attendance alerts: one e-mail to the student (and the promotion's address) when the unjustified half-days reach
the threshold, queued for the e-mail worker, journaled; once per crossing: never again while above, again only after
the count fell below and rose again."""
import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from grading.models import AttendanceAlert, AuditEntry, PromotionAttendanceContact
from grading.services.attendance import attendance_settings_update, roll_call_save, student_absence_record
from grading.services.justifications import justification_by_staff

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2025, 10, 6)


@pytest.fixture
def student(instance, enrolments, users):
    attendance_settings_update(user=users["direction"], split_time=datetime.time(13), review_threshold=4,
                               penalty_enabled=False, penalty_threshold=10, penalty_points=Decimal(0))
    enrolment = enrolments[0]
    enrolment.student.email = "lea@etu.example.fr"
    enrolment.student.save()
    programme = instance.semester.programme
    PromotionAttendanceContact.objects.create(programme=programme, academic_year=instance.academic_year,
                                              email="assiduite-but1@example.fr")
    return enrolment


def absent(enrolment, day, users, days=1):
    student_absence_record(enrolment=enrolment, first_day=day, last_day=day + datetime.timedelta(days=days - 1),
                           user=users["secretariat"])


def test_reaching_the_threshold_sends_one_alert_then_never_again_while_above(student, users):
    absent(student, MONDAY, users)  # 2 half-days
    assert not mail.outbox
    absent(student, MONDAY + datetime.timedelta(days=1), users)  # 4: the threshold is reached
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@etu.example.fr"] and message.cc == ["assiduite-but1@example.fr"]
    assert "4 demi-journées" in message.subject and "justificatif" in message.body
    absent(student, MONDAY + datetime.timedelta(days=2), users)  # 6: still above, nothing more
    roll_call_save(semester_instance=student.semester_instance, group=None, module=None,
                   date=MONDAY + datetime.timedelta(days=3), start=datetime.time(8), end=datetime.time(10),
                   statuses={student.pk: "absent"}, user=users["teacher"])
    assert len(mail.outbox) == 1
    alert = AttendanceAlert.objects.get()
    assert (alert.count, alert.threshold, alert.cleared_at is None, alert.sent_at is not None) == (4, 4, True, True)
    assert alert.recipients == "lea@etu.example.fr, assiduite-but1@example.fr"
    assert AuditEntry.objects.filter(object_type="grading.attendancealert", action="create").count() == 1


def test_a_new_crossing_after_falling_below_sends_again(student, users):
    absent(student, MONDAY, users, days=2)  # 4
    justification_by_staff(student=student.student, first_day=MONDAY, last_day=MONDAY, motive="convocation",
                           user=users["secretariat"])  # 2 unjustified: below, the alert is closed
    assert AttendanceAlert.objects.get().cleared_at is not None
    assert len(mail.outbox) == 1
    absent(student, MONDAY + datetime.timedelta(days=7), users)  # 4 again: a new crossing
    assert len(mail.outbox) == 2 and AttendanceAlert.objects.count() == 2
    assert AttendanceAlert.objects.filter(cleared_at__isnull=True).count() == 1


def test_the_alert_is_queued_for_the_email_worker(student, users, settings):
    settings.EMAIL_BACKEND = "butgmp.mail.QueuedEmailBackend"
    absent(student, MONDAY, users, days=2)
    (task,) = DBTaskResult.objects.filter(queue_name="email")
    assert task.args_kwargs["kwargs"]["message"]["to"] == ["lea@etu.example.fr"]


def test_direction_sets_a_promotions_alert_address_journaled(client, instance, users):
    from django.urls import reverse
    key = f"{instance.semester.programme_id}-{instance.academic_year_id}"
    client.force_login(users["secretariat"])
    assert client.post(reverse("grading:attendance_contact"), {"promotion": key, "email": "a@b.fr"}).status_code == 403
    client.force_login(users["direction"])
    client.post(reverse("grading:attendance_contact"), {"promotion": key, "email": "promo@example.fr"})
    assert PromotionAttendanceContact.objects.get().email == "promo@example.fr"
    assert "promo@example.fr" in client.get(reverse("grading:attendance_settings")).content.decode()
    client.post(reverse("grading:attendance_contact"), {"promotion": key, "email": ""})
    assert not PromotionAttendanceContact.objects.exists()
    fields = AuditEntry.objects.filter(object_type="grading.promotionattendancecontact")
    assert sorted(fields.values_list("action", flat=True)) == ["create", "delete"]

"""RGPD: a student's absences, justifications (with their documents) and alerts are in the export; anonymised, the
documents, motives and addresses go and the journal no longer names them; decided documents are purged in time."""
import base64
import datetime
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from grading.models import AttendanceAlert, AuditEntry, Justification
from grading.personal_data import student_export
from grading.purges import justification_documents_purge
from grading.services.attendance import student_absence_record
from grading.services.justifications import Upload, justification_decide, justification_submit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 certificat"


@pytest.fixture
def absent(make_semester_instance, users):
    def make(start_year):
        instance = make_semester_instance(students=2, start_year=start_year)
        enrolment, other = instance.enrolments.order_by("pk")
        day = datetime.date(start_year, 10, 6)
        student_absence_record(enrolment=enrolment, first_day=day, last_day=day, user=users["secretariat"])
        justification = justification_submit(student=enrolment.student, first_day=day, last_day=day,
                                             motive="hospitalisation", upload=Upload(name="c.pdf", data=PDF),
                                             user=users["student"])
        AttendanceAlert.objects.create(enrolment=enrolment, threshold=2, count=2, recipients="lea@example.fr")
        return enrolment, other, justification
    return make


def test_the_export_holds_absences_justifications_and_alerts(absent):
    enrolment, other, justification = absent(2025)
    data = student_export(student=enrolment.student)
    assert [(a["date"], a["start"], a["status"]) for a in data["attendance"]] == [
        ("2025-10-06", "08:00", "absent"), ("2025-10-06", "13:00", "absent")]
    (exported,) = data["justifications"]
    assert exported["motive"] == "hospitalisation" and base64.b64decode(exported["document_base64"]) == PDF
    assert data["attendance_alerts"][0]["recipients"] == "lea@example.fr"
    assert student_export(student=other.student)["justifications"] == []


def test_anonymising_removes_documents_motives_and_addresses(absent, settings):
    settings.STUDENT_DATA_YEARS = 5
    enrolment, _, justification = absent(2015)
    call_command("student_data", student=enrolment.student.ine, anonymise=True, stdout=StringIO())
    justification.refresh_from_db()
    assert (justification.document, justification.motive, justification.filename) == (None, "", "")
    assert AttendanceAlert.objects.get().recipients == ""
    anonymous = f"ANON{enrolment.student.pk}"
    rows = AuditEntry.objects.filter(object_type__in=["grading.justification", "grading.attendancemark"])
    assert rows.exists() and set(rows.values_list("object_repr", flat=True)) == {anonymous}
    assert not rows.filter(new_value__contains="c.pdf").exists()


def test_decided_documents_are_purged_after_the_retention_time(absent, users, settings):
    settings.JUSTIFICATION_DOCUMENTS_DAYS = 30
    _, _, justification = absent(2025)
    pending = justification
    assert justification_documents_purge() == 0  # pending: kept
    decided = justification_decide(justification=pending, accept=True, reason="", user=users["secretariat"])
    Justification.objects.filter(pk=decided.pk).update(decided_at=timezone.now() - timedelta(days=29))
    assert justification_documents_purge() == 0
    Justification.objects.filter(pk=decided.pk).update(decided_at=timezone.now() - timedelta(days=31))
    assert justification_documents_purge() == 1
    decided.refresh_from_db()
    assert decided.document is None and decided.status == Justification.Status.ACCEPTED

"""A student uploads a justification (PDF, PNG or JPEG by content, 5 MB at most); the scolarité accepts or refuses it
with a reason on its page; accepted, it justifies the absences of its dates."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grading.attendance_counts import attendance_counts
from grading.models import AuditEntry, Justification
from grading.services.attendance import student_absence_record

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 3, 2)


def upload(client, name, data, **extra):
    return client.post(reverse("portal:my_justifications"), {
        "first_day": "2026-03-02", "last_day": "2026-03-03", "motive": "grippe",
        "document": SimpleUploadedFile(name, data, content_type="application/pdf"), **extra})


def test_a_pdf_is_received_pending_and_journaled(student_client, year):
    response = upload(student_client, "certificat médical.pdf", b"%PDF-1.7\n...")
    assert response.status_code == 302
    justification = Justification.objects.get()
    assert (justification.student, justification.status, justification.content_type, justification.filename) == (
        year.alice, "pending", "application/pdf", "certificat médical.pdf")
    assert bytes(justification.document) == b"%PDF-1.7\n..."
    assert AuditEntry.objects.filter(object_type="grading.justification", object_id=justification.pk).exists()
    page = student_client.get(reverse("portal:my_justifications")).content.decode()
    assert "en attente" in page and "du 02/03/2026 au 03/03/2026" in page


@pytest.mark.parametrize(("name", "data", "message"), [
    ("faux.pdf", b"<html><script>alert(1)</script>", "le contenu du fichier n&#x27;en est pas un"),
    ("gros.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "dépasse 5 Mo"),
])
def test_a_file_that_is_not_a_document_or_too_large_is_refused(student_client, year, name, data, message):
    response = upload(student_client, name, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Justification.objects.exists()


def test_the_scolarite_accepts_and_the_absences_are_justified(student_client, client, users, year):
    enrolment = year.enrolments[(year.alice.ine, 2)]
    student_absence_record(enrolment=enrolment, first_day=MONDAY, last_day=MONDAY + datetime.timedelta(days=2),
                           user=users["secretariat"])
    upload(student_client, "scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    justification = Justification.objects.get()
    client.force_login(users["secretariat"])
    page = client.get(reverse("grading:justification_list")).content.decode()
    assert "AUBERT Alice" in page and "scan.png" in page
    url = reverse("grading:justification_decide", args=[justification.pk])
    client.post(url, {f"j{justification.pk}-decision": "accept", f"j{justification.pk}-reason": ""})
    count = attendance_counts(enrolment_ids=[enrolment.pk])[enrolment.pk]
    assert (count.absent, count.justified, count.unjustified) == (6, 4, 2)
    page = student_client.get(reverse("portal:my_justifications")).content.decode()
    assert "acceptée" in page


def test_a_refusal_without_reason_is_refused(client, users, year):
    day = datetime.date(2026, 3, 2)
    justification = Justification.objects.create(student=year.alice, first_day=day, last_day=day,
                                                 document=b"%PDF-", content_type="application/pdf", filename="a.pdf")
    client.force_login(users["secretariat"])
    url = reverse("grading:justification_decide", args=[justification.pk])
    response = client.post(url, {f"j{justification.pk}-decision": "refuse"}, follow=True)
    assert "Indiquez le motif du refus." in response.content.decode()
    client.post(url, {f"j{justification.pk}-decision": "refuse", f"j{justification.pk}-reason": "illisible"})
    justification.refresh_from_db()
    assert (justification.status, justification.decision_reason) == ("refused", "illisible")


def test_teachers_and_jury_do_not_decide(client, users, year):
    day = datetime.date(2026, 3, 2)
    justification = Justification.objects.create(student=year.alice, first_day=day, last_day=day)
    for role in ("teacher", "jury", "student"):
        client.force_login(users[role])
        response = client.post(reverse("grading:justification_decide", args=[justification.pk]),
                               {f"j{justification.pk}-decision": "accept"})
        assert response.status_code == 403, role
    justification.refresh_from_db()
    assert justification.status == "pending"

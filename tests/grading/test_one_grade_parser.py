"""R1: one grade parser for every path (grid endpoint, spreadsheet import, admin, command): ASCII digits with a
comma or a point, and nothing else. A grid save without `value` is a broken request, not an erased grade."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from grading.forms.grades import VALUE_MISSING
from grading.grade_text import ERROR_NOT_A_GRADE, parse_grade
from grading.models import Grade
from grading.services.grades import grade_set
from tests.grading.conftest import xlsx_bytes

FOREIGN_DIGITS = ["١٢", "１２,５", "۱۲", "१२", "12,５", "𝟏𝟐"]


@pytest.mark.parametrize("raw", FOREIGN_DIGITS)
def test_r1_the_parser_refuses_digits_other_than_ascii(raw):
    parsed = parse_grade(raw, max_score=Decimal("20"))
    assert parsed.error == ERROR_NOT_A_GRADE.format(raw=raw, max="20")


@pytest.mark.django_db
@pytest.mark.parametrize("raw", FOREIGN_DIGITS)
def test_r1_the_grid_endpoint_refuses_them(secretariat_client, evaluation, enrolments, raw):
    response = secretariat_client.post(reverse("grading:grade_save", args=[evaluation.pk]),
                                       {"enrolment": enrolments[0].pk, "value": raw, "version": 0})
    assert response.status_code == 400
    assert response.json()["error"] == ERROR_NOT_A_GRADE.format(raw=raw, max="20")
    assert not Grade.objects.exists()


@pytest.mark.django_db
def test_a_grid_save_without_value_is_a_400_and_keeps_the_grade(secretariat_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="14", user=users["secretariat"])
    url = reverse("grading:grade_save", args=[evaluation.pk])
    response = secretariat_client.post(url, {"enrolment": enrolments[0].pk, "version": 1})
    assert response.status_code == 400
    assert response.json()["fields"]["value"] == [VALUE_MISSING]
    assert Grade.objects.get().display == "14"
    response = secretariat_client.post(url, {"enrolment": enrolments[0].pk, "version": 1, "value": ""})
    assert response.status_code == 200  # an empty value, sent on purpose, clears it
    assert Grade.objects.get().display == ""


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["١٢", "１２,５"])
def test_r1_the_spreadsheet_import_and_the_command_refuse_them(secretariat_client, tmp_path, evaluation, enrolments,
                                                               workbook_for, raw):
    wb = workbook_for(evaluation)
    wb["Notes"].cell(row=5, column=5, value=raw)
    content = xlsx_bytes(wb)
    expected = f"Ligne 5, colonne « Note » : {ERROR_NOT_A_GRADE.format(raw=raw, max='20')}"
    response = secretariat_client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                                       {"file": SimpleUploadedFile("n.xlsx", content)})
    assert response.context["errors"] == [expected]
    path = tmp_path / "n.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_grades", str(path), evaluation=evaluation.pk)
    assert not Grade.objects.exists()


@pytest.mark.django_db
def test_r1_the_admin_refuses_them(client, make_user, evaluation, enrolments):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:grading_grade_add"), {
        "evaluation": evaluation.pk, "enrolment": enrolments[0].pk, "entry": "١٢"})
    assert response.context["adminform"].form.errors["entry"] == [ERROR_NOT_A_GRADE.format(raw="١٢", max="20")]
    assert not Grade.objects.exists()

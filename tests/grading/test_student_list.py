"""Enrolling students by hand and from a list (.xlsx or .csv), checked row by row, all or nothing."""
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grading import imports
from grading.models import Enrolment, Group, Student
from grading.views import enrolments
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = ["INE", "Nom", "Prénom", "Courriel", "Parcours", "Groupe"]


def post(client, instance, content, name):
    return client.post(reverse("grading:student_import", args=[instance.pk]),
                       {"file": SimpleUploadedFile(name, content)}, follow=True)


def workbook(rows):
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    return xlsx_bytes(wb)


def test_it_enrols_a_valid_xlsx_list_and_creates_the_groups(secretariat_client, instance):
    content = workbook([["11111111111", "Zola", "Émile", "emile@example.fr", "MPI", "TD1, TP1A"],
                        ["22222222222", "Arendt", "Hannah", "", "", "TD2"]])
    response = post(secretariat_client, instance, content, "liste.xlsx")
    assert enrolments.STUDENTS_IMPORTED.format(count=2) in html.unescape(response.content.decode())
    zola = Enrolment.objects.get(semester_instance=instance, student__ine="11111111111")
    assert sorted(g.name for g in zola.groups.all()) == ["TD1", "TP1A"]
    assert Group.objects.get(semester_instance=instance, name="TP1A").kind == "TP"
    assert zola.parcours.code == "MPI"
    assert instance.enrolments.count() == 5


def test_it_reads_a_semicolon_csv_in_utf8_or_windows_encoding(secretariat_client, instance):
    text = "INE;Nom;Prénom;Groupe\n33333333333;Hugo;Léopoldine;TD1\n"
    post(secretariat_client, instance, text.encode("cp1252"), "liste.csv")
    assert Student.objects.get(ine="33333333333").first_name == "Léopoldine"
    text = "INE,Nom,Prénom\n44444444444,Sand,Aurore\n"
    post(secretariat_client, instance, text.encode("utf-8-sig"), "liste.csv")
    assert Student.objects.get(ine="44444444444").last_name == "Sand"


def test_a_list_with_errors_enrols_nobody_and_names_each_row_and_column(secretariat_client, instance):
    content = workbook([["11111111111", "Zola", "Émile", "pas-un-courriel", "MPI", "TD1"],
                        ["123", "", "Hannah", "", "XYZ", ""],
                        ["11111111111", "Zola", "Émile", "", "", ""]])
    response = post(secretariat_client, instance, content, "liste.xlsx")
    assert response.context["errors"] == [
        "Ligne 2, colonne « Courriel » : adresse « pas-un-courriel » invalide.",
        "Ligne 3, colonne « INE » : INE « 123 » invalide (11 caractères, chiffres et lettres).",
        "Ligne 3, colonne « Nom » : valeur obligatoire.",
        "Ligne 3, colonne « Parcours » : parcours « XYZ » inconnu (attendu : MPI).",
        "Ligne 4, colonne « INE » : INE 11111111111 en double (déjà en ligne 2).",
    ]
    assert instance.enrolments.count() == 3
    assert not Student.objects.filter(ine="11111111111").exists()


def test_a_list_without_the_required_columns_is_refused(secretariat_client, instance):
    response = post(secretariat_client, instance, b"INE;Nom\n11111111111;Zola\n", "liste.csv")
    assert response.context["errors"] == [imports.NO_HEADER.format(column="Prénom")]


def test_a_file_that_is_not_a_spreadsheet_is_refused(secretariat_client, instance):
    response = post(secretariat_client, instance, b"\x00\x01garbage", "liste.xlsx")
    assert response.context["errors"] == [imports.NOT_A_SPREADSHEET.format(csv=" ou .csv", name="liste.xlsx")]


def test_importing_the_same_list_again_updates_rather_than_duplicates(secretariat_client, instance):
    content = workbook([["11111111111", "Zola", "Émile", "", "", "TD1"]])
    post(secretariat_client, instance, content, "liste.xlsx")
    content = workbook([["11111111111", "ZOLA", "Émile", "", "", "TD2"]])
    post(secretariat_client, instance, content, "liste.xlsx")
    enrolment = Enrolment.objects.get(student__ine="11111111111")
    assert [g.name for g in enrolment.groups.all()] == ["TD2"]
    assert enrolment.student.last_name == "ZOLA"


def test_a_student_is_enrolled_by_hand_once(secretariat_client, instance):
    url = reverse("grading:enrolment_list", args=[instance.pk])
    td1 = instance.groups.get(name="TD1")
    data = {"ine": "55555555555", "last_name": "Curie", "first_name": "Marie", "groups": [td1.pk]}
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(student__ine="55555555555")
    assert [g.name for g in enrolment.groups.all()] == ["TD1"]
    response = secretariat_client.post(url, data)
    assert response.context["form"].non_field_errors() == ["CURIE Marie est déjà inscrit à ce semestre."]


def test_an_enrolment_is_edited(secretariat_client, instance, enrolments):
    url = reverse("grading:enrolment_edit", args=[instance.pk, enrolments[0].pk])
    td1 = instance.groups.get(name="TD1")
    response = secretariat_client.post(url, {"status": "DEM", "is_repeat": "on", "groups": [td1.pk]})
    assert response.status_code == 302
    enrolments[0].refresh_from_db()
    assert (enrolments[0].status, enrolments[0].is_repeat) == ("DEM", True)

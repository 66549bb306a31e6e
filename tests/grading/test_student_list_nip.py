"""The NIP in student lists: read, checked (format, twice in the list, another student's), previewed, written,
journaled and undone like the other fields; a list without the column keeps every NIP."""
import html
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grading.models import AuditEntry, Student
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db


def workbook(header, rows) -> bytes:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    return xlsx_bytes(wb)


def preview(client, instance, content):
    return client.post(reverse("grading:student_import", args=[instance.pk]),
                       {"file": SimpleUploadedFile("liste.xlsx", content)}, follow=True)


def confirm(client, instance, page):
    token = page.context["confirm_form"].initial["token"]
    return client.post(reverse("grading:student_import_confirm", args=[instance.pk]), {"token": token}, follow=True)


def test_a_list_sets_new_and_changed_nips_and_the_undo_restores_them(secretariat_client, instance, enrolments):
    known = enrolments[0].student
    content = workbook(["INE", "Numéro étudiant", "Nom", "Prénom", "Groupe"],
                       [[known.ine, "21900001", known.last_name, known.first_name, "TD1"],
                        ["11111111111", "21900002", "Zola", "Émile", "TD1"]])
    page = preview(secretariat_client, instance, content)
    changes = {item.ine: [(c.label, c.old, c.new) for c in item.changes] for item in page.context["plan"].items}
    assert ("NIP", "", "21900001") in changes[known.ine]
    assert ("NIP", "", "21900002") in changes["11111111111"]
    assert "NIP : — → <strong>21900001</strong>" in html.unescape(page.content.decode())
    confirm(secretariat_client, instance, page)
    known.refresh_from_db()
    assert known.nip == "21900001" and Student.objects.get(ine="11111111111").nip == "21900002"
    entry = AuditEntry.objects.get(object_type="grading.student", object_id=known.pk, field="nip")
    assert (entry.old_value, entry.new_value) == ("", "21900001")
    secretariat_client.post(reverse("grading:student_import_undo", args=[instance.pk, entry.batch]))
    known.refresh_from_db()
    assert known.nip == "" and not Student.objects.filter(ine="11111111111").exists()


def test_a_list_without_the_column_or_with_an_empty_cell_keeps_the_nip(secretariat_client, instance, enrolments):
    known = enrolments[0].student
    Student.objects.filter(pk=known.pk).update(nip="21900001")
    for header, row in [(["INE", "Nom", "Prénom"], [known.ine, known.last_name, "Autre"]),
                        (["INE", "NIP", "Nom", "Prénom"], [known.ine, "", known.last_name, "Encore"])]:
        confirm(secretariat_client, instance, preview(secretariat_client, instance, workbook(header, [row])))
        known.refresh_from_db()
        assert known.nip == "21900001"
    assert known.first_name == "Encore"


def test_a_malformed_or_repeated_or_taken_nip_is_an_error_naming_its_row(secretariat_client, instance,
                                                                         enrolments):
    other = enrolments[1].student
    Student.objects.filter(pk=other.pk).update(nip="21900009")
    content = workbook(["INE", "NIP", "Nom", "Prénom"],
                       [["11111111111", "21-9", "Zola", "Émile"],
                        ["22222222222", "21900003", "Arendt", "Hannah"],
                        ["33333333333", "21900003", "Hugo", "Victor"]])
    errors = preview(secretariat_client, instance, content).context["errors"]
    assert errors == ["Ligne 2, colonne « NIP » : NIP « 21-9 » invalide (5 à 12 chiffres).",
                      "Ligne 4, colonne « NIP » : NIP 21900003 en double (déjà en ligne 3)."]
    taken = workbook(["INE", "NIP", "Nom", "Prénom"], [["11111111111", "21900009", "Zola", "Émile"]])
    page = preview(secretariat_client, instance, taken)
    assert page.context["errors"] == [
        f"Ligne 2, colonne « NIP » : le NIP 21900009 est déjà celui de {other} (INE {other.ine})."]
    assert not Student.objects.filter(ine="11111111111").exists()


def test_the_list_export_holds_the_nip_and_reads_back_as_an_unchanged_list(secretariat_client, instance,
                                                                          enrolments):
    known = enrolments[0].student
    Student.objects.filter(pk=known.pk).update(nip="21900001", email="a@example.fr")
    response = secretariat_client.get(reverse("grading:student_list_export", args=[instance.pk]))
    assert response.status_code == 200 and "etudiants_S1" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["INE", "NIP", "Nom", "Prénom", "Courriel", "Parcours", "Groupe"]
    line = next(r for r in rows if r[0] == known.ine)
    assert line[1:5] == ["21900001", known.last_name, known.first_name, "a@example.fr"]
    assert len(rows) == 1 + instance.enrolments.count()
    page = preview(secretariat_client, instance, response.content)  # the export reads back: nothing changes
    assert [item.kind for item in page.context["plan"].items] == ["unchanged"] * instance.enrolments.count()


def test_only_setup_roles_export_the_list(client, users, instance):
    client.force_login(users["teacher"])
    assert client.get(reverse("grading:student_list_export", args=[instance.pk])).status_code == 403

"""Spreadsheet round trip: download a pre-filled .xlsx, upload it back, preview, confirm, undo."""
import html
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grading import imports, spreadsheet_reading
from grading.exports import META_SHEET
from grading.models import Grade, GradeChange, ImportBatch
from grading.services.errors import UNDO_CHANGED_SINCE, ImportInvalid, UndoRefused
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set, grades_import, import_undo
from grading.views import spreadsheets
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
FIRST = 5  # first data row of the exported sheet


def text(response) -> str:
    return html.unescape(response.content.decode())


def upload(client, evaluation, content, name="notes.xlsx"):
    return client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def fill(wb, grades):
    ws = wb["Notes"]
    for i, grade in enumerate(grades):
        ws.cell(row=FIRST + i, column=5, value=grade)
    return wb


def test_the_download_is_a_prefilled_workbook_identifying_the_evaluation(secretariat_client, users, evaluation,
                                                                        enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12,5", user=users["secretariat"])
    grade_set(evaluation=evaluation, enrolment=enrolments[1], raw="abs", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:evaluation_export", args=[evaluation.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=\"notes_")
    wb = load_workbook(BytesIO(response.content))
    ws = wb["Notes"]
    assert [c.value for c in ws[4]] == ["INE", "Nom", "Prénom", "Groupe", "Note"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=FIRST)]
    assert [r[1] for r in rows] == ["Bernard", "Dubois", "Martin"]
    assert [r[4] for r in rows] == [12.5, "ABS", None]
    assert rows[0][3] == "TD2"
    assert "ABS" in ws["A3"].value  # instructions
    assert wb[META_SHEET].sheet_state == "hidden"
    assert wb[META_SHEET]["B1"].value == evaluation.pk


def test_a_good_file_shows_a_preview_then_saves_on_confirmation(secretariat_client, users, evaluation, enrolments,
                                                               workbook_for):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="10", user=users["direction"])
    grade_set(evaluation=evaluation, enrolment=enrolments[1], raw="8", user=users["direction"])
    content = xlsx_bytes(fill(workbook_for(evaluation), ["10", "9,5", "abs"]))
    response = upload(secretariat_client, evaluation, content)
    assert response.status_code == 200
    assert response.templates[0].name == "grading/import_preview.html"
    assert (len(response.context["new"]), len(response.context["changed"]), len(response.context["unchanged"])) \
        == (1, 1, 1)
    assert [(r.enrolment.student.last_name, r.old, r.new) for r in response.context["changed"]] == [
        ("Dubois", "8", "9,5")]
    assert [(r.enrolment.student.last_name, r.old, r.new) for r in response.context["new"]] == [("Martin", "", "ABS")]
    assert "Enregistrer ces 2 notes" in text(response)
    assert Grade.objects.get(enrolment=enrolments[1]).value == Decimal("8")  # nothing saved yet
    token = response.context["confirm_form"].initial["token"]

    response = secretariat_client.post(reverse("grading:evaluation_import_confirm", args=[evaluation.pk]),
                                       {"token": token})
    assert response.status_code == 302
    grades = {g.enrolment_id: g.display for g in Grade.objects.filter(evaluation=evaluation)}
    assert grades == {enrolments[0].pk: "10", enrolments[1].pk: "9,5", enrolments[2].pk: "ABS"}
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.user) == ("notes.xlsx", users["secretariat"])
    changes = GradeChange.objects.filter(batch=batch).order_by("enrolment__student__last_name")
    assert [(c.old_value, c.new_value, c.source) for c in changes] == [("8", "9,5", "import"), ("", "ABS", "import")]
    # The token is single use.
    again = secretariat_client.post(reverse("grading:evaluation_import_confirm", args=[evaluation.pk]),
                                    {"token": token}, follow=True)
    assert spreadsheets.IMPORT_EXPIRED in text(again)


def test_the_confirmation_is_refused_if_a_grade_changed_since_the_preview(secretariat_client, users, evaluation,
                                                                          enrolments, workbook_for):
    response = upload(secretariat_client, evaluation, xlsx_bytes(fill(workbook_for(evaluation), ["10", "11", "12"])))
    token = response.context["confirm_form"].initial["token"]
    grade_set(evaluation=evaluation, enrolment=enrolments[2], raw="3", user=users["direction"])
    response = secretariat_client.post(reverse("grading:evaluation_import_confirm", args=[evaluation.pk]),
                                       {"token": token}, follow=True)
    assert "Des notes ont changé depuis l'aperçu (MARTIN Prénom1)" in text(response)
    assert Grade.objects.filter(evaluation=evaluation).count() == 1
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("grades,expected", [
    (["25", "10", "10"], [imports.CELL.format(row=5, column="Note", error="25 > 20 (note maximale)")]),
    (["dix", "10", "10"], [imports.CELL.format(
        row=5, column="Note",
        error="« dix » n'est pas une note : saisissez un nombre de 0 à 20 (ex. 12,5), ou ABS, EXC, ATT")]),
    (["-1", "10", "12,345"], [
        "Ligne 5, colonne « Note » : -1 < 0 (une note ne peut pas être négative)",
        "Ligne 7, colonne « Note » : 12,345 : deux décimales au plus"]),
])
def test_a_file_with_a_bad_grade_saves_nothing_and_names_row_and_column(secretariat_client, evaluation, enrolments,
                                                                        workbook_for, grades, expected):
    response = upload(secretariat_client, evaluation, xlsx_bytes(fill(workbook_for(evaluation), grades)))
    assert response.context["errors"] == expected
    assert not Grade.objects.exists()
    assert "rien n'a été enregistré" in text(response)


def test_an_unknown_student_is_refused(secretariat_client, evaluation, enrolments, workbook_for):
    wb = fill(workbook_for(evaluation), ["10", "10", "10"])
    wb["Notes"].cell(row=8, column=1, value="99999999999")
    wb["Notes"].cell(row=8, column=5, value=12)
    response = upload(secretariat_client, evaluation, xlsx_bytes(wb))
    assert response.context["errors"] == [
        "Ligne 8, colonne « INE » : INE 99999999999 inconnu : cet étudiant n'est pas inscrit à ce semestre."]
    assert not Grade.objects.exists()


def test_a_duplicate_row_is_refused(secretariat_client, evaluation, enrolments, workbook_for):
    wb = fill(workbook_for(evaluation), ["10", "10", "10"])
    ws = wb["Notes"]
    ws.cell(row=8, column=1, value=ws.cell(row=5, column=1).value)
    ws.cell(row=8, column=5, value=14)
    response = upload(secretariat_client, evaluation, xlsx_bytes(wb))
    ine = enrolments[0].student.ine
    assert response.context["errors"] == [f"Ligne 8, colonne « INE » : INE {ine} en double (déjà en ligne 5)."]
    assert not Grade.objects.exists()


def test_a_sheet_made_for_another_evaluation_is_refused(secretariat_client, instance, module, evaluation, enrolments,
                                                        workbook_for):
    other = evaluation_create(semester_instance=instance, module=module, title="DS2")
    response = upload(secretariat_client, evaluation, xlsx_bytes(fill(workbook_for(other), ["10", "10", "10"])))
    assert response.context["errors"] == [imports.WRONG_EVALUATION.format(other="R1.01 – DS2", this=evaluation)]
    assert not Grade.objects.exists()


def test_a_sheet_without_the_metadata_is_refused(secretariat_client, evaluation, enrolments):
    wb = Workbook()
    wb.active.append(["INE", "Note"])
    wb.active.append([enrolments[0].student.ine, 12])
    response = upload(secretariat_client, evaluation, xlsx_bytes(wb))
    assert response.context["errors"] == [imports.NO_METADATA]


def test_a_file_that_is_not_a_spreadsheet_is_refused(secretariat_client, evaluation):
    response = upload(secretariat_client, evaluation, b"%PDF-1.4 not a workbook", name="notes.xlsx")
    assert response.context["errors"] == [spreadsheet_reading.NOT_A_SPREADSHEET.format(csv="", name="notes.xlsx")]
    response = upload(secretariat_client, evaluation, b"INE;Note", name="notes.pdf")
    assert response.context["form"].errors["file"] == ["Format non pris en charge : déposez un fichier .xlsx."]
    assert not Grade.objects.exists()


def test_an_import_can_be_undone_as_one_step(secretariat_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="10", user=users["direction"])
    result = grades_import(evaluation=evaluation, user=users["secretariat"], filename="a.xlsx",
                                    rows=[(enrolments[0].pk, "15"), (enrolments[1].pk, "ABS")])
    response = secretariat_client.post(reverse("grading:import_undo", args=[evaluation.pk, result.batch.pk]),
                                       follow=True)
    assert spreadsheets.UNDO_DONE.format(count=2) in text(response)
    grades = {g.enrolment_id: (g.display, g.version) for g in Grade.objects.filter(evaluation=evaluation)}
    assert grades == {enrolments[0].pk: ("10", 3), enrolments[1].pk: ("", 2)}
    undo = GradeChange.objects.filter(source=GradeChange.Source.UNDO).order_by("enrolment__student__last_name")
    assert [(c.old_value, c.new_value, c.user, c.batch_id) for c in undo] == [
        ("15", "10", users["secretariat"], result.batch.pk), ("ABS", "", users["secretariat"], result.batch.pk)]
    result.batch.refresh_from_db()
    assert result.batch.undone_by == users["secretariat"]
    with pytest.raises(UndoRefused, match="déjà été annulé"):
        import_undo(batch=result.batch, user=users["secretariat"])


def test_undo_is_refused_when_a_grade_of_the_import_changed_since(users, evaluation, enrolments):
    result = grades_import(evaluation=evaluation, user=users["secretariat"], filename="a.xlsx",
                                    rows=[(enrolments[0].pk, "15"), (enrolments[1].pk, "12")])
    grade_set(evaluation=evaluation, enrolment=enrolments[1], raw="13", user=users["direction"])
    with pytest.raises(UndoRefused) as refused:
        import_undo(batch=result.batch, user=users["secretariat"])
    assert refused.value.message == UNDO_CHANGED_SINCE.format(count=1, students="DUBOIS Prénom3")
    assert Grade.objects.get(enrolment=enrolments[0]).display == "15"


def test_an_import_that_changes_nothing_records_no_batch(users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="15", user=users["direction"])
    result = grades_import(evaluation=evaluation, user=users["secretariat"], filename="a.xlsx",
                                    rows=[(enrolments[0].pk, "15,0")])
    assert result.batch is None
    assert len(result.diff.unchanged) == 1


def test_the_import_service_parses_again_and_refuses_all_or_nothing(users, evaluation, enrolments):
    with pytest.raises(ImportInvalid) as invalid:
        grades_import(evaluation=evaluation, user=users["secretariat"], filename="a.xlsx",
                               rows=[(enrolments[0].pk, "12"), (enrolments[1].pk, "21")])
    assert invalid.value.errors == ["21 > 20 (note maximale)"]
    assert not Grade.objects.exists()
    assert not ImportBatch.objects.exists()

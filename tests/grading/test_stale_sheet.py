"""An old spreadsheet never undoes later edits: a grade changed since the download is a conflict, applied only
when ticked (page) or forced (command). Formula cells count only by the number they computed."""
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from grading import imports
from grading.exports import META_SHEET, META_VERSIONS
from grading.models import Grade, GradeChange, ImportBatch
from grading.services.grades import grade_set
from grading.views import spreadsheets
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
FIRST = 5


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())))


def upload(client, evaluation, content):
    return client.post(reverse("grading:evaluation_import", args=[evaluation.pk]),
                       {"file": SimpleUploadedFile("notes.xlsx", content)})


def confirm(client, evaluation, preview, accept=()):
    token = preview.context["confirm_form"].initial["token"]
    return client.post(reverse("grading:evaluation_import_confirm", args=[evaluation.pk]),
                       {"token": token, "accept": list(accept)}, follow=True)


@pytest.fixture
def stale(users, evaluation, enrolments, workbook_for):
    """The issue's story: 9,25 for Bernard at download, the grid then saves 19, the teacher edits Dubois."""
    bernard, dubois, martin = enrolments
    grade_set(evaluation=evaluation, enrolment=bernard, raw="9,25", user=users["teacher"])
    wb = workbook_for(evaluation)  # downloaded now
    grade_set(evaluation=evaluation, enrolment=bernard, raw="19", user=users["secretariat"])
    wb["Notes"].cell(row=FIRST + 1, column=5, value=14)  # Dubois, typed in the file
    return wb


def test_the_sheet_records_each_grade_and_its_version_in_the_hidden_sheet(users, evaluation, enrolments,
                                                                        workbook_for):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12", user=users["teacher"])
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="13", user=users["teacher"],
                       expected_version=1)
    meta = workbook_for(evaluation)[META_SHEET]
    rows = [tuple(c.value for c in row[:3]) for row in meta.iter_rows()]
    start = rows.index(META_VERSIONS)
    assert rows[start + 1:] == [(enrolments[0].student.ine, 2, "13"), (enrolments[1].student.ine, 0, None),
                                (enrolments[2].student.ine, 0, None)]
    assert meta.sheet_state == "hidden"


def test_a_grade_changed_since_the_download_is_a_conflict_with_its_three_values(secretariat_client, evaluation,
                                                                              enrolments, stale):
    preview = upload(secretariat_client, evaluation, xlsx_bytes(stale))
    conflicts = preview.context["conflicts"]
    assert [(c.enrolment.student.last_name, c.at_export, c.now, c.in_file) for c in conflicts] == [
        ("Bernard", "9,25", "19", "9,25")]
    assert [(r.enrolment.student.last_name, r.new) for r in preview.context["new"]] == [("Dubois", "14")]
    assert preview.context["changed"] == []
    page = text(preview)
    assert "Au téléchargement Maintenant Dans le fichier" in page
    assert "9,25 19 9,25" in page
    assert "Enregistrer ces 1 note et les conflits cochés" in page

    confirm(secretariat_client, evaluation, preview)  # nothing ticked
    grades = {g.enrolment_id: g.display for g in Grade.objects.filter(evaluation=evaluation)}
    assert grades == {enrolments[0].pk: "19", enrolments[1].pk: "14"}
    assert list(GradeChange.objects.filter(source="import").values_list("new_value", flat=True)) == ["14"]


def test_a_ticked_conflict_is_applied(secretariat_client, evaluation, enrolments, stale):
    preview = upload(secretariat_client, evaluation, xlsx_bytes(stale))
    response = confirm(secretariat_client, evaluation, preview, accept=[enrolments[0].pk])
    assert spreadsheets.IMPORT_DONE.format(new=1, changed=1, unchanged=1) in html.unescape(
        response.content.decode())
    assert Grade.objects.get(enrolment=enrolments[0]).display == "9,25"


def test_an_unchanged_row_of_a_stale_file_is_no_conflict(secretariat_client, users, evaluation, enrolments,
                                                        workbook_for):
    wb = workbook_for(evaluation)
    grade_set(evaluation=evaluation, enrolment=enrolments[2], raw="11", user=users["secretariat"])
    wb["Notes"].cell(row=FIRST + 2, column=5, value=11)  # the file says what the grid says now
    preview = upload(secretariat_client, evaluation, xlsx_bytes(wb))
    assert preview.context["conflicts"] == []
    assert [r.new for r in preview.context["unchanged"]] == ["", "", "11"]


def test_a_sheet_without_the_grades_at_download_is_refused(secretariat_client, evaluation, enrolments,
                                                          workbook_for):
    wb = workbook_for(evaluation)
    meta = wb[META_SHEET]
    meta.delete_rows(5, meta.max_row)
    response = upload(secretariat_client, evaluation, xlsx_bytes(wb))
    assert response.context["errors"] == [imports.NO_VERSIONS]


def test_the_command_refuses_conflicts_unless_forced(tmp_path, capsys, evaluation, enrolments, stale):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(xlsx_bytes(stale))
    with pytest.raises(CommandError) as refused:
        call_command("import_grades", str(path), evaluation=evaluation.pk)
    assert refused.value.returncode == 1
    assert "1 note(s) modifiée(s) depuis le téléchargement" in str(refused.value)
    assert ("Conflit : BERNARD Prénom2 — au téléchargement « 9,25 », maintenant « 19 », dans le fichier « 9,25 »"
            in capsys.readouterr().err)
    assert Grade.objects.get(enrolment=enrolments[0]).display == "19"
    assert not ImportBatch.objects.exists()

    call_command("import_grades", str(path), "--force", evaluation=evaluation.pk)
    assert Grade.objects.get(enrolment=enrolments[0]).display == "9,25"
    assert Grade.objects.get(enrolment=enrolments[1]).display == "14"
    assert ImportBatch.objects.get().user.username == "systeme"


# ---------------------------------------------------------------- formula cells


def test_a_formula_without_a_computed_value_is_an_error_naming_the_cell(secretariat_client, evaluation, enrolments,
                                                                       workbook_for):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="14", user=None)
    wb = workbook_for(evaluation)
    wb["Notes"].cell(row=FIRST, column=5, value="=B2*2")  # openpyxl stores no computed value
    response = upload(secretariat_client, evaluation, xlsx_bytes(wb))
    assert response.context["errors"] == [imports.CELL.format(
        row=FIRST, column="Note", error=imports.FORMULA_WITHOUT_VALUE.format(cell="E5", formula="=B2*2"))]
    assert Grade.objects.get(enrolment=enrolments[0]).display == "14"  # never offered as « effacée »


def with_cached_value(content: bytes, cell: str, formula: str, cached: str, kind: str = "n") -> bytes:
    """Give a formula cell the value a spreadsheet program would have stored with it."""
    import io
    import zipfile

    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                old = re.search(rf'<c r="{cell}"[^>]*>.*?</c>', xml).group(0)
                xml = xml.replace(old, f'<c r="{cell}" t="{kind}"><f>{formula}</f><v>{cached}</v></c>')
                data = xml.encode()
            out.writestr(item, data)
    return target.getvalue()


def test_a_formula_with_a_computed_number_counts_by_that_number_and_the_preview_says_so(
        secretariat_client, evaluation, enrolments, workbook_for):
    wb = workbook_for(evaluation)
    wb["Notes"].cell(row=FIRST, column=5, value="=B2*2")
    content = with_cached_value(xlsx_bytes(wb), "E5", "B2*2", "13.5")
    preview = upload(secretariat_client, evaluation, content)
    assert [(r.enrolment.student.last_name, r.new, r.formula_cell) for r in preview.context["new"]] == [
        ("Bernard", "13,5", "E5")]
    assert "1 note du fichier vient d'une formule : la valeur calculée" in text(preview)
    confirm(secretariat_client, evaluation, preview)
    assert Grade.objects.get(enrolment=enrolments[0]).display == "13,5"


def test_a_formula_computing_text_is_refused(secretariat_client, evaluation, enrolments, workbook_for):
    wb = workbook_for(evaluation)
    wb["Notes"].cell(row=FIRST, column=5, value='=IF(1,"x")')
    content = with_cached_value(xlsx_bytes(wb), "E5", 'IF(1,"x")', "#VALUE!", kind="e")
    response = upload(secretariat_client, evaluation, content)
    assert response.context["errors"] == [imports.CELL.format(row=FIRST, column="Note", error=(
        imports.FORMULA_NOT_A_NUMBER.format(cell="E5", formula='=IF(1,"x")', value="#VALUE!")))]

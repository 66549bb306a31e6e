"""Headless Chromium: the secretary's journey. She logs in, opens a semester from the list, types a whole
evaluation for a 25-student group with the keyboard (one value refused, then fixed), reads the averages, downloads
another evaluation's sheet, fills it with openpyxl, imports it (preview, confirmation) and undoes the import."""
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest

from grading.models import Enrolment, Evaluation, Grade, GradeChange, Group, SemesterInstance
from grading.selectors.grade_entry import enrolments
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set, grades_import
from tests.browser.browsing import log_in, orm, wait_idle, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

# What she types in DS1 for TD1, in the grid's order, and what the grid stores. Row 6 is first typed "1O"
# (a letter O for a zero): refused on the spot, fixed to 10.
TYPED = ["12,5", "14", "abs", "8,75", "Exc", "16", "10", "9.5", "13", "7", "15,25", "11", "18", "6,5", "12", "20",
         "0", "17,5", "ABS", "9", "10,5", "14,75", "5", "19", "11,5"]
STORED = ["12,5", "14", "ABS", "8,75", "EXC", "16", "10", "9,5", "13", "7", "15,25", "11", "18", "6,5", "12", "20",
          "0", "17,5", "ABS", "9", "10,5", "14,75", "5", "19", "11,5"]
TYPO_ROW, TYPO = 6, "1O"
# DS2 as she writes it in the sheet for TD1: numbers, and text as one types it in a spreadsheet.
SHEET = [9.5, 14, "13,5", 8, 15, 12, 10.25, "ABS", 11, 16, 7.5, 13, "EXC", 9, 12, 17, 6, 14.5, 10, 11, 15, 12, 8.5,
         18, 13]
SHEET_STORED = ["9,5", "14", "13,5", "8", "15", "12", "10,25", "ABS", "11", "16", "7,5", "13", "EXC", "9", "12", "17",
                "6", "14,5", "10", "11", "15", "12", "8,5", "18", "13"]


@dataclass
class Semester:
    instance: SemesterInstance
    name: str
    ds1: Evaluation
    ds2: Evaluation
    td1_rows: list[Enrolment]
    td2_rows: list[Enrolment]


@pytest.fixture
def semester(users, make_semester_instance):
    """S1 with 50 students, 25 in TD1 and 25 in TD2, and R1.01's DS1 and DS2 (coefficient 1, towards both UEs).
    TD2's grades are in already (10 in DS1, 12 in DS2), and TD1's first student has 8 in DS2."""
    instance = make_semester_instance(students=50)
    module = instance.semester.modules.order_by("code").first()
    ds1, ds2 = (evaluation_create(semester_instance=instance, module=module, title=title, order=order)
                for order, title in enumerate(("DS1", "DS2")))
    td1, td2 = (Group.objects.get(semester_instance=instance, name=name) for name in ("TD1", "TD2"))
    td1_rows = list(enrolments(semester_instance=instance, group=td1))
    td2_rows = list(enrolments(semester_instance=instance, group=td2))
    for evaluation, grade in ((ds1, "10"), (ds2, "12")):
        grades_import(evaluation=evaluation, rows=[(e.pk, grade) for e in td2_rows],
                               user=users["direction"], filename="TD2.xlsx")
    grade_set(evaluation=ds2, enrolment=td1_rows[0], raw="8", user=users["direction"])
    return Semester(instance, str(instance), ds1, ds2, td1_rows, td2_rows)


def grades(evaluation, rows) -> list[str]:
    """The grades stored for these rows, in their order ("" for none)."""
    stored = orm(lambda: {g.enrolment_id: g.display for g in Grade.objects.filter(evaluation=evaluation)})
    return [stored.get(row.pk, "") for row in rows]


def averages(page, rows, ue) -> list[str]:
    return page.evaluate(
        """([ids, ue]) => ids.map(id =>
              document.querySelector(`tr[data-enrolment="${id}"] td.average[data-ue="${ue}"]`).textContent)""",
        [[row.pk for row in rows], ue])


def shown_average(grade: str) -> str:
    """The average of R1.01 when DS1 alone counts: the grade itself, ABS as 0, none for EXC (R1, R3)."""
    if grade == "EXC":
        return "–"
    return f"{Decimal('0' if grade == 'ABS' else grade.replace(',', '.')):.2f}".replace(".", ",")


def message(page) -> str:
    return page.locator(".messages").inner_text()


def test_a_secretary_types_a_group_imports_a_sheet_and_undoes_it(browser_page, live_server, users, semester,
                                                                tmp_path):
    page = browser_page
    td1 = semester.td1_rows
    log_in(page, live_server, "secretariat")
    page.click("text=Saisie des notes")
    page.get_by_role("link", name=semester.name).click()
    page.locator("table.modules").get_by_role("link", name="DS1").click()
    page.select_option("#id_groupe", label="TD1")
    page.click("form.group-filter button[type=submit]")
    inputs = page.locator("input.grade")
    assert inputs.count() == 25
    assert set(averages(page, td1, "UE1.1")) == {"–"}  # DS1 waits for TD1, DS2 for TD1 too (R2)

    # The whole group by keyboard: Enter or ↓ saves and goes down.
    inputs.first.click()
    for row, value in enumerate(TYPED):
        if row == TYPO_ROW:
            page.keyboard.type(TYPO)
            page.keyboard.press("Enter")  # refused on the spot, never sent; the focus goes on
            cell = page.locator("td.grade-cell").nth(TYPO_ROW)
            assert cell.locator(".cell-status").inner_text() == (
                "« 1O » n'est pas une note : saisissez un nombre de 0 à 20 (ex. 12,5), ou ABS, EXC, ATT")
            assert "is-refused" in cell.get_attribute("class")
            page.keyboard.press("ArrowUp")  # back on the refused cell, its value selected
        page.keyboard.type(value)
        page.keyboard.press("ArrowDown" if row % 5 == 4 else "Enter")
    wait_idle(page)
    wait_until(page, "document.getElementById('unsaved-count').textContent"
                           " === 'Toutes les notes sont enregistrées'")
    assert grades(semester.ds1, td1) == STORED
    assert grades(semester.ds1, semester.td2_rows) == ["10"] * 25
    assert orm(lambda: GradeChange.objects.filter(evaluation=semester.ds1, source="grid").count()) == 25
    assert page.locator("td.grade-cell.is-refused").count() == 0

    # The last grade completed DS1 (R2): every row's average appears without reloading the page.
    expected = [shown_average(grade) for grade in STORED]
    wait_until(page,
        """([ids, expected]) => ids.every((id, i) => document.querySelector(
              `tr[data-enrolment="${id}"] td.average[data-ue="UE1.1"]`).textContent === expected[i])""",
        arg=[[row.pk for row in td1], expected])
    assert averages(page, td1, "UE1.2") == expected
    assert expected[:6] == ["12,50", "14,00", "0,00", "8,75", "–", "16,00"]

    # DS2's sheet, from the module grid.
    page.click("text=Grille du module")
    page.locator("table.grade-grid thead").get_by_role("link", name="DS2").click()
    with page.expect_download() as download:
        page.click("text=Télécharger le tableur (.xlsx)")
    sheet = tmp_path / download.value.suggested_filename
    download.value.save_as(sheet)
    workbook = openpyxl.load_workbook(sheet)
    notes = workbook["Notes"]
    assert [cell.value for cell in notes[4]] == ["INE", "Nom", "Prénom", "Groupe", "Note"]
    filled = iter(SHEET)
    td1_ines = [row.student.ine for row in td1]
    for ine, _last, _first, group, grade in notes.iter_rows(min_row=5):
        if group.value == "TD1":
            assert ine.value in td1_ines
            grade.value = next(filled)
        else:
            assert grade.value == 12
    assert next(filled, None) is None  # every TD1 row filled
    workbook.save(sheet)

    page.click("text=Importer un tableur")
    page.set_input_files("input[type=file]", sheet)
    page.click("text=Vérifier le fichier")
    counts = page.locator(".preview-counts")
    assert counts.locator("[data-count=new]").inner_text() == "24 nouvelles"
    assert counts.locator("[data-count=changed]").inner_text() == "1 modifiée"
    assert counts.locator("[data-count=unchanged]").inner_text() == "25 inchangées"
    assert page.locator("table.preview tr.is-new").count() == 24
    changed = page.locator("table.preview tr.is-changed td")
    assert changed.all_inner_texts() == [str(td1[0].student), td1[0].student.ine, "8", "9,5", "modifiée"]
    assert grades(semester.ds2, td1) == ["8"] + [""] * 24  # nothing saved before she confirms
    page.click("text=Enregistrer ces 25 notes")
    page.locator(".messages .success").wait_for()
    assert message(page) == "Import enregistré : 24 nouvelle(s) note(s), 1 modifiée(s), 25 inchangée(s)."
    assert grades(semester.ds2, td1) == SHEET_STORED
    assert grades(semester.ds2, semester.td2_rows) == ["12"] * 25
    # DS2 complete now counts beside DS1 (R3, coefficients 1): 12,5 and 9,5; ABS (0) and 13,5; EXC and 15.
    assert averages(page, [td1[0], td1[2], td1[4]], "UE1.1") == ["11,00", "6,75", "15,00"]

    # She undoes the import from the grid's list of imports.
    mine = page.locator("#imports + .table-container tr", has_text="notes_R1.01_DS2.xlsx")
    assert "Sacha Secrétaire" in mine.inner_text() and "25" in mine.locator("td").all_inner_texts()
    mine.get_by_role("button", name="annuler cet import").click()
    page.locator(".messages .success").wait_for()
    assert message(page) == "Import annulé : 25 note(s) remises à leur valeur précédente."
    assert "annulé par Sacha Secrétaire" in mine.inner_text()
    assert grades(semester.ds2, td1) == ["8"] + [""] * 24
    assert grades(semester.ds2, semester.td2_rows) == ["12"] * 25
    assert [page.locator(f'tr[data-enrolment="{row.pk}"] input.grade').input_value() for row in td1[:3]] == [
        "8", "", ""]
    assert averages(page, [td1[0], td1[2], td1[4]], "UE1.1") == ["12,50", "0,00", "–"]  # DS1 alone again

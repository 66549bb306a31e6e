"""Internal notes of the fixtures stay out of user pages and PDFs; the PDF's semester total stays with its table;
the xlsx totals are formulas."""
import re
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook

from butgmp.roles import Role
from butgmp.spreadsheets import formula_cells
from tests.real_programmes import CAI, DIJON
from tests.spreadsheet_formulas import evaluate

# What the fixtures' notes and checks used to print on the pages: seed file names, YAML keys, check codes.
INTERNAL = re.compile(r"seeds/|\.txt\b|hours_mode|code_source|unknown_coefficients|\(seed \d+|module_td|coef: null")

pytestmark = [pytest.mark.django_db, pytest.mark.real_programmes(CAI, DIJON),
              pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def client_for(client, user_with_role, role):
    client.force_login(user_with_role(role))
    return client


def pdf_pages(content: bytes) -> list[str]:
    """Return the text of each page of a PDF (pdftotext)."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return text.decode().split("\f")


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.TEACHER, Role.JURY])
@pytest.mark.parametrize("code", [CAI, DIJON])
def test_no_fixture_note_reaches_a_staff_page(client, user_with_role, real_programmes, role, code):
    client = client_for(client, user_with_role, role)
    for number in (3, 4):
        page = client.get(f"/programmes/{code}/?semestre={number}").content.decode()
        assert not INTERNAL.search(page), INTERNAL.search(page)
        assert "Notes de saisie" not in page


@pytest.mark.parametrize("code", [CAI, DIJON])
def test_no_fixture_note_reaches_the_programme_pdf(client, user_with_role, real_programmes, code):
    client = client_for(client, user_with_role, Role.DIRECTION)
    for number in (3, 5) if code == CAI else (3, 4):
        text = "".join(pdf_pages(client.get(f"/programmes/{code}/S{number}.pdf").content))
        assert f"Total S{number}" in text
        assert not INTERNAL.search(text), INTERNAL.search(text)
        assert "Notes de saisie" not in text
        assert "La page liste" not in text  # the CAI semester notes begin so


def test_direction_finds_the_source_notes_in_a_collapsed_block(client, user_with_role, real_programmes):
    page = client_for(client, user_with_role, Role.DIRECTION).get(f"/programmes/{CAI}/?semestre=3").content.decode()
    block = page[page.index('<details class="input-notes">'):page.index("</details>")]
    assert "<summary>Notes de saisie</summary>" in block
    assert "seeds/002_f43b33c3d6c05f74.txt" in block  # the source
    assert "hours_mode repeated" in block  # the programme's notes
    assert "La page liste les ressources et SAÉ du S3 alternance CAI" in block  # the semester's notes
    assert not INTERNAL.search(page.replace(block, ""))


def test_the_checks_name_no_internal_code(client, user_with_role, real_programmes):
    page = client_for(client, user_with_role, Role.DIRECTION).get(f"/programmes/{CAI}/").content.decode()
    assert "la source ne donne pas le coefficient de" in page
    assert "(unknown_coefficients)" not in page


@pytest.mark.parametrize("code,number", [(DIJON, 3), (DIJON, 4), (CAI, 3), (CAI, 4)])
def test_the_pdf_prints_the_semester_total_once_on_the_page_of_the_last_ue(client, user_with_role, real_programmes,
                                                                           code, number):
    client = client_for(client, user_with_role, Role.SECRETARIAT)
    pages = pdf_pages(client.get(f"/programmes/{code}/S{number}.pdf").content)
    assert len([p for p in pages if p.strip()]) >= 2  # the table does break across pages
    with_total = [i for i, p in enumerate(pages) if f"Total S{number}" in p]
    assert len(with_total) == 1
    last_ue = f"Total UE{number}.5"
    assert last_ue in pages[with_total[0]]
    assert pages[with_total[0]].index(last_ue) < pages[with_total[0]].index(f"Total S{number}")


def test_the_xlsx_totals_are_formulas_that_follow_the_coefficients(client, user_with_role, real_programmes):
    content = client_for(client, user_with_role, Role.SECRETARIAT).get(f"/programmes/{DIJON}/S3.xlsx").content
    sheet = load_workbook(BytesIO(content))["S3"]
    rows = {row[1].value: row for row in sheet.iter_rows() if row[1].value}
    total = rows["Total S3"]
    assert total[8].value.startswith("=SUM(")  # coefficients
    assert evaluate(sheet, total[8].value) == 69
    assert evaluate(sheet, total[9].value) == 30  # ECTS
    # A head of department edits a coefficient: the UE and semester totals follow.
    module_row = next(row for row in sheet.iter_rows() if row[0].value == "R3.01")
    module_row[8].value = module_row[8].value + 10
    assert evaluate(sheet, total[8].value) == 79
    # Only our totals are formulas, and every module row's "Total hors projet" is CM + TD + TP.
    cells = formula_cells(content)
    assert cells and all(re.fullmatch(r"S3( matrice)?![C-J]\d+", c) for c in cells), cells
    assert module_row[6].value == f"=SUM(C{module_row[6].row}:E{module_row[6].row})"


def test_the_xlsx_keeps_a_dash_while_no_coefficient_of_a_total_is_known(client, user_with_role, real_programmes):
    content = client_for(client, user_with_role, Role.SECRETARIAT).get(f"/programmes/{CAI}/S3.xlsx").content
    sheet = load_workbook(BytesIO(content))["S3"]
    total = next(row for row in sheet.iter_rows() if row[1].value == "Total UE3.1")
    assert total[8].value.startswith("=IF(COUNT(")
    assert evaluate(sheet, total[8].value) == "—"


def test_the_xlsx_writes_text_that_looks_like_a_formula_as_text(client, user_with_role, real_programmes):
    from curriculum.models import Module

    Module.objects.filter(semester__programme__code=DIJON, code="R3.01").update(title="=HYPERLINK(\"x\")")
    content = client_for(client, user_with_role, Role.SECRETARIAT).get(f"/programmes/{DIJON}/S3.xlsx").content
    sheet = load_workbook(BytesIO(content))["S3"]
    row = next(row for row in sheet.iter_rows() if row[0].value == "R3.01")
    assert row[1].value == "=HYPERLINK(\"x\")"
    assert row[1].data_type == "s"
    assert f"S3!B{row[1].row}" not in formula_cells(content)

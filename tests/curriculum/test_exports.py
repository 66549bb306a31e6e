from io import BytesIO

import pytest
from openpyxl import load_workbook

from butgmp.roles import Role
from tests.curriculum.specs import UNKNOWN_SAE_COEFFICIENT
from tests.spreadsheet_formulas import evaluated_rows

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def staff_client(client, user_with_role):
    client.force_login(user_with_role(Role.SECRETARIAT))
    return client


def rows_by_label(sheet) -> dict:
    """Map each label of column B to its first row, formulas computed as a spreadsheet program shows them."""
    rows = {}
    for row in evaluated_rows(sheet):
        if len(row) > 1 and row[1]:
            rows.setdefault(row[1], row)
    return rows


def test_the_xlsx_export_opens_and_holds_the_numbers_as_numbers(staff_client, small_programme):
    response = staff_client.get("/programmes/test-mpi/S3.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="test-mpi-S3.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["S3", "S3 matrice"]
    sheet = workbook["S3"]
    rows = rows_by_label(sheet)
    # Code, Intitulé, CM, TD, TP, Projet, Total hors projet, Type éval., Coeff., ECTS
    assert rows["Total UE3.1"][2:10] == (1.5, 17, 14, 20, 32.5, None, 8, 15)
    assert rows["Total S3"][2:10] == (3, 30, 24, 30, 57, None, 14, 30)
    assert rows["Module SAE3.01"][8] == 3.5
    assert rows["Total des ressources"][8] == 4


def test_the_xlsx_export_has_bold_totals_and_column_widths(staff_client, small_programme):
    sheet = load_workbook(BytesIO(staff_client.get("/programmes/test-mpi/S3.xlsx").content))["S3"]
    total_row = next(row for row in sheet.iter_rows() if row[1].value == "Total S3")
    assert total_row[1].font.bold
    assert sheet.column_dimensions["B"].width == 52


def test_the_matrix_sheet_holds_coefficients_and_totals(staff_client, small_programme):
    sheet = load_workbook(BytesIO(staff_client.get("/programmes/test-mpi/S3.xlsx").content))["S3 matrice"]
    rows = {row[0]: row for row in evaluated_rows(sheet)}
    assert rows["Module"] == ("Module", "Intitulé", "UE3.1", "UE3.2", "Total")
    assert rows["R3.02"][2:] == (2, None, 2)
    assert rows["Total"][2:] == (8, 6, 14)


def test_the_whole_programme_export_has_a_sheet_per_semester(staff_client, small_programme):
    workbook = load_workbook(BytesIO(staff_client.get("/programmes/test-mpi/programme.xlsx").content))
    assert workbook.sheetnames == ["S3", "S3 matrice", "S4", "S4 matrice"]


def test_an_unknown_coefficient_is_a_dash_in_the_export(staff_client, build_programme):
    build_programme(UNKNOWN_SAE_COEFFICIENT)
    sheet = load_workbook(BytesIO(staff_client.get("/programmes/test-mpi/S3.xlsx").content))["S3"]
    rows = rows_by_label(sheet)
    assert rows["Module SAE3.01"][8] == "—"
    assert rows["Total UE3.1"][8] == 4
    assert rows["Total UE3.1"][10].startswith("Total incomplet")


def test_an_export_of_a_missing_semester_is_not_found(staff_client, small_programme):
    assert staff_client.get("/programmes/test-mpi/S5.xlsx").status_code == 404
    assert staff_client.get("/programmes/test-mpi/S5.pdf").status_code == 404


def test_the_pdf_export_returns_a_pdf(staff_client, small_programme):
    response = staff_client.get("/programmes/test-mpi/S3.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

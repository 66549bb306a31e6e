"""The real Dijon sheet (seeds/001), loaded from the YAML fixture, through the page, the summary and the checks."""
import json
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from butgmp.roles import Role
from curriculum.findings import check_programme
from curriculum.selectors import get_programme_summary
from curriculum.totals import Hours
from tests.real_programmes import DIJON
from tests.spreadsheet_formulas import evaluated_rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.real_programmes(DIJON),
    # WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def dijon(real_programmes):
    # Only the national reference and the Dijon file (the marker): other IUTs' files do not decide this test.
    return get_programme_summary(code=DIJON)


def test_dijon_s3_has_the_sheet_totals(dijon):
    s3 = dijon.semester(3)
    assert s3.ects == Decimal("30")
    assert s3.total.coefficient.value == Decimal("69")
    assert s3.total.hours == Hours(Decimal("21"), Decimal("170"), Decimal("154"), Decimal("110"))
    assert s3.total.hours.total == Decimal("345")
    ue31, ue32 = s3.ues[0], s3.ues[1]
    assert (ue31.code, ue31.ects, ue31.total.coefficient.value) == ("UE3.1", Decimal("4"), Decimal("9"))
    assert (ue31.resources.coefficient.value, ue31.sae.coefficient.value) == (Decimal("4"), Decimal("5"))
    assert ue31.total.hours == Hours(Decimal("1.5"), Decimal("17"), Decimal("22"), Decimal("30"))
    assert (ue32.code, ue32.ects, ue32.total.coefficient.value) == ("UE3.2", Decimal("8"), Decimal("18"))


def test_dijon_s4_has_the_sheet_totals(dijon):
    s4 = dijon.semester(4)
    assert s4.ects == Decimal("30")
    assert s4.total.coefficient.value == Decimal("75")
    assert s4.total.hours == Hours(Decimal("3"), Decimal("102"), Decimal("80"), Decimal("65"))


def test_dijon_follows_every_rule(dijon):
    assert check_programme(dijon) == []


def test_dijon_s3_page_shows_the_sheet_figures(dijon, client, user_with_role):
    client.force_login(user_with_role(Role.DIRECTION))
    response = client.get(f"/programmes/{DIJON}/?semestre=3")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Total UE3.1" in page and "40,5" in page
    assert "IUT Dijon-Auxerre" in page


def test_dijon_s3_summary_figures(dijon):
    out = StringIO()
    call_command("programme_summary", "--programme", DIJON, stdout=out)
    [programme] = json.loads(out.getvalue())
    assert (programme["iut"], programme["parcours"], programme["modality"]) == ("IUT Dijon-Auxerre", "MPI",
                                                                               "alternance")
    s3 = programme["semesters"][0]
    assert (s3["number"], s3["ects"], s3["coefficient_total"]) == (3, 30, 69)
    assert s3["hours"] == {"cm": 21, "td": 170, "tp": 154, "project": 110}
    ue31, ue32 = s3["ues"][0], s3["ues"][1]
    assert {k: ue31[k] for k in ("code", "competence", "level", "ects", "coefficient_total",
                                 "resources_coefficient", "sae_coefficient")} == {
        "code": "UE3.1", "competence": "C1", "level": 2, "ects": 4, "coefficient_total": 9,
        "resources_coefficient": 4, "sae_coefficient": 5}
    assert ue31["hours"] == {"cm": 1.5, "td": 17, "tp": 22, "project": 30}
    assert (ue32["coefficient_total"], ue32["ects"]) == (18, 8)
    sae = next(m for m in ue31["modules"] if m["code"] == "SAE3.01")
    assert sae == {"code": "SAE3.01", "kind": "sae", "coefficient": 5,
                   "hours": {"cm": 1.5, "td": 0, "tp": 4, "project": 30},
                   "domain": "", "domain_coefficient": None, "code_derived": False}
    # The sheet prints every code but the portfolio's; it gives no coefficient per domain.
    portfolio = next(m for m in ue31["modules"] if m["code"] == "PORTFOLIO3")
    assert portfolio["code_derived"] is True
    assert s3["domain_coefficient_total"] is None


def test_dijon_s3_export_holds_the_sheet_figures(dijon, client, user_with_role):
    client.force_login(user_with_role(Role.SECRETARIAT))
    sheet = load_workbook(BytesIO(client.get(f"/programmes/{DIJON}/S3.xlsx").content))["S3"]
    rows = {row[1]: row for row in evaluated_rows(sheet) if len(row) > 1 and row[1]}
    assert rows["Total S3"][2:10] == (21, 170, 154, 110, 345, None, 69, 30)
    assert rows["Total UE3.1"][2:10] == (1.5, 17, 22, 30, 40.5, None, 9, 4)

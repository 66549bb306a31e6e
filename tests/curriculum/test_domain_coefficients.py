"""Coefficients per teaching domain (Le Creusot's alternance fiche) and module codes deduced from the national
numbering: stored by the loader, shown on the programme page, in both exports and in programme_summary (the real
Le Creusot IPI alternance fixture: test_lecreusot_domains.py)."""
import json
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from openpyxl import load_workbook

from butgmp.roles import Role
from curriculum.apogee_codes import APOGEE_PAGE_QUERIES
from curriculum.fixture_loader import load_programme_file, load_reference
from curriculum.levels_shown import LEVELS_PAGE_QUERIES
from curriculum.models import HoursMode, Module
from curriculum.selectors import PROGRAMME_QUERIES, get_programme_summary
from curriculum.totals import Hours
from curriculum.versions import EDITING_CONTEXT_QUERIES
from tests.spreadsheet_formulas import evaluated_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DOMAIN_HEADING = "Coefficients par domaine d'enseignement (source : fiche alternance)"
DERIVED_LEGEND = "code déduit de la numérotation nationale, absent de la source"

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# S3 of an alternance programme whose source gives hours and a coefficient per teaching domain, none per UE.
# The PPP has no domain (outside the fiche's totals); the portfolio has a domain but no coefficient.
DOMAIN_SEMESTER = {3: {
    "modules": {
        "R3.01": ("resource", (0, 26, 4, 0)),
        "R3.07": ("resource", (0, 24, 20, 0)),
        "R3.15": ("resource", (0, 3, 0, 0)),
        "IMMERSION3": "sae",
        "PORTFOLIO3": ("portfolio", (0, 3, 0, 0)),
    },
    "ues": [
        ("UE3.1", "C1", 2, 15, [("R3.01", None, (0, 26, 4, 0)), ("R3.07", None, (0, 24, 20, 0)),
                                ("IMMERSION3", None, (0, 0, 0, 0))]),
        ("UE3.2", "C2", 2, 15, [("R3.01", None, (0, 26, 4, 0)), ("R3.15", None, (0, 3, 0, 0)),
                                ("IMMERSION3", None, (0, 0, 0, 0)), ("PORTFOLIO3", None, (0, 3, 0, 0))]),
    ],
}}
# code: (domain, domain coefficient, code derived)
DOMAINS = {
    "R3.01": ("Modélisation multiphysique – Mécanique", "3", True),
    "R3.07": ("Ingénierie de production – Production/Méthodes", "4.5", True),
    "IMMERSION3": ("SAÉ – Immersion professionnelle", "24", True),
    "PORTFOLIO3": ("SAÉ – Portfolio", None, True),
}
# 3 + 4.5 + 24 (the portfolio has none; the PPP no domain).
DOMAIN_TOTAL = Decimal("31.5")


@pytest.fixture
def domain_programme(build_programme):
    programme = build_programme(DOMAIN_SEMESTER, code="test-domaines", hours_mode=HoursMode.REPEATED)
    for code, (domain, coefficient, derived) in DOMAINS.items():
        Module.objects.filter(semester__programme=programme, code=code).update(
            domain=domain, domain_coefficient=None if coefficient is None else Decimal(coefficient),
            code_derived=derived)
    return programme


@pytest.fixture
def staff_client(client, user_with_role):
    client.force_login(user_with_role(Role.TEACHER))
    return client


def domain_table(page: str) -> str:
    """Return the HTML of the page's domain table (ValueError when absent)."""
    start = page.index('<table class="domain-coefficients">')
    return page[start:page.index("</table>", start)]


# --- loader ---------------------------------------------------------------------------------------------------

PROGRAMME_YAML = """\
programme:
  code: test-codes
  title: Programme d'essai
  iut: IUT d'essai
  parcours: MPI
  modality: alternance
  first_year: 2026
  hours_mode: repeated
semesters:
  - number: 3
    modules:
      R3.01: {title: Mécanique, kind: resource, domain: Mécanique, domain_coefficient: 3, code_source: derived}
      R3.03: {title: Science des matériaux, kind: resource, code_source: sheet}
      SAE3.01: {title: Répondre à un besoin, kind: sae}
    ues:
      - code: UE3.1
        competence: C1
        level: 2
        ects: 30
        rows:
          - {module: R3.01, coef: null, td: 26, tp: 4}
          - {module: R3.03, coef: null, td: 8, tp: 12}
          - {module: SAE3.01, coef: null, td: 2}
"""


@pytest.fixture
def programme_file(db, tmp_path):
    load_reference(FIXTURES / "gmp.yaml")
    path = tmp_path / "test-codes.yaml"
    path.write_text(PROGRAMME_YAML, encoding="utf-8")
    return path


def derived_codes() -> dict[str, bool]:
    return dict(Module.objects.filter(semester__programme__code="test-codes").values_list("code", "code_derived"))


def test_the_loader_stores_a_derived_code_as_code_derived_and_a_printed_or_unsaid_one_as_not(programme_file):
    load_programme_file(programme_file)
    assert derived_codes() == {"R3.01": True, "R3.03": False, "SAE3.01": False}
    r301 = Module.objects.get(semester__programme__code="test-codes", code="R3.01")
    assert (r301.domain, r301.domain_coefficient) == ("Mécanique", Decimal("3"))


def test_loading_the_same_file_twice_changes_nothing_and_a_changed_code_source_is_written(programme_file):
    assert load_programme_file(programme_file).changes > 0
    assert load_programme_file(programme_file).changes == 0
    programme_file.write_text(PROGRAMME_YAML.replace("code_source: derived", "code_source: sheet"), encoding="utf-8")
    assert load_programme_file(programme_file).changes == 1
    assert derived_codes() == {"R3.01": False, "R3.03": False, "SAE3.01": False}


# --- selector ---------------------------------------------------------------------------------------------------

def test_the_selector_lists_the_modules_with_a_domain_and_adds_the_given_coefficients(
        domain_programme, django_assert_num_queries):
    with django_assert_num_queries(PROGRAMME_QUERIES):
        s3 = get_programme_summary(code="test-domaines").semester(3)
    assert [m.code for m in s3.domain_modules] == ["R3.01", "R3.07", "IMMERSION3", "PORTFOLIO3"]
    assert s3.domain_coefficient_total == DOMAIN_TOTAL
    # Each module's own hours once: 30 + 44 + 0 + 3 = 77 (td 53, tp 24), the PPP left out.
    assert s3.domain_hours == Hours(td=Decimal("53"), tp=Decimal("24"))
    assert s3.domain_hours.total == Decimal("77")
    assert s3.has_derived_codes


def test_a_semester_without_domain_coefficients_has_no_domain_total(small_programme):
    s3 = get_programme_summary(code="test-mpi").semester(3)
    assert s3.domain_coefficient_total is None
    assert not s3.has_domain_coefficients and not s3.has_derived_codes


# --- page -------------------------------------------------------------------------------------------------------

def test_the_page_shows_the_domain_table_with_each_coefficient_and_the_total(staff_client, domain_programme):
    page = staff_client.get("/programmes/test-domaines/?semestre=3").content.decode()
    assert DOMAIN_HEADING in page
    table = domain_table(page)
    for domain, _coefficient, _derived in DOMAINS.values():
        assert f"<td>{domain}</td>" in table
    assert '<td class="num domain-coefficient">4,5</td>' in table
    assert '<td class="num domain-coefficient">24</td>' in table
    assert "R3.15" not in table  # no domain
    total = table[table.index('<tr class="total domain-total">'):]
    assert "Total S3 des domaines" in total
    assert '<td class="num">53</td><td class="num">24</td>' in total
    assert '<td class="num">77</td>' in total
    assert '<td class="num domain-coefficient">31,5</td>' in total


def test_the_page_marks_derived_codes_and_explains_the_mark(staff_client, domain_programme):
    page = staff_client.get("/programmes/test-domaines/?semestre=3").content.decode()
    mark = ('<span class="code-derived muted" title="Code déduit de la numérotation nationale, absent de la source">'
            "†</span>")
    assert f"<td>R3.01{mark}" in page
    assert f"<td>R3.15{mark}" not in page and "<td>R3.15</td>" in page
    assert f"<td>R3.01{mark}" in domain_table(page)
    assert DERIVED_LEGEND in page


def test_a_page_without_domain_coefficients_nor_derived_codes_shows_neither(staff_client, small_programme):
    page = staff_client.get("/programmes/test-mpi/?semestre=3").content.decode()
    assert "Coefficients par domaine" not in page
    assert "code-derived" not in page and DERIVED_LEGEND not in page


def test_the_page_with_a_domain_table_runs_no_more_queries(staff_client, domain_programme, django_assert_num_queries):
    with django_assert_num_queries(PROGRAMME_QUERIES + 3 + EDITING_CONTEXT_QUERIES + APOGEE_PAGE_QUERIES
                                   + LEVELS_PAGE_QUERIES):
        assert staff_client.get("/programmes/test-domaines/?semestre=3").status_code == 200


def test_the_pdf_page_holds_the_domain_table_and_the_derived_code_legend(domain_programme):
    programme = get_programme_summary(code="test-domaines")
    html = render_to_string("curriculum/pdf/programme_semester.html",
                            {"programme": programme, "semester": programme.semester(3)})
    assert DOMAIN_HEADING in html
    assert '<td class="num domain-coefficient">31,5</td>' in domain_table(html)
    assert f"† : {DERIVED_LEGEND}" in html


# --- spreadsheet ---------------------------------------------------------------------------------------------------

def test_the_xlsx_has_a_domain_sheet_with_each_coefficient_and_the_total(staff_client, domain_programme):
    workbook = load_workbook(BytesIO(staff_client.get("/programmes/test-domaines/S3.xlsx").content))
    assert workbook.sheetnames == ["S3", "S3 matrice", "S3 domaines"]
    rows = evaluated_rows(workbook["S3 domaines"])
    header = rows.index(("Domaine d'enseignement", "Code", "Intitulé", "CM", "TD", "TP", "Projet",
                         "Total hors projet", "Coeff. du domaine", "Code déduit"))
    lines = {row[1]: row for row in rows[header + 1:] if row[1]}
    # Domain, code, title, CM, TD, TP, Projet, Total hors projet, Coeff. du domaine, Code déduit
    assert lines["R3.01"] == ("Modélisation multiphysique – Mécanique", "R3.01", "Module R3.01", 0, 26, 4, 0, 30, 3,
                              "oui")
    assert lines["R3.07"][7:] == (44, 4.5, "oui")
    assert lines["IMMERSION3"][8] == 24
    assert lines["PORTFOLIO3"][7:] == (3, "—", "oui")
    assert "R3.15" not in lines
    total = next(row for row in rows if row[0] == "Total S3")
    assert total[3:9] == (0, 53, 24, 0, 77, 31.5)


def test_the_xlsx_notes_derived_codes_in_the_remarks_column(staff_client, domain_programme):
    sheet = load_workbook(BytesIO(staff_client.get("/programmes/test-domaines/S3.xlsx").content))["S3"]
    remarks = {row[0]: row[10] for row in sheet.iter_rows(values_only=True) if row[0] in ("R3.01", "R3.15")}
    assert remarks == {"R3.01": "Code déduit de la numérotation nationale, absent de la source", "R3.15": None}


def test_the_xlsx_of_a_semester_without_domain_coefficients_has_no_domain_sheet(staff_client, small_programme):
    workbook = load_workbook(BytesIO(staff_client.get("/programmes/test-mpi/programme.xlsx").content))
    assert workbook.sheetnames == ["S3", "S3 matrice", "S4", "S4 matrice"]


# --- programme_summary ---------------------------------------------------------------------------------------------

def summary(code: str) -> dict:
    out = StringIO()
    call_command("programme_summary", "--programme", code, stdout=out)
    return json.loads(out.getvalue())[0]


def test_the_summary_gives_each_module_its_domain_coefficient_and_each_semester_their_total(domain_programme):
    s3 = summary("test-domaines")["semesters"][0]
    assert s3["domain_coefficient_total"] == 31.5
    assert s3["coefficient_total"] is None  # no coefficient per UE
    ue31, ue32 = s3["ues"]
    r307 = next(m for m in ue31["modules"] if m["code"] == "R3.07")
    assert {k: r307[k] for k in ("domain", "domain_coefficient", "code_derived")} == {
        "domain": "Ingénierie de production – Production/Méthodes", "domain_coefficient": 4.5, "code_derived": True}
    by_code = {m["code"]: m for m in ue32["modules"]}
    assert (by_code["R3.01"]["domain_coefficient"], by_code["IMMERSION3"]["domain_coefficient"]) == (3, 24)
    assert by_code["PORTFOLIO3"]["domain_coefficient"] is None and by_code["PORTFOLIO3"]["code_derived"] is True
    assert {k: by_code["R3.15"][k] for k in ("domain", "domain_coefficient", "code_derived")} == {
        "domain": "", "domain_coefficient": None, "code_derived": False}


def test_the_summary_total_is_null_when_no_module_has_a_domain_coefficient(small_programme):
    assert [s["domain_coefficient_total"] for s in summary("test-mpi")["semesters"]] == [None, None]

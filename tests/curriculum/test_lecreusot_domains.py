"""The real Le Creusot IPI alternance fixture: its coefficients per teaching domain (the fiche's totals) on the
programme page and in programme_summary (the feature itself: test_domain_coefficients.py)."""
from decimal import Decimal

import pytest

from butgmp.roles import Role
from curriculum.fixture_yaml import read_fixture
from curriculum.selectors import get_programme_summary
from curriculum.totals import Hours
from tests.curriculum.test_domain_coefficients import DERIVED_LEGEND, domain_table, summary
from tests.real_programmes import FIXTURES, LECREUSOT_IPI

# Only the national reference and the Le Creusot IPI alternance file, loaded once for the module.
pytestmark = [pytest.mark.real_programmes(LECREUSOT_IPI),
              # WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
              pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def staff_client(client, user_with_role):
    client.force_login(user_with_role(Role.TEACHER))
    return client


@pytest.fixture
def lecreusot(real_programmes):
    return get_programme_summary(code=LECREUSOT_IPI)


def printed_sheet(number: int) -> dict:
    """The `sheet:` of a semester of the Le Creusot IPI alternance fixture: the fiche's printed "Total" line."""
    data = read_fixture(FIXTURES / "programmes" / f"{LECREUSOT_IPI}.yaml")
    [semester] = [s for s in data["semesters"] if int(s["number"]) == number]
    return {key: Decimal(value) for key, value in semester["sheet"].items()}


def test_the_fixture_transcribes_the_fiche_totals_63_for_s3_and_75_for_s4():
    assert printed_sheet(3)["domain_coefficient"] == Decimal("63")
    assert printed_sheet(4)["domain_coefficient"] == Decimal("75")


def test_le_creusot_s3_and_s4_domain_totals_are_the_fiche_s_63_and_75(lecreusot):
    assert lecreusot.semester(3).domain_coefficient_total == Decimal("63")
    assert lecreusot.semester(4).domain_coefficient_total == Decimal("75")


def test_le_creusot_s3_domain_hours_are_the_fiche_s_356(lecreusot):
    s3 = lecreusot.semester(3)
    assert s3.domain_hours == Hours(td=Decimal("220"), tp=Decimal("136"))  # fiche: CM-TD 220, TP 136
    assert s3.domain_hours.total == Decimal("356")
    assert len(s3.domain_modules) == 15 and all(m.code_derived for m in s3.modules)


def test_le_creusot_s3_page_shows_the_domain_total_63(lecreusot, staff_client):
    page = staff_client.get(f"/programmes/{LECREUSOT_IPI}/?semestre=3").content.decode()
    table = domain_table(page)
    assert '<td class="num domain-coefficient">63</td>' in table
    assert "<td>SAÉ – Immersion professionnelle</td>" in table
    assert DERIVED_LEGEND in page


def test_le_creusot_summary_gives_the_domain_totals_of_the_fiche(lecreusot):
    totals = {s["number"]: s["domain_coefficient_total"] for s in summary(LECREUSOT_IPI)["semesters"]}
    assert totals == {1: None, 2: None, 3: 63, 4: 75, 5: 71, 6: 38}

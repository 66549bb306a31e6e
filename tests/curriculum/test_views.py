import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from butgmp.roles import Role
from curriculum.apogee_codes import APOGEE_PAGE_QUERIES
from curriculum.levels_shown import LEVELS_PAGE_QUERIES
from curriculum.models import UE, CriticalLearning
from curriculum.selectors import PROGRAMME_QUERIES, VERSION_LABELS_QUERIES
from curriculum.versions import EDITING_CONTEXT_QUERIES
from tests.curriculum.specs import SMALL, UNKNOWN_SAE_COEFFICIENT

STAFF = [Role.DIRECTION, Role.SECRETARIAT, Role.TEACHER, Role.JURY]
PAGES = ["/programmes/", "/programmes/test-mpi/", "/programmes/test-mpi/S3.xlsx", "/programmes/test-mpi/S3.pdf",
         "/programmes/test-mpi/programme.xlsx"]

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def staff_client(client, user_with_role):
    client.force_login(user_with_role(Role.TEACHER))
    return client


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, small_programme, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_a_student_is_refused(client, small_programme, user_with_role, url):
    client.force_login(user_with_role(Role.STUDENT))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", STAFF)
def test_every_staff_role_sees_the_programmes(client, small_programme, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get("/programmes/").status_code == 200
    assert client.get("/programmes/test-mpi/").status_code == 200


def test_the_list_links_each_programme_and_counts_its_findings(staff_client, small_programme):
    page = staff_client.get("/programmes/").content.decode()
    assert 'href="/programmes/test-mpi/"' in page
    assert "IUT de test" in page
    assert "S3, S4" in page
    assert "aucun constat" in page


def test_the_page_shows_the_first_semester_by_default_with_its_totals(staff_client, small_programme):
    response = staff_client.get("/programmes/test-mpi/")
    assert response.context["semester"].number == 3
    page = response.content.decode()
    assert "Total des ressources" in page and "Total des SAÉ" in page and "Total UE3.1" in page
    assert "Total S3" in page
    ue = response.context["semester"].ues[0]
    assert ue.total.coefficient.value == 8


def test_the_page_writes_numbers_with_a_decimal_comma(staff_client, small_programme):
    page = staff_client.get("/programmes/test-mpi/?semestre=3").content.decode()
    # UE3.1: SAE3.01 coefficient 3,5; CM total 1,5; total hors projet 32,5.
    assert '<td class="num">3,5</td>' in page
    assert '<td class="num">32,5</td>' in page
    assert "3.5" not in page


def test_the_page_shows_the_semester_picked(staff_client, small_programme):
    response = staff_client.get("/programmes/test-mpi/?semestre=S4")
    assert response.context["semester"].number == 4
    assert "Total UE4.2" in response.content.decode()
    assert 'href="/programmes/test-mpi/S4.xlsx"' in response.content.decode()
    assert 'href="/programmes/test-mpi/S4.pdf"' in response.content.decode()


@pytest.mark.parametrize("value", ["7", "S9", "abc", ""])
def test_an_invalid_semester_parameter_shows_a_french_error(staff_client, small_programme, value):
    response = staff_client.get("/programmes/test-mpi/", {"semestre": value})
    assert response.status_code == 200
    assert response.context["semester"] is None
    page = response.content.decode()
    if value:
        assert f"Le semestre « {value} » n&#x27;existe pas dans ce programme ; choisissez parmi : S3, S4." in page
    else:
        assert "Ce champ est obligatoire." in page
    assert "Total S" not in page


def test_the_page_shows_the_matrix_and_the_checks(staff_client, small_programme):
    response = staff_client.get("/programmes/test-mpi/")
    page = response.content.decode()
    assert "Matrice des coefficients" in page
    assert "Aucun constat" in page


def test_the_page_shows_unknown_coefficients_as_a_dash_and_totals_as_incomplete(staff_client, build_programme):
    build_programme(UNKNOWN_SAE_COEFFICIENT)
    page = staff_client.get("/programmes/test-mpi/").content.decode()
    assert "—</span>" in page
    assert "≥ 4*" in page
    assert "la source ne donne pas le coefficient de SAE3.01" in page


def test_an_unknown_programme_is_not_found(staff_client, db):
    assert staff_client.get("/programmes/nope/").status_code == 404


def test_the_page_runs_the_same_number_of_queries_whatever_the_programme_size(staff_client, build_programme):
    build_programme({3: SMALL[3]}, code="small")
    build_programme(SMALL, code="bigger")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    assert count("/programmes/small/") == count("/programmes/bigger/")
    assert count("/programmes/small/?semestre=3") == count("/programmes/bigger/?semestre=4")


@pytest.mark.parametrize("url,extra", [("/programmes/", VERSION_LABELS_QUERIES),
                                       ("/programmes/test-mpi/?semestre=4",
                                        EDITING_CONTEXT_QUERIES + APOGEE_PAGE_QUERIES + LEVELS_PAGE_QUERIES),
                                       ("/programmes/test-mpi/S3.xlsx", 0)])
def test_each_page_runs_the_selector_queries_plus_session_user_and_roles(
        staff_client, small_programme, django_assert_num_queries, url, extra):
    with django_assert_num_queries(PROGRAMME_QUERIES + 3 + extra):
        assert staff_client.get(url).status_code == 200


def test_the_programme_page_shows_each_level_of_the_semester_with_its_critical_learnings(staff_client, small_programme):
    ue = UE.objects.select_related("competence_level").get(semester__programme__code="test-mpi",
                                                          semester__number=3, code="UE3.1")
    CriticalLearning.objects.bulk_create([
        CriticalLearning(level=ue.competence_level, code="AC21.02", text="Choisir une solution", order=2),
        CriticalLearning(level=ue.competence_level, code="AC21.01", text="Formaliser le besoin", order=1)])
    html = staff_client.get("/programmes/test-mpi/?semestre=3").content.decode()
    section = html[html.index('id="niveaux"'):]
    first = section[:section.index("</details>")]
    assert "UE3.1" in first and f"niveau {ue.competence_level.level}" in first
    assert "2 apprentissages critiques" in first
    assert first.index("AC21.01") < first.index("AC21.02")  # the référentiel's order
    levels = UE.objects.filter(semester__programme__code="test-mpi", semester__number=3
                               ).values("competence_level").distinct().count()
    assert section.count("<details class=\"level\">") == levels
    assert section.count("apprentissages critiques non importés") == levels - 1

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum.models import UE, Module, Programme, Semester
from tests.curriculum.specs import SMALL

MODELS = ["speciality", "parcours", "competence", "competencelevel", "criticallearning", "competenceblock",
          "programme", "semester", "ue", "module", "moduleue"]

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("chef", "chef@example.org", "pw"))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_curriculum_model_has_a_list_and_an_add_page(admin_client, small_programme, model):
    assert admin_client.get(f"/admin/curriculum/{model}/").status_code == 200
    assert admin_client.get(f"/admin/curriculum/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_list_can_be_searched(admin_client, small_programme, model):
    assert admin_client.get(f"/admin/curriculum/{model}/", {"q": "UE3"}).status_code == 200


def test_the_programme_list_counts_the_findings(admin_client, build_programme):
    build_programme({3: SMALL[3]})  # S3 alone: its UEs miss their RCUE pair
    page = admin_client.get("/admin/curriculum/programme/").content.decode()
    assert "2 (2 erreur(s), 0 avertissement(s))" in page


def test_the_programme_list_runs_the_same_queries_for_more_programmes(admin_client, build_programme):
    build_programme(SMALL, code="one")

    def count():
        with CaptureQueriesContext(connection) as queries:
            admin_client.get("/admin/curriculum/programme/")
        return len(queries)

    before = count()
    build_programme(SMALL, code="two")
    build_programme(SMALL, code="three")
    assert count() == before


def test_the_programme_page_lists_the_findings(admin_client, build_programme):
    programme = build_programme({3: SMALL[3]})
    page = admin_client.get(f"/admin/curriculum/programme/{programme.pk}/change/").content.decode()
    assert "constats des vérifications" in page.lower()
    assert "aucune UE de S4 ne se réfère à la même compétence" in page


def test_the_ue_page_edits_its_coefficient_rows_with_the_semester_modules_only(admin_client, small_programme):
    ue = UE.objects.get(code="UE3.1")
    response = admin_client.get(f"/admin/curriculum/ue/{ue.pk}/change/")
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.opts.model.__name__ == "ModuleUE")
    choices = set(formset.formset.forms[0].fields["module"].queryset.values_list("code", flat=True))
    assert choices == {"R3.01", "R3.02", "SAE3.01", "PORTFOLIO3"}


def test_the_module_page_lists_the_ues_it_feeds(admin_client, small_programme):
    module = Module.objects.get(code="R3.01")
    page = admin_client.get(f"/admin/curriculum/module/{module.pk}/change/").content.decode()
    assert "UE alimentées" in page


def test_the_semester_and_programme_pages_open(admin_client, small_programme):
    semester = Semester.objects.get(number=3)
    assert admin_client.get(f"/admin/curriculum/semester/{semester.pk}/change/").status_code == 200
    programme = Programme.objects.get()
    assert admin_client.get(f"/admin/curriculum/programme/{programme.pk}/change/").status_code == 200


def test_the_lists_filter_by_programme_semester_and_kind(admin_client, small_programme):
    programme = Programme.objects.get()
    response = admin_client.get("/admin/curriculum/module/", {
        "semester__programme__id__exact": programme.pk, "semester__number": 3, "kind__exact": "sae"})
    assert response.status_code == 200
    assert [m.code for m in response.context["cl"].result_list] == ["SAE3.01"]

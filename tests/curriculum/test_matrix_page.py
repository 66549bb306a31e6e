"""The matrix page: Direction edits a programme's semester as one table, saved in one transaction, audited."""
import html
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from butgmp.roles import Role
from curriculum.editing import NEW
from curriculum.errors import NOTHING_CHANGED, STALE
from curriculum.findings import check_programme
from curriculum.matrix_form import HOURS_WITHOUT_COEFFICIENT, MODULE_EXISTS, cell_name, module_name, ue_name
from curriculum.models import UE, CompetenceLevel, HoursMode, Module, ModuleUE, ProgrammeChange
from curriculum.selectors import get_programme_summary
from tests.curriculum.specs import SMALL

URL = "/programmes/test-mpi/S3/modifier/"

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never run collectstatic).
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def table(client, url=URL) -> dict:
    """Return the page's form as posted unchanged (every cell with its saved value)."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def cell(module: str, ue: str, what: str = "") -> str:
    return cell_name(Module.objects.get(code=module).pk, UE.objects.get(code=ue).pk, what)


def coefficient(module: str, ue: str) -> Decimal | None:
    return ModuleUE.objects.get(module__code=module, ue__code=ue).coefficient


def test_only_direction_edits_a_programme(client, small_programme, user_with_role):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(user_with_role(Role.SECRETARIAT))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_the_page_shows_each_cell_with_its_saved_value(client, direction, small_programme):
    data = table(client)
    assert data[cell("R3.01", "UE3.1")] == "2"
    assert data[cell("SAE3.01", "UE3.1")] == "3,5"
    assert data[cell("R3.01", "UE3.1", "cm")] == "1,5"
    assert data[cell("R3.02", "UE3.2")] == ""  # R3.02 does not count in UE3.2
    assert data[ue_name(UE.objects.get(code="UE3.1").pk, "ects")] == "15"
    page = client.get(URL).content.decode()
    assert 'data-kind="coef"' in page and "js/matrix.js" in page


def test_it_saves_the_whole_table_in_one_transaction_with_a_summary(client, direction, small_programme):
    data = table(client)
    data[cell("R3.01", "UE3.2")] = "2,5"
    data[cell("SAE3.01", "UE3.2")] = "3.5"
    data[ue_name(UE.objects.get(code="UE3.2").pk, "rcue")] = "2"
    response = client.post(URL, data, follow=True)
    assert response.redirect_chain[-1][0] == "/programmes/test-mpi/?semestre=3"
    page = html.unescape(response.content.decode())
    assert ("3 modification(s) enregistrée(s) en S3 : S3 UE3.2 – coefficient dans le RCUE : 1 → 2 ; "
            "S3 R3.01 × UE3.2 – coefficient : 3 → 2,5 ; S3 SAE3.01 × UE3.2 – coefficient : 3 → 3,5") in page
    assert coefficient("R3.01", "UE3.2") == Decimal("2.5")
    assert coefficient("SAE3.01", "UE3.2") == Decimal("3.5")
    assert UE.objects.get(code="UE3.2").rcue_coefficient == 2
    assert len(set(ProgrammeChange.objects.values_list("batch", flat=True))) == 1
    # the programme page shows the new totals: UE3.2 = 2,5 + 3,5 + 0
    assert get_programme_summary(code="test-mpi").semester(3).ues[1].total.coefficient.value == 6


def test_it_refuses_invalid_cells_with_their_reasons_and_saves_nothing(client, direction, small_programme):
    data = table(client)
    data[cell("R3.01", "UE3.1")] = "4"  # valid, but not saved either
    data[cell("R3.02", "UE3.1")] = "deux"
    data[cell("SAE3.01", "UE3.1")] = "-1"
    data[cell("R3.01", "UE3.1", "td")] = "10,25"
    data[ue_name(UE.objects.get(code="UE3.1").pk, "ects")] = ""
    response = client.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[cell("R3.02", "UE3.1")][0].startswith("« deux » n'est pas un coefficient")
    assert form.errors[cell("SAE3.01", "UE3.1")] == ["-1 < 0 : un coefficient ne peut pas être négatif"]
    assert form.errors[cell("R3.01", "UE3.1", "td")] == ["10,25 : une décimale au plus"]
    assert form.errors[ue_name(UE.objects.get(code="UE3.1").pk, "ects")] == ["ECTS de UE3.1 : valeur obligatoire"]
    page = html.unescape(response.content.decode())
    assert "Rien n'a été enregistré" in page and "4 cases refusées" in page
    assert 'value="deux"' in page  # what was typed stays in its cell
    assert coefficient("R3.01", "UE3.1") == 2
    assert not ProgrammeChange.objects.exists()


def test_a_failure_while_writing_leaves_the_whole_table_as_it_was(client, direction, small_programme):
    from grading.models import ExternalValidation, Student  # a UE still used elsewhere cannot be deleted

    student = Student.objects.create(ine="12345678901", last_name="Martin", first_name="Léa")
    ExternalValidation.objects.create(student=student, ue=UE.objects.get(code="UE3.2"), code="ADM")
    data = table(client)
    data[cell("R3.01", "UE3.1")] = "5"
    data[ue_name(UE.objects.get(code="UE3.2").pk, "delete")] = "on"
    response = client.post(URL, data)
    assert "Suppression impossible : UE3.2 est encore utilisé" in html.unescape(response.content.decode())
    assert coefficient("R3.01", "UE3.1") == 2
    assert UE.objects.filter(code="UE3.2").exists()
    assert not ProgrammeChange.objects.exists()


def test_a_module_with_hours_but_no_coefficient_is_refused(client, direction, small_programme):
    data = table(client)
    data[cell("R3.01", "UE3.1")] = ""
    response = client.post(URL, data)
    assert response.context["form"].errors[cell("R3.01", "UE3.1")] == [
        HOURS_WITHOUT_COEFFICIENT.format(module="R3.01", ue="UE3.1")]
    for name in ("cm", "td", "tp", "project"):
        data[cell("R3.01", "UE3.1", name)] = ""
    client.post(URL, data)
    assert not ModuleUE.objects.filter(module__code="R3.01", ue__code="UE3.1").exists()


def test_the_checks_follow_the_edit(client, direction, small_programme):
    assert check_programme(get_programme_summary(code="test-mpi")) == []
    data = table(client)
    data[ue_name(UE.objects.get(code="UE3.1").pk, "ects")] = "14"
    data[cell("SAE3.01", "UE3.1")] = "10"  # resources 4 of 14,5: 27,6 %
    client.post(URL, data)
    messages = [f.message for f in check_programme(get_programme_summary(code="test-mpi"))]
    assert "S3 : les ECTS des UE totalisent 29 au lieu de 30." in messages
    assert ("UE3.1 : le pôle ressources pèse 27,6 % et le pôle SAÉ 72,4 % des coefficients, hors de l'intervalle "
            "40–60 % (R12).") in messages
    page = html.unescape(client.get("/programmes/test-mpi/").content.decode())
    assert "les ECTS des UE totalisent 29 au lieu de 30" in page


def test_every_change_is_audited_and_shown_on_the_programme_page(client, direction, small_programme):
    data = table(client)
    data[cell("R3.01", "UE3.2")] = "2,5"
    data[ue_name(UE.objects.get(code="UE3.1").pk, "ects")] = "14,5"
    client.post(URL, data)
    rows = list(ProgrammeChange.objects.order_by("subject").values_list(
        "semester_number", "subject", "field", "old_value", "new_value", "user__username", "source"))
    assert rows == [
        (3, "R3.01 × UE3.2", "coefficient", "3", "2,5", direction.username, "page"),
        (3, "UE3.1", "ECTS", "15", "14,5", direction.username, "page"),
    ]
    assert all(change.at is not None for change in ProgrammeChange.objects.all())
    page = html.unescape(client.get("/programmes/test-mpi/").content.decode())
    assert "Historique des modifications" in page
    assert "Dora Directrice" in page and "R3.01 × UE3.2" in page and "14,5" in page


def test_it_adds_and_removes_a_module_and_a_ue(client, direction, small_programme):
    ue31 = UE.objects.get(code="UE3.1")
    level = CompetenceLevel.objects.get(competence__code="C3", level=2)
    data = table(client)
    data.update({module_name(NEW, "code"): "R3.20", module_name(NEW, "title"): "Automatisme",
                 module_name(NEW, "kind"): "resource", cell_name(NEW, ue31.pk): "1,5",
                 cell_name(NEW, ue31.pk, "td"): "6",
                 ue_name(NEW, "code"): "UE3.3", ue_name(NEW, "level"): str(level.pk), ue_name(NEW, "ects"): "0"})
    client.post(URL, data)
    module = Module.objects.get(code="R3.20")
    assert (module.kind, module.td) == ("resource", 6)
    assert coefficient("R3.20", "UE3.1") == Decimal("1.5")
    new_ue = UE.objects.get(code="UE3.3")
    assert (new_ue.competence_level, new_ue.ects, new_ue.rcue_coefficient) == (level, 0, 1)
    assert set(ProgrammeChange.objects.filter(action="create").values_list("subject", flat=True)) == {
        "R3.20", "UE3.3", "R3.20 × UE3.1"}

    data = table(client)
    data[module_name(module.pk, "delete")] = "on"
    data[ue_name(new_ue.pk, "delete")] = "on"
    client.post(URL, data)
    assert not Module.objects.filter(code="R3.20").exists()
    assert not UE.objects.filter(code="UE3.3").exists()
    assert set(ProgrammeChange.objects.filter(action="delete").values_list("subject", flat=True)) == {
        "R3.20", "UE3.3"}


def test_a_new_module_needs_a_free_code_a_title_and_a_kind(client, direction, small_programme):
    data = table(client)
    data[module_name(NEW, "code")] = "R3.01"
    response = client.post(URL, data)
    errors = response.context["form"].errors
    assert errors[module_name(NEW, "code")] == [MODULE_EXISTS.format(code="R3.01")]
    assert module_name(NEW, "title") in errors and module_name(NEW, "kind") in errors


def test_a_page_older_than_the_last_change_is_refused(client, direction, small_programme):
    old = table(client)
    fresh = dict(old)
    fresh[cell("R3.01", "UE3.1")] = "3"
    client.post(URL, fresh)
    old[cell("R3.02", "UE3.1")] = "1"
    response = client.post(URL, old)
    page = html.unescape(response.content.decode())
    assert STALE.split(" (")[0] in page
    assert coefficient("R3.02", "UE3.1") == 2
    assert coefficient("R3.01", "UE3.1") == 3


def test_saving_an_unchanged_table_says_so(client, direction, small_programme):
    response = client.post(URL, table(client))
    assert NOTHING_CHANGED in html.unescape(response.content.decode())


def test_repeated_hours_are_edited_once_per_module_and_follow_under_each_ue(client, direction, build_programme):
    spec = {3: {"modules": {"R3.01": ("resource", (0, 10, 4, 0)), "SAE3.01": "sae"},
                "ues": [("UE3.1", "C1", 2, 15, [("R3.01", 2, (0, 10, 4, 0)), ("SAE3.01", 2, (0, 0, 0, 0))]),
                        ("UE3.2", "C2", 2, 15, [("R3.01", 2, (0, 10, 4, 0)), ("SAE3.01", 2, (0, 0, 0, 0))])]}}
    build_programme(spec, hours_mode=HoursMode.REPEATED)
    data = table(client)
    assert cell("R3.01", "UE3.1", "td") not in data  # one set of hours per module
    data[module_name(Module.objects.get(code="R3.01").pk, "td")] = "12"
    client.post(URL, data)
    assert Module.objects.get(code="R3.01").td == 12
    assert set(ModuleUE.objects.filter(module__code="R3.01").values_list("td", flat=True)) == {12}


def test_the_page_runs_the_same_queries_whatever_the_size_of_the_table(client, direction, build_programme):
    build_programme({3: {"modules": {"R3.01": "resource"}, "ues": [("UE3.1", "C1", 2, 30, [("R3.01", 1, (0,) * 4)])]}},
                    code="tiny")
    build_programme(SMALL, code="small")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count("/programmes/tiny/S3/modifier/") == count("/programmes/small/S3/modifier/")

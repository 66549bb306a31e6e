"""The matrix page's live findings: the server runs curriculum's checks on the table as typed, writes nothing, and
says what the programme page will say once the same table is saved."""
import pytest

from butgmp.roles import Role
from curriculum.editing import NEW
from curriculum.editor_views import FINDINGS_WAIT
from curriculum.findings import CODE_POLE_WEIGHT, check_programme
from curriculum.matrix_findings import edited_programme
from curriculum.matrix_form import MatrixForm, cell_name, level_choices, module_name, ue_name
from curriculum.models import UE, HoursMode, Module, ModuleUE, ProgrammeChange
from curriculum.selectors import get_programme_summary
from tests.curriculum.specs import SMALL
from tests.curriculum.test_checks import ue, year
from tests.curriculum.test_matrix_page import cell, table

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def url(number: int) -> str:
    return f"/programmes/test-mpi/S{number}/modifier/"


def findings_url(number: int) -> str:
    return url(number) + "constats/"


def live(client, number: int, data: dict) -> list[tuple[str, str, str, str]]:
    response = client.post(findings_url(number), data)
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    return [(f["level"], f["code"], f["ue"], f["message"]) for f in answer["findings"]]


def saved(number: int) -> list[tuple[str, str, str, str]]:
    """Return the findings the programme page shows for the semester, from the saved programme."""
    return [(f.level, f.code, f.ue, f.message) for f in check_programme(get_programme_summary(code="test-mpi"))
            if f.semester == number]


def ue_id(code: str) -> int:
    return UE.objects.get(code=code).pk


def test_only_direction_asks_for_the_findings(client, small_programme, user_with_role):
    assert client.post(findings_url(3), {}).status_code == 302  # to the login page
    client.force_login(user_with_role(Role.SECRETARIAT))
    assert client.post(findings_url(3), {}).status_code == 403
    client.force_login(user_with_role(Role.DIRECTION))
    assert client.get(findings_url(3)).status_code == 405
    assert client.post("/programmes/test-mpi/S9/modifier/constats/", {}).status_code == 404


def test_the_saved_table_has_the_programme_pages_findings(client, direction, small_programme):
    data = table(client, url(3))
    assert live(client, 3, data) == saved(3) == []


EDITS = {
    "ECTS and a pole outside 40–60 %": lambda: {
        ue_name(ue_id("UE3.1"), "ects"): "14,5", cell("R3.01", "UE3.1"): "10", cell("R3.02", "UE3.1"): "2.25"},
    "an unknown coefficient and a UE without any": lambda: {
        cell("SAE3.01", "UE3.1"): "?", cell("R3.01", "UE3.2"): "0", cell("SAE3.01", "UE3.2"): "0",
        cell("PORTFOLIO3", "UE3.2"): "", cell("PORTFOLIO3", "UE3.2", "td"): ""},
    "a deleted module, a new module and a new UE": lambda: {
        module_name(ModuleUE.objects.get(module__code="SAE3.01", ue__code="UE3.1").module_id, "delete"): "on",
        module_name(NEW, "code"): "SAE3.02", module_name(NEW, "title"): "Nouvelle SAÉ", module_name(NEW, "kind"): "sae",
        f"c-{NEW}-{ue_id('UE3.1')}": "4,5", f"c-{NEW}-{ue_id('UE3.1')}-td": "6",
        ue_name(NEW, "code"): "UE3.3", ue_name(NEW, "title"): "Troisième UE", ue_name(NEW, "ects"): "3"},
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_the_typed_table_has_the_findings_it_will_have_once_saved(client, direction, small_programme, reference,
                                                                  edit):
    data = table(client, url(3))
    data.update(edit())
    if ue_name(NEW, "code") in data and data[ue_name(NEW, "code")]:
        data[ue_name(NEW, "level")] = str(reference["levels"][("C1", 1)].pk)  # C1 again, at another level
    shown = live(client, 3, data)
    assert shown  # every edit here breaks a rule
    assert ProgrammeChange.objects.count() == 0  # the findings wrote nothing
    assert client.post(url(3), data).status_code == 302  # saved (no open semester uses the programme)
    assert shown == saved(3)


def test_the_but3_pair_sentence_comes_with_its_figures(client, direction, build_programme):
    # 70 % then 20 % resources: the pair (90 / 200 = 45 %) holds R12, so S5 has no finding.
    build_programme(year(5, [ue("UE5.1", "C1", 3, 30, 70, 30)], [ue("UE6.1", "C1", 3, 30, 20, 80)]))
    data = table(client, url(5))
    assert live(client, 5, data) == []
    row = ModuleUE.objects.get(module__code="R.01", ue__code="UE5.1")
    data[cell_name(row.module_id, row.ue_id)] = "300"  # 90,9 % in UE5.1; the pair: 320 / 430 = 74,4 %
    shown = live(client, 5, data)
    assert [(level, code, ue) for level, code, ue, _ in shown] == [("warning", CODE_POLE_WEIGHT, "UE5.1")]
    assert shown[0][3] == (
        "UE5.1 : le pôle ressources pèse 90,9 % et le pôle SAÉ 9,1 % des coefficients, hors de l'intervalle 40–60 % "
        "(R12). Sur les deux UE de la compétence (UE5.1 et UE6.1), le pôle ressources pèse 74,4 % : la règle n'est "
        "pas respectée non plus.")
    assert client.post(url(5), data).status_code == 302
    assert shown == saved(5)


def test_refused_cells_hold_the_findings_back_and_say_how_many(client, direction, small_programme):
    data = table(client, url(3))
    data[cell("R3.01", "UE3.1")] = "deux"
    data[ue_name(ue_id("UE3.2"), "ects")] = ""
    answer = client.post(findings_url(3), data).json()
    assert answer == {"ok": False, "refused": 2, "message": FINDINGS_WAIT.format(count=2)}


@pytest.mark.parametrize("hours_mode", [HoursMode.SPLIT, HoursMode.REPEATED])
def test_the_typed_table_is_summed_as_the_saved_semester(client, direction, build_programme, hours_mode):
    build_programme(SMALL, hours_mode=hours_mode)
    data = table(client, url(3))
    data[cell("R3.01", "UE3.1")] = "4,25"
    data[cell("PORTFOLIO3", "UE3.2")] = ""  # the module leaves UE3.2
    data[cell("R3.02", "UE3.2")] = "1,5"  # and R3.02 enters it
    data[ue_name(ue_id("UE3.2"), "ects")] = "16"
    if hours_mode == HoursMode.SPLIT:
        data[cell("PORTFOLIO3", "UE3.2", "td")] = ""
        data[cell("R3.02", "UE3.2", "tp")] = "2,5"
        data[cell("R3.01", "UE3.1", "cm")] = "3"
    else:
        data[module_name(Module.objects.get(code="R3.01").pk, "td")] = "7,5"
    programme = get_programme_summary(code="test-mpi")
    form = MatrixForm(data, programme=programme, semester=programme.semester(3), levels=level_choices(programme),
                      revision=0)
    assert form.is_valid(), form.errors
    edited = edited_programme(programme, semester_number=3, edit=form.edit, levels=form.levels)
    assert client.post(url(3), data).status_code == 302
    assert edited == get_programme_summary(code="test-mpi")  # every total, hour and share, and the other semesters

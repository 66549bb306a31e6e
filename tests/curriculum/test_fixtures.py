"""The fixture files: printed totals against their rows, for every programme, and Dijon's figures written out."""
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from curriculum.fixture_loader import programme_paths
from curriculum.fixture_programme_specs import HOUR_FIELDS
from curriculum.fixture_yaml import read_fixture
from curriculum.models import UE, Module, ModuleUE, Semester

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PROGRAMME_FILES = programme_paths(FIXTURES)
DIJON = FIXTURES / "programmes" / "dijon-mpi-alternance-2022.yaml"
SAE_POLE = {"sae", "portfolio", "stage"}

# The Dijon tests below read the real programme, loaded once for the module (the tests above read no database;
# loading every programme file into an empty database is tested in test_load_programmes.py).
pytestmark = pytest.mark.real_programmes("dijon-mpi-alternance-2022")


def number(value) -> Decimal:
    return Decimal(str(value))


def row_hours(row: dict) -> dict[str, Decimal]:
    return {name: number(row.get(name, 0)) for name in HOUR_FIELDS}


def with_totals(sums: dict[str, Decimal]) -> dict[str, Decimal]:
    """Add the derived sheet fields: total (hors projet) and cm_td."""
    return {**sums, "total": sums["cm"] + sums["td"] + sums["tp"], "cm_td": sums["cm"] + sums["td"]}


def ue_sums(ue: dict, modules: dict) -> dict[str, Decimal]:
    """What a UE's sheet should print: the sums of its rows."""
    rows = ue["rows"]
    coefs = [(modules[row["module"]]["kind"], number(row["coef"])) for row in rows if row["coef"] is not None]
    sums = {name: sum((row_hours(row)[name] for row in rows), Decimal(0)) for name in HOUR_FIELDS}
    return with_totals({
        **sums,
        "coefficient": sum((c for _, c in coefs), Decimal(0)),
        "resources_coefficient": sum((c for kind, c in coefs if kind == "resource"), Decimal(0)),
        "sae_coefficient": sum((c for kind, c in coefs if kind in SAE_POLE), Decimal(0)),
        "ects": number(ue["ects"]),
    })


def applies(ue: dict, parcours: str) -> bool:
    return not ue.get("parcours") or parcours in ue["parcours"]


def module_hours(code: str, module: dict, ues: list[dict], hours_mode: str) -> dict[str, Decimal]:
    """A module's own hours: split = its rows' sum; repeated = explicit hours or the hours of (any of) its rows."""
    rows = [row for ue in ues for row in ue["rows"] if row["module"] == code]
    if hours_mode == "repeated":
        if module.get("hours"):
            return {name: number(module["hours"].get(name, 0)) for name in HOUR_FIELDS}
        return row_hours(rows[0]) if rows else {name: Decimal(0) for name in HOUR_FIELDS}
    return {name: sum((row_hours(row)[name] for row in rows), Decimal(0)) for name in HOUR_FIELDS}


def semester_sums(semester: dict, hours_mode: str, parcours: str) -> dict[str, Decimal]:
    """What a semester's sheet should print: every module once, every UE's coefficients, the UEs' ECTS."""
    modules, ues = semester["modules"], [ue for ue in semester["ues"] if applies(ue, parcours)]
    per_module = [module_hours(code, module, ues, hours_mode) for code, module in modules.items()]
    sums = {name: sum((h[name] for h in per_module), Decimal(0)) for name in HOUR_FIELDS}
    per_ue = [ue_sums(ue, modules) for ue in ues]
    coefficients = {name: sum((u[name] for u in per_ue), Decimal(0))
                    for name in ("coefficient", "resources_coefficient", "sae_coefficient", "ects")}
    domain = sum((number(m["domain_coefficient"]) for m in modules.values()
                  if m.get("domain_coefficient") is not None), Decimal(0))
    if not any(row["coef"] is not None for ue in ues for row in ue["rows"]):
        # A sheet that gives only a coefficient per teaching domain (Le Creusot alternance).
        coefficients["coefficient"] = domain
    # Module-level keys (README, "Module-level sheet totals"): the modules' own hours, each module once.
    module_level = {"module_td": sums["td"], "module_tp": sums["tp"], "module_total": sum(sums.values(), Decimal(0)),
                    "domain_coefficient": domain}
    return with_totals({**sums, **coefficients, **module_level})


def sheet_problems(where: str, holder: dict, computed: dict[str, Decimal]) -> list[str]:
    sheet, mismatch = holder.get("sheet") or {}, set(holder.get("sheet_mismatch") or [])
    problems = []
    for name, printed in sheet.items():
        agrees = number(printed) == computed[name]
        if name in mismatch and agrees:
            problems.append(f"{where}.sheet.{name}: déclaré en écart mais {printed} = somme des lignes")
        elif name not in mismatch and not agrees:
            problems.append(f"{where}.sheet.{name}: imprimé {printed}, somme des lignes {computed[name]}")
    return problems


def all_sheet_problems(path: Path) -> list[str]:
    data = read_fixture(path)
    head = data["programme"]
    problems, semesters = [], []
    for s_index, semester in enumerate(data["semesters"]):
        where = f"semesters[{s_index}]"
        for u_index, ue in enumerate(semester["ues"]):
            problems += sheet_problems(f"{where}.ues[{u_index}]", ue, ue_sums(ue, semester["modules"]))
        sums = semester_sums(semester, str(head["hours_mode"]), str(head["parcours"]))
        semesters.append(sums)
        problems += sheet_problems(where, semester, sums)
    programme_sums = {name: sum((s[name] for s in semesters), Decimal(0)) for name in semesters[0]}
    problems += sheet_problems("programme", head, programme_sums)
    return problems


@pytest.mark.parametrize("path", PROGRAMME_FILES, ids=lambda p: p.name)
def test_every_printed_total_agrees_with_its_rows_unless_declared(path):
    assert all_sheet_problems(path) == []


@pytest.mark.parametrize("path", PROGRAMME_FILES, ids=lambda p: p.name)
def test_every_semester_ects_add_up_to_its_sheet_or_30(path):
    data = read_fixture(path)
    parcours = str(data["programme"]["parcours"])
    for semester in data["semesters"]:
        ects = sum(number(ue["ects"]) for ue in semester["ues"] if applies(ue, parcours))
        expected = number((semester.get("sheet") or {}).get("ects", 30))
        assert ects == expected, f"{path.name}: semestre {semester['number']}: {ects} ECTS, attendu {expected}"


@pytest.mark.parametrize("path", PROGRAMME_FILES, ids=lambda p: p.name)
def test_every_declared_mismatch_is_explained(path):
    data = read_fixture(path)
    holders = [data["programme"], *data["semesters"], *(ue for s in data["semesters"] for ue in s["ues"])]
    for holder in holders:
        if holder.get("sheet_mismatch"):
            assert str(holder.get("notes") or "").strip(), holder.get("code", holder.get("number"))


def test_the_sheet_check_catches_a_wrong_row():
    data = read_fixture(DIJON)
    ue = data["semesters"][0]["ues"][0]
    ue["rows"][0]["td"] = "11"
    problems = sheet_problems("ues[0]", ue, ue_sums(ue, data["semesters"][0]["modules"]))
    assert problems == ["ues[0].sheet.td: imprimé 17, somme des lignes 18",
                        "ues[0].sheet.total: imprimé 40.5, somme des lignes 41.5"]


def test_the_sheet_check_rejects_a_declared_mismatch_that_agrees():
    ue = {"sheet": {"cm": "1"}, "sheet_mismatch": ["cm"], "rows": [], "ects": "0"}
    computed = {"cm": Decimal(1)}
    assert sheet_problems("ue", ue, computed) == ["ue.sheet.cm: déclaré en écart mais 1 = somme des lignes"]


# --- Dijon, BUT2 MPI par apprentissage: the figures of seeds/001 written out ----------------------------


@pytest.fixture
def dijon(real_programmes):
    return real_programmes["dijon-mpi-alternance-2022"]


def ue_totals(ue: UE) -> dict[str, Decimal]:
    return ue.module_rows.aggregate(coefficient=Sum("coefficient"), cm=Sum("cm"), td=Sum("td"), tp=Sum("tp"),
                                    project=Sum("project"))


@pytest.mark.parametrize("semester,ects", [(3, 30), (4, 30)])
def test_dijon_semesters_carry_30_ects(dijon, semester, ects):
    total = UE.objects.filter(semester__programme=dijon, semester__number=semester).aggregate(e=Sum("ects"))["e"]
    assert total == ects


@pytest.mark.parametrize("code,competence,level,ects,coefficient,cm,td,tp,project", [
    ("UE3.1", "C1", 2, 4, 9, "1.5", 17, 22, 30),
    ("UE3.2", "C2", 2, 8, 18, 6, 54, 37, 30),
    ("UE3.3", "C3", 2, 7, 15, 6, 45, 38, 30),
    ("UE3.4", "C4", 2, 5, 15, "1.5", 19, 27, 20),
    ("UE3.5", "MPI", 1, 6, 12, 6, 35, 30, 0),
    ("UE4.1", "C1", 2, 4, 11, 0, 6, 14, 15),
    ("UE4.2", "C2", 2, 8, 20, 0, 42, 20, 15),
    ("UE4.3", "C3", 2, 8, 17, 0, 18, 19, 20),
    ("UE4.4", "C4", 2, 5, 15, 0, 21, 15, 15),
    ("UE4.5", "MPI", 1, 5, 12, 3, 15, 12, 0),
])
def test_dijon_ue_has_the_sheet_coefficient_ects_and_hours(dijon, code, competence, level, ects, coefficient,
                                                           cm, td, tp, project):
    ue = UE.objects.select_related("competence_level__competence").get(semester__programme=dijon, code=code)
    assert (ue.competence_level.competence.code, ue.competence_level.level) == (competence, level)
    assert ue.ects == Decimal(ects)
    assert ue_totals(ue) == {"coefficient": Decimal(coefficient), "cm": Decimal(cm), "td": Decimal(td),
                             "tp": Decimal(tp), "project": Decimal(project)}


@pytest.mark.parametrize("semester,cm,td,tp,project,coefficient", [
    (3, 21, 170, 154, 110, 69),
    (4, 3, 102, 80, 65, 75),
])
def test_dijon_semester_totals_match_the_sheet(dijon, semester, cm, td, tp, project, coefficient):
    rows = ModuleUE.objects.filter(ue__semester__programme=dijon, ue__semester__number=semester)
    totals = rows.aggregate(cm=Sum("cm"), td=Sum("td"), tp=Sum("tp"), project=Sum("project"),
                            coefficient=Sum("coefficient"))
    assert totals == {"cm": cm, "td": td, "tp": tp, "project": project, "coefficient": coefficient}
    modules = Module.objects.filter(semester__programme=dijon, semester__number=semester)
    assert modules.aggregate(cm=Sum("cm"), td=Sum("td"), tp=Sum("tp"), project=Sum("project")) == {
        "cm": cm, "td": td, "tp": tp, "project": project}


def test_dijon_r3_10_hours_are_split_8_10_10_over_three_ues(dijon):
    rows = ModuleUE.objects.filter(module__semester__programme=dijon, module__code="R3.10").select_related("ue")
    assert {row.ue.code: row.cm + row.td + row.tp for row in rows} == {
        "UE3.1": Decimal(8), "UE3.2": Decimal(10), "UE3.4": Decimal(10)}
    module = Module.objects.get(semester__programme=dijon, code="R3.10")
    assert (module.cm, module.td, module.tp, module.project) == (0, 12, 16, 0)
    assert module.cm + module.td + module.tp == 28


def test_dijon_one_resource_has_a_different_coefficient_in_each_ue(dijon):
    rows = ModuleUE.objects.filter(module__semester__programme=dijon, module__code="R3.14").select_related("ue")
    assert {row.ue.code: row.coefficient for row in rows} == {
        "UE3.1": Decimal("1"), "UE3.2": Decimal("0.5"), "UE3.5": Decimal("0.5")}


def test_dijon_parcours_ues_are_mpi_level_1(dijon):
    for code in ("UE3.5", "UE4.5"):
        ue = UE.objects.get(semester__programme=dijon, code=code)
        assert ue.competence_level.rcue_key == "MPI-1"
        assert [p.code for p in ue.parcours.all()] == ["MPI"]


def test_dijon_records_the_extra_zero_of_total_ue44(dijon):
    ue = UE.objects.get(semester__programme=dijon, code="UE4.4")
    assert "0 21 15 15 36 0 15 5" in ue.notes
    assert "TOTAL UE44" in dijon.notes


def test_dijon_has_two_semesters_of_sixteen_modules(dijon):
    counts = {s.number: s.modules.count() for s in Semester.objects.filter(programme=dijon)}
    assert counts == {3: 16, 4: 16}
    assert Module.objects.get(semester__programme=dijon, code="STAGE4").kind == "stage"
    assert Module.objects.get(semester__programme=dijon, code="PORTFOLIO3").evaluation_type == "CC"

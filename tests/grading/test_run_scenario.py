"""The scenario runner: every scenario in tests/scenarios passes --check; malformed files get a clear error."""
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grading.models import Student

SCENARIOS = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))

MINIMAL = """
competences: {C1: Spécifier}
ues:
  UE3.1: {semester: 3, competence: C1, level: 2, ects: 4}
  UE4.1: {semester: 4, competence: C1, level: 2, ects: 4}
modules:
  R3.01: {semester: 3, kind: resource, coefficients: {UE3.1: 1}}
  R4.01: {semester: 4, kind: resource, coefficients: {UE4.1: 1}}
students:
  alice:
    path:
      - semester: 3
        grades: {R3.01: [9.4]}
      - semester: 4
        grades: {R4.01: [11.1]}
expect:
  alice:
    ue: {UE3.1: {average: 9.40, code: CMP}, UE4.1: {average: 11.10, code: ADM}}
    rcue: {C1-2: {average: 10.25, code: ADM}}
    ects: 8
"""


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_suite_holds_at_least_fifteen_scenarios():
    assert len(SCENARIOS) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("path", SCENARIOS, ids=[Path(p).stem for p in SCENARIOS])
def test_each_scenario_passes_its_check(path, capsys):
    call_command("run_scenario", path, check=True)
    assert "0 écart(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_prints_the_outcome_as_json_and_leaves_no_data_behind(tmp_path, capsys):
    call_command("run_scenario", write(tmp_path, MINIMAL))
    outcome = json.loads(capsys.readouterr().out)
    alice = outcome["students"]["alice"]
    assert alice["ue"]["UE3.1"] == {"average": "9.40", "code": "CMP", "ects": 4}
    assert alice["rcue"]["C1-2"] == {"average": "10.25", "code": "ADM"}
    assert alice["ects"] == 8
    # the jury's explanation, as on the jury sheet: the year's heading (academic year), semesters, sentences
    assert alice["explain"][0] == "BUT2 — 2002-2003"
    assert "UE3.1 compensée : 9,40 < 10 mais RCUE C1-2 10,25 ≥ 10 → CMP — R9" in alice["explain"]
    assert not Student.objects.exists()  # rolled back


@pytest.mark.django_db
def test_several_files_map_each_path_to_its_outcome(tmp_path, capsys):
    first, second = write(tmp_path, MINIMAL, "a.yaml"), write(tmp_path, MINIMAL, "b.yaml")
    call_command("run_scenario", first, second)
    assert set(json.loads(capsys.readouterr().out)) == {first, second}


@pytest.mark.django_db
def test_check_reports_each_difference_and_exits_1(tmp_path, capsys):
    path = write(tmp_path, MINIMAL.replace("code: CMP", "code: AJ").replace("ects: 8", "ects: 4"))
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", path, check=True)
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert f"{path}: alice: ue UE3.1 code: expected AJ, got CMP" in out
    assert f"{path}: alice: ects: expected 4, got 8" in out


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    (("R3.01: [9.4]", "R3.01: [25]"), "students.alice.path[0].grades.R3.01[0]: 25 > 20"),
    (("R3.01: [9.4]", "R3.01: [douze]"), "students.alice.path[0].grades.R3.01[0]: « DOUZE » n'est pas une valeur"),
    (("R3.01: [9.4]", "R3.01: [9, 9]"), "students.alice.path[0].grades.R3.01: 2 notes pour 1 évaluation(s)"),
    (("R3.01: [9.4]", "R3.99: [9.4]"), "students.alice.path[0].grades.R3.99: module absent de `modules`"),
    (("kind: resource, coefficients: {UE3.1: 1}", "kind: cours, coefficients: {UE3.1: 1}"),
     "modules.R3.01.kind: « cours » n'est pas une valeur permise"),
    (("competence: C1, level: 2, ects: 4}\n  UE4.1", "competence: C9, level: 2, ects: 4}\n  UE4.1"),
     "ues.UE3.1.competence: compétence « C9 » absente de `competences`"),
    (("{semester: 3, competence: C1, level: 2, ects: 4}", "{semester: 3, competence: C1, ects: 4}"),
     "ues.UE3.1.level: clé obligatoire absente"),
    (("coefficients: {UE4.1: 1}", "coefficients: {UE4.9: 1}"), "modules.R4.01.coefficients.UE4.9: UE absente"),
    (("alice:\n    path", "alice:\n    statut: DEM\n    path"), "students.alice.statut: clé inconnue"),
    (("ects: 8", "ects: huit"), "expect.alice.ects"),
    (("- semester: 4", "- semester: 4\n        bonus: 7"), "students.alice.path[1].bonus: 7 > 5"),
])
def test_a_malformed_file_gets_an_error_naming_file_key_and_problem(tmp_path, change, message):
    old, new = change
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", path, check=True)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


@pytest.mark.django_db
def test_a_file_that_is_not_yaml_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "ues: {UE3.1: [\n  - oops: : :\n")
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", path)
    assert raised.value.returncode == 2
    assert "YAML invalide (ligne" in str(raised.value)


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", str(tmp_path / "absent.yaml"))
    assert raised.value.returncode == 2 and "fichier illisible" in str(raised.value)


BILLION_LAUGHS = """
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
description: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    (("UE3.1: {semester: 3", f"{'U' * 25}: {{semester: 3"), f"ues.{'U' * 25}: « {'U' * 25} » : 20 caractères au plus"),
    (("  alice:\n    path", f"  {'a' * 101}:\n    path"), "(101 caractères) » : 100 caractères au plus"),
    (("competence: C1, level: 2, ects: 4}\n  UE4.1", "competence: C1, level: 2, ects: 99999}\n  UE4.1"),
     "ues.UE3.1.ects: 99999 : 3 chiffre(s) avant la virgule au plus"),
    (("coefficients: {UE3.1: 1}", "coefficients: {UE3.1: 123456789}"),
     "modules.R3.01.coefficients.UE3.1: 123456789 : 3 chiffre(s) avant la virgule au plus"),
    (("coefficients: {UE3.1: 1}", "coefficients: {UE3.1: 1.234}"),
     "modules.R3.01.coefficients.UE3.1: 1.234 : 2 décimale(s) au plus"),
    (("{semester: 3, competence: C1,", "{semester: 3, competence: [C1],"),
     "ues.UE3.1.competence: un texte est attendu, pas une liste"),
    (("average: 9.40, code: CMP", "average: douze, code: CMP"),
     "expect.alice.ue.UE3.1.average: un nombre est attendu, pas le texte « douze »"),
    (("code: CMP}", "code: PASSE}"), "expect.alice.ue.UE3.1.code: « PASSE » n'est pas une valeur permise"),
    (("ects: 8", f"ects: {'9' * 5000}"), "YAML invalide (ligne 21, colonne 11): entier trop long"),
    (("R3.01: [9.4]", "R3.01: [.nan]"), "YAML invalide (ligne 14, colonne 26): nombre « .nan » non permis"),
    (("  R4.01: {semester: 4", "  R3.01: {semester: 4"), "YAML invalide (ligne 9, colonne 3): clé « R3.01 » en double"),
    (("description: x\n", BILLION_LAUGHS), "YAML invalide (ligne 3, colonne 8): alias « *a » : les ancres et alias"),
])
def test_every_malformed_file_exits_2_naming_file_key_and_problem(tmp_path, change, message):
    old, new = change
    source = "description: x\n" + MINIMAL
    assert old in source
    path = write(tmp_path, source.replace(old, new, 1))
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", path, check=True)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert len(str(raised.value)) < 400  # a 5 000-digit number is not echoed back


def test_the_command_prints_no_traceback_for_a_malformed_file(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = write(tmp_path, MINIMAL.replace("UE3.1: {semester: 3", f"{'U' * 25}: {{semester: 3"))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "run_scenario", "--check", path]).execute()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"{path}: ues.{'U' * 25}" in err


MALFORMED = Path(__file__).resolve().parents[1] / "scenarios" / "malformed"


@pytest.mark.django_db
@pytest.mark.parametrize("name,key,words", [
    ("r08_path_out_of_order", "students.ana.path[0].semester", "semestre 2 en premier"),
    ("r08_rcue_coef_zero", "ues.UE1.1.rcue_coef", "strictement positif (R8)"),
    ("r08_two_ues_one_level_one_semester", "ues.UE1.1b", "un RCUE a exactement deux UE (R8)"),
    ("r08_level_above_its_year", "ues.UE1.1.level", "niveau 3 au-dessus de l'année de BUT"),
    ("r13_rcue_at_odd_jury", "students.ana.path[0].jury.C1-1", "ce jury ne décide que des UE (R13)"),
])
def test_r8_r13_a_malformed_file_exits_2_naming_the_key(name, key, words):
    path = str(MALFORMED / f"{name}.yaml")
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", path)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(f"{path}: {key}: ") and words in str(raised.value)
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_r13_a_year_decision_after_an_odd_semester_is_refused(tmp_path):
    odd = "        grades: {R3.01: [9.4]}"
    text = MINIMAL.replace(odd, odd + "\n        jury: {year: RED}")
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", write(tmp_path, text))
    assert raised.value.returncode == 2 and "path[0].jury.year: une décision d'année" in str(raised.value)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [["4", "3"], ["3", "3"], ["3", "4", "6"]])
def test_a_path_out_of_order_is_refused_never_reordered(tmp_path, path):
    entries = "".join(f"      - semester: {s}\n" for s in path)
    text = MINIMAL.split("students:")[0] + f"students:\n  alice:\n    path:\n{entries}"
    with pytest.raises(CommandError) as raised:
        call_command("run_scenario", write(tmp_path, text))
    assert raised.value.returncode == 2 and "le parcours doit suivre l'ordre des semestres" in str(raised.value)


@pytest.mark.django_db
def test_r3_a_scenario_student_without_parcours_is_given_the_common_core(capsys):
    call_command("run_scenario", str(MALFORMED.parent / "r03_parcours_common_core.yaml"))
    core = json.loads(capsys.readouterr().out)["students"]["core"]
    assert set(core["ue"]) == {"UE1.1", "UE2.1"} and core["year"] == {"1": "ADM"}

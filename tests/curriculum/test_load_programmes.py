"""The YAML loader (curriculum.fixture_loader) and the load_programmes command."""
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from curriculum.fixture_loader import FixtureError, load_all, load_programme_file, load_reference, programme_paths
from curriculum.management.commands.load_programmes import Command
from curriculum.models import (
    UE,
    Competence,
    CompetenceBlock,
    CompetenceLevel,
    CriticalLearning,
    Module,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DIJON_NAME = "dijon-mpi-alternance-2022.yaml"
CURRICULUM_MODELS = [Speciality, Parcours, Competence, CompetenceLevel, CriticalLearning, CompetenceBlock,
                     Programme, Semester, UE, Module, ModuleUE]

MINIMAL = """\
programme:
  code: test-mpi
  title: Programme d'essai
  iut: IUT d'essai
  parcours: MPI
  modality: initiale
  first_year: 2024
  hours_mode: split
semesters:
  - number: 3
    modules:
      R3.03: {title: Sciences des matériaux, kind: resource, evaluation: CC}
      SAE3.01: {title: Répondre à un besoin, kind: sae, evaluation: CC}
    ues:
      - code: UE3.1
        competence: C1
        level: 2
        ects: 4
        rows:
          - {module: R3.03, coef: 2, td: 10, tp: 12}
          - {module: SAE3.01, coef: 5, cm: 1.5, tp: 4, project: 30}
"""

REPEATED = """\
programme:
  code: test-repeated
  title: Programme d'essai
  iut: IUT d'essai
  parcours: IPI
  modality: alternance
  first_year: 2024
  hours_mode: repeated
semesters:
  - number: 3
    modules:
      MATHS: {title: Mathématiques, kind: resource}
    ues:
      - code: UE3.1
        competence: C1
        level: 2
        ects: 4
        rows:
          - {module: MATHS, coef: null, td: 16, tp: 4}
      - code: UE3.4
        competence: C4
        level: 2
        ects: 5
        rows:
          - {module: MATHS, coef: null, td: 16, tp: 4}
"""


def dump() -> dict[str, list[dict]]:
    """Every curriculum row, as plain values, to compare two states of the database."""
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in CURRICULUM_MODELS}
    state["UE.parcours"] = sorted(UE.parcours.through.objects.values_list("ue_id", "parcours_id"))
    return state


@pytest.fixture
def fixtures_copy(tmp_path) -> Path:
    """gmp.yaml and the Dijon programme alone, in a folder the test may edit."""
    (tmp_path / "programmes").mkdir()
    shutil.copy(FIXTURES / "gmp.yaml", tmp_path / "gmp.yaml")
    shutil.copy(FIXTURES / "programmes" / DIJON_NAME, tmp_path / "programmes" / DIJON_NAME)
    return tmp_path


@pytest.fixture
def reference(db):
    load_reference(FIXTURES / "gmp.yaml")


def write(tmp_path: Path, text: str, name: str = "prog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("path", programme_paths(FIXTURES), ids=lambda p: p.name)
def test_every_programme_file_loads(path):
    load_reference(FIXTURES / "gmp.yaml")
    result = load_programme_file(path)
    assert Programme.objects.filter(code=result.code).exists()


# --- Idempotence and removal -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = load_all(FIXTURES)
    before = dump()
    second = load_all(FIXTURES)
    assert dump() == before
    assert [r.changes for r in second] == [0] * len(first)
    assert all(r.changes > 0 for r in first)


@pytest.mark.django_db
def test_the_reference_holds_five_parcours_nine_competences_and_ten_blocks():
    load_reference(FIXTURES / "gmp.yaml")
    assert sorted(Parcours.objects.values_list("code", flat=True)) == ["CAI", "CPD", "IPI", "MPI", "SNRV"]
    assert Competence.objects.filter(parcours__isnull=True).count() == 4
    assert CompetenceLevel.objects.filter(competence__code="C1").count() == 3
    assert CompetenceLevel.objects.get(competence__code="MPI", level=1).label == "Participer au pilotage industriel"
    assert CompetenceLevel.objects.get(competence__code="C1", level=3).label == (
        "Niveau 3 (libellé non fourni par les sources)")
    assert CompetenceBlock.objects.count() == 10
    assert CompetenceBlock.objects.get(code="RNCP35463BC05").competence.code == "IPI"


@pytest.mark.django_db
def test_a_removed_row_disappears_on_reload(fixtures_copy):
    load_all(fixtures_copy)
    dijon = fixtures_copy / "programmes" / DIJON_NAME
    edit(dijon, "          - {module: R3.14, coef: 1, cm: 0, td: 2, tp: 2}\n", "")
    results = load_all(fixtures_copy)
    rows = ModuleUE.objects.filter(module__code="R3.14")
    assert sorted(rows.values_list("ue__code", flat=True)) == ["UE3.2", "UE3.5"]
    module = Module.objects.get(code="R3.14")
    assert (module.td, module.tp) == (6, 6)  # its module total follows its rows
    assert results[1].changes == 2  # the row deleted, the module's hours updated


@pytest.mark.django_db
def test_a_removed_module_disappears_with_its_rows(fixtures_copy):
    load_all(fixtures_copy)
    dijon = fixtures_copy / "programmes" / DIJON_NAME
    edit(dijon, "      R3.08: {title: Métrologie, kind: resource, evaluation: CC}\n", "")
    edit(dijon, "          - {module: R3.08, coef: 2, cm: 0, td: 2, tp: 8}\n", "")
    load_all(fixtures_copy)
    assert not Module.objects.filter(code="R3.08").exists()
    assert not ModuleUE.objects.filter(module__code="R3.08").exists()


@pytest.mark.django_db
def test_decimals_are_read_exactly_from_the_yaml_text(reference, tmp_path):
    text = MINIMAL.replace("td: 10, tp: 12}", "cm: 0.1, td: 10, tp: 12}").replace("cm: 1.5,", "cm: 0.2,")
    load_programme_file(write(tmp_path, text.replace("coef: 2,", "coef: 0.3,")))
    assert ModuleUE.objects.get(module__code="R3.03").coefficient == Decimal("0.3")
    assert ModuleUE.objects.get(module__code="R3.03").cm + ModuleUE.objects.get(module__code="SAE3.01").cm == (
        Decimal("0.3"))


# --- Malformed files ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("old,new,message", [
    ("module: R3.03, coef: 2", "module: R3.99, coef: 2",
     "prog.yaml: semesters[0].ues[0].rows[0].module: module « R3.99 » absent du catalogue du semestre 3"),
    ("ects: 4", "ects: 4,5",
     "prog.yaml: semesters[0].ues[0].ects: nombre attendu, « 4,5 » reçu"),
    ("coef: 2,", "coef: -2,",
     "prog.yaml: semesters[0].ues[0].rows[0].coef: nombre négatif « -2 »"),
    ("competence: C1", "competence: C9",
     "prog.yaml: semesters[0].ues[0].competence: compétence « C9 » inconnue du référentiel"),
    ("level: 2", "level: 4",
     "prog.yaml: semesters[0].ues[0].level: niveau 4 absent pour la compétence « C1 »"),
    ("competence: C1", "competence: IPI",
     "prog.yaml: semesters[0].ues[0].competence: compétence « IPI » du parcours IPI, le programme est du parcours MPI"),
    ("        level: 2\n", "",
     "prog.yaml: semesters[0].ues[0].level: clé obligatoire absente"),
    ("  iut: IUT d'essai\n", "",
     "prog.yaml: programme.iut: clé obligatoire absente"),
    ("{module: R3.03, coef: 2, td: 10, tp: 12}", "{module: R3.03, td: 10, tp: 12}",
     "prog.yaml: semesters[0].ues[0].rows[0].coef: clé obligatoire absente"),
    ("coef: 2,", "cofe: 2,",
     "prog.yaml: semesters[0].ues[0].rows[0].cofe: clé inconnue"),
    ("parcours: MPI", "parcours: XYZ",
     "prog.yaml: programme.parcours: parcours « XYZ » inconnu du référentiel GMP"),
    ("hours_mode: split", "hours_mode: both",
     "prog.yaml: programme.hours_mode: valeur « both » inconnue (attendu : split, repeated)"),
    ("- number: 3", "- number: 7",
     "prog.yaml: semesters[0].number: semestre 7 hors de 1 à 6"),
    ("kind: sae, evaluation: CC}", "kind: sae, evaluation: CC}\n      R3.03: {title: Doublon, kind: resource}",
     "prog.yaml: ligne 14, colonne 7: YAML invalide : clé « R3.03 » en double"),
    ("          - {module: SAE3.01,", "          - {module: R3.03, coef: 1}\n          - {module: SAE3.01,",
     "prog.yaml: semesters[0].ues[0].rows[1].module: module « R3.03 » en double"),
])
def test_it_rejects_a_malformed_programme_naming_file_and_key(reference, tmp_path, old, new, message):
    assert MINIMAL.count(old) == 1
    path = write(tmp_path, MINIMAL.replace(old, new))
    with pytest.raises(FixtureError) as error:
        load_programme_file(path)
    assert str(error.value) == message
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_file_that_is_not_yaml(reference, tmp_path):
    path = write(tmp_path, "programme: {code: [unclosed\n")
    with pytest.raises(FixtureError, match=r"^prog\.yaml: ligne \d+, colonne \d+: YAML invalide : "):
        load_programme_file(path)


@pytest.mark.django_db
def test_it_rejects_a_yaml_document_that_is_not_a_mapping(reference, tmp_path):
    with pytest.raises(FixtureError, match=r"^prog\.yaml: \(racine\): dictionnaire attendu, une liste reçu$"):
        load_programme_file(write(tmp_path, "- a\n- b\n"))


@pytest.mark.django_db
def test_it_rejects_a_missing_file(tmp_path):
    with pytest.raises(FixtureError, match=r"^absent\.yaml: \(fichier\): fichier absent$"):
        load_programme_file(tmp_path / "absent.yaml")


@pytest.mark.django_db
def test_it_rejects_a_programme_before_its_reference(tmp_path):
    with pytest.raises(FixtureError, match=r"^prog\.yaml: programme\.speciality: spécialité « GMP » absente"):
        load_programme_file(write(tmp_path, MINIMAL))


@pytest.mark.django_db
def test_it_rejects_an_unknown_competence_in_a_reference_block(tmp_path):
    text = (FIXTURES / "gmp.yaml").read_text(encoding="utf-8").replace("competence: C4\n", "competence: C5\n")
    with pytest.raises(FixtureError, match=r"^gmp\.yaml: blocks\[3\]\.competence: compétence « C5 » absente"):
        load_reference(write(tmp_path, text, "gmp.yaml"))
    assert not Speciality.objects.exists()


@pytest.mark.django_db
def test_a_file_failing_while_writing_leaves_the_database_as_it_was(reference, tmp_path):
    load_programme_file(write(tmp_path, MINIMAL))
    before = dump()
    text = MINIMAL.replace("title: Programme d'essai", "title: Nouveau titre").replace("ects: 4", "ects: 4.25")
    with pytest.raises(FixtureError, match=r"^prog\.yaml: semesters\[0\]\.ues\[0\]: ects : "):
        load_programme_file(write(tmp_path, text))
    assert dump() == before


@pytest.mark.django_db
def test_a_sheet_mismatch_must_name_a_sheet_field_and_be_explained(reference, tmp_path):
    sheet = "        ects: 4\n        sheet: {td: 10}\n        sheet_mismatch: [%s]\n"
    text = MINIMAL.replace("        ects: 4\n", sheet % "td")
    with pytest.raises(FixtureError, match=r"^prog\.yaml: semesters\[0\]\.ues\[0\]\.notes: un écart déclaré"):
        load_programme_file(write(tmp_path, text))
    text = MINIMAL.replace("        ects: 4\n", sheet % "tp")
    with pytest.raises(FixtureError, match=r"^prog\.yaml: semesters\[0\]\.ues\[0\]\.sheet_mismatch\[0\]: champ"):
        load_programme_file(write(tmp_path, text))


# --- Hours modes -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_split_hours_are_the_sum_of_the_rows(reference, tmp_path):
    text = MINIMAL + """\
      - code: UE3.2
        competence: C2
        level: 2
        ects: 8
        rows:
          - {module: R3.03, coef: 1, cm: 1, td: 2, tp: 3}
"""
    load_programme_file(write(tmp_path, text))
    module = Module.objects.get(code="R3.03")
    assert (module.cm, module.td, module.tp, module.project) == (1, 12, 15, 0)


@pytest.mark.django_db
def test_split_hours_given_explicitly_must_equal_the_rows(reference, tmp_path):
    text = MINIMAL.replace("evaluation: CC}", "evaluation: CC, hours: {td: 10, tp: 11}}", 1)
    with pytest.raises(FixtureError, match=r"^prog\.yaml: semesters\[0\]\.modules\.R3\.03\.hours: heures "):
        load_programme_file(write(tmp_path, text))


@pytest.mark.django_db
def test_repeated_hours_are_those_of_the_rows_when_they_agree(reference, tmp_path):
    load_programme_file(write(tmp_path, REPEATED))
    module = Module.objects.get(code="MATHS")
    assert (module.td, module.tp) == (16, 4)
    assert ModuleUE.objects.filter(module=module).count() == 2
    assert set(ModuleUE.objects.values_list("coefficient", flat=True)) == {None}


@pytest.mark.django_db
def test_it_rejects_repeated_hours_that_disagree(reference, tmp_path):
    text = REPEATED.replace("td: 16, tp: 4}\n      - code: UE3.4", "td: 16, tp: 5}\n      - code: UE3.4")
    with pytest.raises(FixtureError, match=r"^prog\.yaml: semesters\[0\]\.modules\.MATHS\.hours: heures différentes"):
        load_programme_file(write(tmp_path, text))


@pytest.mark.django_db
def test_repeated_hours_given_explicitly_win(reference, tmp_path):
    text = REPEATED.replace("td: 16, tp: 4}\n      - code: UE3.4", "td: 16, tp: 5}\n      - code: UE3.4")
    text = text.replace("kind: resource}", "kind: resource, hours: {td: 44, tp: 26}}")
    load_programme_file(write(tmp_path, text))
    module = Module.objects.get(code="MATHS")
    assert (module.td, module.tp) == (44, 26)


# --- The command -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_one_line_per_file(fixtures_copy):
    out = StringIO()
    call_command("load_programmes", "--dir", str(fixtures_copy), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Référentiel GMP : 5 parcours, 9 compétences, 22 niveaux, 10 blocs — ")
    assert lines[1].startswith("Programme dijon-mpi-alternance-2022 : 2 semestre(s), 10 UE, 32 modules, "
                               "68 coefficients — ")
    assert len(lines) == 2
    out = StringIO()
    call_command("load_programmes", "--dir", str(fixtures_copy), stdout=out)
    assert out.getvalue().splitlines() == [
        "Référentiel GMP : 5 parcours, 9 compétences, 22 niveaux, 10 blocs — inchangé.",
        "Programme dijon-mpi-alternance-2022 : 2 semestre(s), 10 UE, 32 modules, 68 coefficients — inchangé.",
    ]


@pytest.mark.django_db
def test_the_command_fails_with_exit_code_2_on_a_bad_file(fixtures_copy):
    edit(fixtures_copy / "programmes" / DIJON_NAME, "module: R3.03, coef: 2", "module: R3.99, coef: 2")
    with pytest.raises(CommandError) as error:
        call_command("load_programmes", "--dir", str(fixtures_copy), stdout=StringIO())
    assert error.value.returncode == 2
    assert str(error.value) == (f"{DIJON_NAME}: semesters[0].ues[0].rows[0].module: "
                                "module « R3.99 » absent du catalogue du semestre 3")


@pytest.mark.django_db
def test_the_command_exits_2_from_the_command_line(fixtures_copy, capsys):
    dijon = fixtures_copy / "programmes" / DIJON_NAME
    dijon.write_text(dijon.read_text(encoding="utf-8").replace("ects: 4\n", "ects: quatre\n", 1), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "load_programmes", "--dir", str(fixtures_copy)])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("Référentiel GMP : ")
    assert f"{DIJON_NAME}: semesters[0].ues[0].ects: nombre attendu, « quatre » reçu" in captured.err

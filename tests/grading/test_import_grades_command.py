"""`manage.py import_grades FILE.xlsx --evaluation ID [--dry-run] [--user USERNAME]`."""
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grading.models import Grade, GradeChange, ImportBatch
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(tmp_path, evaluation, enrolments, workbook_for):
    def make(grades):
        wb = workbook_for(evaluation)
        for i, grade in enumerate(grades):
            wb["Notes"].cell(row=5 + i, column=5, value=grade)
        path = tmp_path / "notes.xlsx"
        path.write_bytes(xlsx_bytes(wb))
        return str(path)

    return make


def test_it_imports_a_good_file_as_the_given_user(capsys, users, evaluation, sheet):
    call_command("import_grades", sheet(["12,5", "ABS", 8]), evaluation=evaluation.pk, user="secretariat")
    assert "3 nouvelle(s), 0 modifiée(s), 0 inchangée(s)" in capsys.readouterr().out
    assert sorted(g.display for g in Grade.objects.all()) == ["12,5", "8", "ABS"]
    assert ImportBatch.objects.get().user == users["secretariat"]
    assert GradeChange.objects.filter(source="import").count() == 3


def test_dry_run_writes_nothing(capsys, users, evaluation, sheet):
    call_command("import_grades", sheet(["12", "13", "14"]), "--dry-run", evaluation=evaluation.pk, user="direction")
    assert "rien n'a été enregistré" in capsys.readouterr().out
    assert not Grade.objects.exists()
    assert not ImportBatch.objects.exists()


def test_bad_input_exits_1_with_every_problem_and_writes_nothing(capsys, users, evaluation, sheet):
    with pytest.raises(CommandError) as error:
        call_command("import_grades", sheet(["25", "13", "bof"]), evaluation=evaluation.pk, user="direction")
    assert error.value.returncode == 1
    assert "2 erreur(s)" in str(error.value)
    err = capsys.readouterr().err
    assert "Ligne 5, colonne « Note » : 25 > 20 (note maximale)" in err
    assert "Ligne 7, colonne « Note » : « bof » n'est pas une note" in err
    assert not Grade.objects.exists()


def test_it_exits_1_for_a_missing_file_or_evaluation(tmp_path, evaluation):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_grades", str(tmp_path / "absent.xlsx"), evaluation=evaluation.pk)
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="Évaluation 999999 introuvable"):
        call_command("import_grades", str(path), evaluation=999999)
    with pytest.raises(CommandError) as error:
        call_command("import_grades", str(path), evaluation=evaluation.pk)
    assert error.value.returncode == 1


def test_the_command_really_exits_with_status_1(tmp_path, evaluation):
    from django.core.management import ManagementUtility

    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_grades", str(path), "--evaluation", str(evaluation.pk)]).execute()
    assert exit_info.value.code == 1


def readme_command() -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    return next(m for m in re.findall(r"`(python manage\.py import_grades [^`]*)`", readme))


def test_the_readme_command_works_as_written(tmp_path, capsys, evaluation, sheet):
    """Run the README's line, optional parts left out, FILE.xlsx and ID filled in: no --user needed."""
    written = readme_command()
    assert written.startswith("python manage.py import_grades FILE.xlsx --evaluation ID")
    required = re.sub(r"\s*\[[^]]*\]", "", written)
    argv = shlex.split(required.replace("FILE.xlsx", sheet(["12", "13", "14"])).replace("ID", str(evaluation.pk)))
    assert argv[:3] == ["python", "manage.py", "import_grades"]
    call_command(*argv[2:])  # the same parsing as `manage.py` (which would also close the test's connection)
    assert "3 nouvelle(s)" in capsys.readouterr().out
    batch = ImportBatch.objects.get()
    assert (batch.user.username, batch.user.is_active, batch.user.has_usable_password()) == ("systeme", False, False)
    assert set(GradeChange.objects.values_list("user__username", flat=True)) == {"systeme"}

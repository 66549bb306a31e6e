"""A programme some of whose semesters a jury has locked is frozen: the page, the admin and load_programmes refuse
to change it; a new version is made instead, and the old semesters keep their programme and their results."""
import html
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from curriculum.errors import FROZEN, FROZEN_FIXTURE, VERSION_CODE_TAKEN, locked_semesters_text
from curriculum.fixture_loader import load_all
from curriculum.management.commands.load_programmes import Command
from curriculum.matrix_form import cell_name
from curriculum.models import UE, Module, ModuleUE, Programme, ProgrammeChange, Semester
from grading.forms.semesters import PROGRAMME_REPLACED, SemesterInstanceForm
from grading.models import AcademicYear, SemesterInstance
from grading.services.semesters import semester_lock
from tests.curriculum.test_load_programmes import MINIMAL, dump
from tests.grading.programme_fixtures import cohort, results  # noqa: F401 — fixtures

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def frozen(users, cohort):  # noqa: F811
    semester_lock(semester_instance=cohort, user=users["direction"], reason="Jury du 20 janvier")
    return cohort


def frozen_text(instance) -> str:
    return FROZEN.format(programme=instance.semester.programme.code,
                         semesters=locked_semesters_text([f"S1 {instance.academic_year}"]))


def table(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: "" if form[name].value() is None else str(form[name].value())
            for name, field in form.fields.items() if not isinstance(field, forms.BooleanField)}


def rows_of(programme) -> list[tuple]:
    return sorted(ModuleUE.objects.filter(module__semester__programme=programme).values_list(
        "module__semester__number", "module__code", "ue__code", "coefficient", "cm", "td", "tp", "project"))


# ---------------------------------------------------------------- refused everywhere


def test_the_page_refuses_to_change_a_frozen_programme_and_offers_a_new_version(client, users, frozen):
    client.force_login(users["direction"])
    url = reverse("curriculum:matrix_edit", args=[frozen.semester.programme.code, 1])
    page = html.unescape(client.get(url).content.decode())
    assert frozen_text(frozen) in page
    assert "le semestre S1 2025-2026 est verrouillé" in page
    assert reverse("curriculum:programme_new_version", args=[frozen.semester.programme.code]) in page
    assert "readonly" in page
    before = rows_of(frozen.semester.programme)
    data = table(client, url)
    module = Module.objects.get(semester=frozen.semester, code="R1.01")
    ue = UE.objects.get(semester=frozen.semester, code="UE1.1")
    data[cell_name(module.pk, ue.pk)] = "5"
    response = client.post(url, data)
    assert frozen_text(frozen) in html.unescape(response.content.decode())
    assert rows_of(frozen.semester.programme) == before
    assert not ProgrammeChange.objects.exists()


def test_the_programme_page_says_it_is_frozen(client, users, frozen):
    client.force_login(users["direction"])
    page = html.unescape(client.get(reverse("curriculum:programme_detail",
                                            args=[frozen.semester.programme.code])).content.decode())
    assert frozen_text(frozen) in page
    assert "Nouvelle version du programme" in page
    assert "Modifier S1" not in page


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("chef", "chef@example.org", "pw"))
    return client


def test_the_admin_shows_a_frozen_programme_read_only_and_refuses_changes(admin_client, frozen):
    row = ModuleUE.objects.filter(module__semester=frozen.semester).first()
    url = f"/admin/curriculum/moduleue/{row.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert frozen_text(frozen) in [str(m) for m in response.context["messages"]]
    assert 'name="_save"' not in response.content.decode()
    response = admin_client.post(url, {"module": row.module_id, "ue": row.ue_id, "coefficient": "9", "cm": "0",
                                       "td": "0", "tp": "0", "project": "0"})
    assert response.status_code == 403
    ue = UE.objects.filter(semester=frozen.semester).first()
    assert admin_client.post(f"/admin/curriculum/ue/{ue.pk}/delete/", {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.coefficient == 2 and UE.objects.filter(pk=ue.pk).exists()


def test_the_admin_refuses_to_add_to_a_frozen_programme(admin_client, frozen):
    ue = UE.objects.filter(semester=frozen.semester).first()
    response = admin_client.post("/admin/curriculum/ue/add/", {
        "semester": frozen.semester_id, "code": "UE1.9", "title": "", "competence_level": ue.competence_level_id,
        "ects": "1", "rcue_coefficient": "1", "order": "9", "notes": "",
        "module_rows-TOTAL_FORMS": "0", "module_rows-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert frozen_text(frozen) in html.unescape(response.content.decode())
    assert not UE.objects.filter(code="UE1.9").exists()


def test_the_admin_audits_the_changes_of_an_open_programme(admin_client, make_programme):
    programme = make_programme()
    ue = UE.objects.get(semester__programme=programme, code="UE1.1")
    response = admin_client.post(f"/admin/curriculum/ue/{ue.pk}/change/", {
        "semester": ue.semester_id, "code": "UE1.1", "title": "", "competence_level": ue.competence_level_id,
        "ects": "14", "rcue_coefficient": "1", "order": ue.order, "notes": "",
        "module_rows-TOTAL_FORMS": "0", "module_rows-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    change = ProgrammeChange.objects.get()
    assert (change.programme, change.subject, change.field, change.old_value, change.new_value, change.source,
            change.user.username) == (programme, "UE1.1", "ECTS", "15", "14", "admin", "chef")


@pytest.fixture
def fixtures_dir(tmp_path) -> Path:
    (tmp_path / "programmes").mkdir()
    shutil.copy(FIXTURES / "gmp.yaml", tmp_path / "gmp.yaml")
    (tmp_path / "programmes" / "prog.yaml").write_text(MINIMAL, encoding="utf-8")
    return tmp_path


def test_load_programmes_refuses_to_change_a_frozen_programme_with_exit_1(fixtures_dir, users, capsys):
    load_all(fixtures_dir)
    year = AcademicYear.objects.create(start_year=2025)
    instance = SemesterInstance.objects.create(semester=Semester.objects.get(programme__code="test-mpi"),
                                               academic_year=year)
    semester_lock(semester_instance=instance, user=users["direction"])
    call_command("load_programmes", "--dir", str(fixtures_dir), stdout=StringIO())  # unchanged: fine

    path = fixtures_dir / "programmes" / "prog.yaml"
    path.write_text(MINIMAL.replace("{module: R3.03, coef: 2,", "{module: R3.03, coef: 3,"), encoding="utf-8")
    before = dump()
    with pytest.raises(CommandError) as error:
        call_command("load_programmes", "--dir", str(fixtures_dir), stdout=StringIO())
    assert error.value.returncode == 1
    assert str(error.value) == FROZEN_FIXTURE.format(
        filename="prog.yaml", programme="test-mpi", semesters="le semestre S3 2025-2026 est verrouillé")
    assert dump() == before
    assert not ProgrammeChange.objects.exclude(source="fixtures", action="create").exists()

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "load_programmes", "--dir", str(fixtures_dir)])
    assert exit_info.value.code == 1
    assert "programme test-mpi figé : le semestre S3 2025-2026 est verrouillé" in capsys.readouterr().err


def test_load_programmes_audits_the_changes_of_an_open_programme(fixtures_dir):
    load_all(fixtures_dir)
    path = fixtures_dir / "programmes" / "prog.yaml"
    path.write_text(MINIMAL.replace("{module: R3.03, coef: 2,", "{module: R3.03, coef: 3,"), encoding="utf-8")
    load_all(fixtures_dir)
    change = ProgrammeChange.objects.get(action="update")
    assert (change.subject, change.field, change.old_value, change.new_value, change.source, change.user) == (
        "R3.03 × UE3.1", "coefficient", "2", "3", "fixtures", None)


# ---------------------------------------------------------------- the new version


def test_a_new_version_copies_the_programme_and_the_old_semesters_keep_theirs(client, users, frozen):
    old = frozen.semester.programme
    before = results(frozen)
    client.force_login(users["direction"])
    response = client.post(reverse("curriculum:programme_new_version", args=[old.code]),
                           {"code": "test-v2", "first_year": "2026"})
    assert response.status_code == 302 and response.url == reverse("curriculum:programme_detail", args=["test-v2"])
    new = Programme.objects.get(code="test-v2")
    assert (new.previous_version, new.first_year, new.parcours, new.title) == (old, 2026, old.parcours, old.title)
    assert [r[1:] for r in rows_of(new)] == [r[1:] for r in rows_of(old)]
    assert set(UE.objects.filter(semester__programme=new).values_list("code", "ects")) == set(
        UE.objects.filter(semester__programme=old).values_list("code", "ects"))
    assert ProgrammeChange.objects.filter(programme=old, field="nouvelle version").exists()

    # The new version is not frozen: Direction edits it; the old semester and its results do not move.
    url = reverse("curriculum:matrix_edit", args=["test-v2", 1])
    data = table(client, url)
    module = Module.objects.get(semester__programme=new, code="R1.02")
    ue = UE.objects.get(semester__programme=new, code="UE1.1")
    data[cell_name(module.pk, ue.pk)] = "6"
    assert client.post(url, data).status_code == 302
    assert ModuleUE.objects.get(module=module, ue=ue).coefficient == 6
    frozen.refresh_from_db()
    assert frozen.semester.programme == old
    assert ModuleUE.objects.get(module__semester=frozen.semester, module__code="R1.02", ue__code="UE1.1"
                                ).coefficient == 2
    assert results(frozen) == before


def test_a_new_version_needs_a_code_of_its_own(client, users, frozen):
    client.force_login(users["direction"])
    code = frozen.semester.programme.code
    form = client.get(reverse("curriculum:programme_new_version", args=[code])).context["form"]
    assert form["first_year"].value() == 2026  # the year after the last one the programme ran in
    response = client.post(reverse("curriculum:programme_new_version", args=[code]),
                           {"code": code, "first_year": "2026"})
    assert response.context["form"].errors["code"] == [VERSION_CODE_TAKEN.format(code=code)]
    assert Programme.objects.count() == 1


def test_new_semesters_open_on_the_new_version_from_its_first_year(users, frozen):
    from curriculum.versions import programme_new_version

    old_semester = frozen.semester
    new = programme_new_version(programme=old_semester.programme, code="test-v2", first_year=2026,
                                user=users["direction"])
    form = SemesterInstanceForm({"semester": old_semester.pk, "start_year": "2026"})
    assert not form.is_valid()
    assert form.non_field_errors() == [PROGRAMME_REPLACED.format(
        old=old_semester.programme.code, new="test-v2", year="2026-2027", number=1)]
    assert SemesterInstanceForm({"semester": old_semester.pk, "start_year": "2025", "label": "rattrapage"}).is_valid()
    assert SemesterInstanceForm({"semester": new.semesters.get().pk, "start_year": "2026"}).is_valid()
    assert Decimal(new.semesters.get().ues.get(code="UE1.1").ects) == 15


def test_the_admin_audits_a_coefficient_changed_in_an_inline(admin_client, make_programme):
    programme = make_programme()
    ue = UE.objects.get(semester__programme=programme, code="UE1.1")
    rows = list(ModuleUE.objects.filter(ue=ue).order_by("module__code"))
    data = {"semester": ue.semester_id, "code": "UE1.1", "title": "", "competence_level": ue.competence_level_id,
            "ects": "15", "rcue_coefficient": "1", "order": ue.order, "notes": "",
            "module_rows-TOTAL_FORMS": str(len(rows)), "module_rows-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        data.update({f"module_rows-{i}-id": row.pk, f"module_rows-{i}-ue": ue.pk,
                     f"module_rows-{i}-module": row.module_id, f"module_rows-{i}-coefficient": "2",
                     **{f"module_rows-{i}-{name}": "0" for name in ("cm", "td", "tp", "project")}})
    data["module_rows-1-coefficient"] = "3.5"
    response = admin_client.post(f"/admin/curriculum/ue/{ue.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    change = ProgrammeChange.objects.get()
    assert (change.subject, change.field, change.old_value, change.new_value, change.semester_number) == (
        "R1.02 × UE1.1", "coefficient", "2", "3,5", 1)

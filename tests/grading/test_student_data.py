"""RGPD: `student_data --export` writes everything held about one student; `--anonymise` replaces who they are
(past the retention time only) and keeps their results; both are journaled."""
import json
from decimal import Decimal
from io import StringIO

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from grading.models import AuditEntry, Evaluation, Grade, GradeChange, Student


@pytest.fixture
def graded(make_semester_instance):
    def make(start_year: int):
        instance = make_semester_instance(students=2, start_year=start_year)
        module = instance.semester.modules.first()
        evaluation = Evaluation.objects.create(semester_instance=instance, module=module, title="Partiel")
        first, second = instance.enrolments.order_by("pk")
        for enrolment, value in ((first, "12.5"), (second, "8")):
            Grade.objects.create(evaluation=evaluation, enrolment=enrolment, value=Decimal(value))
            GradeChange.objects.create(evaluation=evaluation, enrolment=enrolment, new_value=value, source="grid")
        student = first.student
        student.email = "lea.martin@example.fr"
        student.user = User.objects.create_user(student.ine, email=student.email, first_name=student.first_name,
                                                last_name=student.last_name)
        student.save()
        AccessFailureLog.objects.create(username=student.ine, ip_address="203.0.113.9", user_agent="Firefox",
                                        path_info="/connexion/")
        AuditEntry.objects.create(object_type="grading.student", object_id=student.pk, object_repr=str(student),
                                  action="update", field="last_name", old_value="Dupont", new_value=student.last_name)
        return student, second.student
    return make


@pytest.mark.django_db
def test_the_export_holds_the_students_identity_grades_history_journal_and_logins(graded, tmp_path, users):
    student, other = graded(2025)
    out = StringIO()
    call_command("student_data", student=student.ine, export=str(tmp_path / "e.json"), user="direction", stdout=out)
    data = json.loads((tmp_path / "e.json").read_text())
    assert data["student"]["ine"] == student.ine and data["student"]["email"] == "lea.martin@example.fr"
    assert data["student"]["account"]["login"] == student.ine
    assert [(g["evaluation"], g["grade"]) for g in data["grades"]] == [("Partiel", "12,5")]  # never the other's
    assert [c["new"] for c in data["grade_changes"]] == ["12.5"]
    assert [(e["field"], e["old"]) for e in data["journal"]] == [("last_name", "Dupont")]
    assert [(a["address"], a["kind"]) for a in data["login_attempts"]] == [("203.0.113.9", "échec")]
    assert len(data["enrolments"]) == 1 and data["enrolments"][0]["groups"] == ["TD1"]
    assert json.loads(out.getvalue())["sections"]["grades"] == 1
    journal = AuditEntry.objects.get(action="export")
    assert (journal.object_id, journal.user.username) == (student.pk, "direction")


@pytest.mark.django_db
def test_anonymising_within_the_retention_time_is_refused_and_changes_nothing(graded, settings):
    settings.STUDENT_DATA_YEARS = 5
    student, _ = graded(2025)
    with pytest.raises(CommandError, match="conservées 5 ans après sa dernière année"):
        call_command("student_data", student=student.ine, anonymise=True, stdout=StringIO())
    assert Student.objects.get(pk=student.pk).ine == student.ine
    assert not AuditEntry.objects.filter(action="anonymise").exists()


@pytest.mark.django_db
def test_anonymising_past_the_retention_time_replaces_who_they_are_and_keeps_their_results(graded, settings):
    settings.STUDENT_DATA_YEARS = 5
    student, other = graded(2015)  # last year 2015-2016: kept until 31 August 2021
    ine = student.ine
    call_command("student_data", student=ine, anonymise=True, stdout=StringIO())
    student.refresh_from_db()
    assert (student.ine, student.last_name, student.email) == (f"ANON{student.pk}", "Anonyme", "")
    account = User.objects.get(pk=student.user_id)
    assert (account.username, account.email, account.is_active, account.has_usable_password()) == (
        f"anon{student.pk}", "", False, False)
    assert not AccessFailureLog.objects.filter(username=ine).exists()
    renamed = AuditEntry.objects.get(object_type="grading.student", object_id=student.pk, action="update")
    assert (renamed.object_repr, renamed.old_value, renamed.new_value) == (f"ANON{student.pk}", "", "")
    assert Grade.objects.get(enrolment__student=student).value == Decimal("12.5")  # results kept for statistics
    assert Student.objects.get(pk=other.pk).ine == other.ine  # nobody else touched
    assert AuditEntry.objects.filter(action="anonymise", object_id=student.pk).count() == 1
    with pytest.raises(CommandError, match="déjà anonymisé"):
        call_command("student_data", student=student.ine, anonymise=True, stdout=StringIO())


@pytest.mark.django_db
def test_an_unknown_student_is_refused_in_french(graded):
    with pytest.raises(CommandError, match="Aucun étudiant d'INE ou de NIP 999"):
        call_command("student_data", student="999", anonymise=True, stdout=StringIO())



@pytest.mark.django_db
def test_the_student_is_found_by_nip_and_the_nip_is_exported_then_forgotten(graded, tmp_path, settings):
    settings.STUDENT_DATA_YEARS = 5
    student, other = graded(2015)  # past the retention time
    Student.objects.filter(pk=student.pk).update(nip="21904567")
    Student.objects.filter(pk=other.pk).update(nip="21904568")
    call_command("student_data", student="21904567", export=str(tmp_path / "e.json"), stdout=StringIO())
    data = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert (data["student"]["ine"], data["student"]["nip"]) == (student.ine, "21904567")
    call_command("student_data", student="21904567", anonymise=True, stdout=StringIO())
    assert Student.objects.get(pk=student.pk).nip == ""
    assert Student.objects.get(pk=other.pk).nip == "21904568"  # nobody else touched

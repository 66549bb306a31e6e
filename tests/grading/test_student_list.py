"""Student lists (.xlsx or .csv): checked row by row, previewed, confirmed, audited, undone as one step."""
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from grading import imports, spreadsheet_reading
from grading.models import AuditEntry, Enrolment, Grade, Group, Student
from grading.services import student_lists
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set
from grading.views import enrolments
from tests.grading.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = ["INE", "Nom", "Prénom", "Courriel", "Parcours", "Groupe"]


def text(response) -> str:
    return html.unescape(response.content.decode())


def post(client, instance, content, name, **data):
    return client.post(reverse("grading:student_import", args=[instance.pk]),
                       {"file": SimpleUploadedFile(name, content), **data}, follow=True)


def confirm(client, instance, preview):
    token = preview.context["confirm_form"].initial["token"]
    return client.post(reverse("grading:student_import_confirm", args=[instance.pk]), {"token": token}, follow=True)


def workbook(rows):
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    return xlsx_bytes(wb)


def test_it_enrols_a_valid_xlsx_list_after_a_preview(secretariat_client, instance):
    content = workbook([["11111111111", "Zola", "Émile", "emile@example.fr", "MPI", "TD1, TP1A"],
                        ["22222222222", "Arendt", "Hannah", "", "", "TD2"]])
    preview = post(secretariat_client, instance, content, "liste.xlsx", create_groups="on")
    assert preview.templates[0].name == "grading/student_import_preview.html"
    plan = preview.context["plan"]
    assert [(i.ine, i.kind) for i in plan.new] == [("11111111111", "new_student"), ("22222222222", "new_student")]
    assert plan.new_groups == ["TP1A"]
    assert "Enregistrer ces 2 changements" in text(preview)
    assert not Student.objects.filter(ine="11111111111").exists()  # nothing written by the preview

    response = confirm(secretariat_client, instance, preview)
    assert enrolments.STUDENTS_IMPORTED.format(new=2, changed=0, unchanged=0) in text(response)
    zola = Enrolment.objects.get(semester_instance=instance, student__ine="11111111111")
    assert sorted(g.name for g in zola.groups.all()) == ["TD1", "TP1A"]
    assert Group.objects.get(semester_instance=instance, name="TP1A").kind == "TP"
    assert zola.parcours.code == "MPI"
    assert instance.enrolments.count() == 5


def test_it_reads_a_semicolon_csv_in_utf8_or_windows_encoding(secretariat_client, instance):
    text_ = "INE;Nom;Prénom;Groupe\n33333333333;Hugo;Léopoldine;TD1\n"
    confirm(secretariat_client, instance, post(secretariat_client, instance, text_.encode("cp1252"), "liste.csv"))
    assert Student.objects.get(ine="33333333333").first_name == "Léopoldine"
    text_ = "INE,Nom,Prénom\n44444444444,Sand,Aurore\n"
    confirm(secretariat_client, instance, post(secretariat_client, instance, text_.encode("utf-8-sig"), "liste.csv"))
    assert Student.objects.get(ine="44444444444").last_name == "Sand"


def test_a_list_with_errors_enrols_nobody_and_names_each_row_and_column(secretariat_client, instance):
    content = workbook([["11111111111", "Zola", "Émile", "pas-un-courriel", "MPI", "TD1"],
                        ["123", "", "Hannah", "", "XYZ", ""],
                        ["11111111111", "Zola", "Émile", "", "", ""]])
    response = post(secretariat_client, instance, content, "liste.xlsx")
    assert response.context["errors"] == [
        "Ligne 2, colonne « Courriel » : adresse « pas-un-courriel » invalide.",
        "Ligne 3, colonne « INE » : INE « 123 » invalide (11 caractères, chiffres et lettres).",
        "Ligne 3, colonne « Nom » : valeur obligatoire.",
        "Ligne 3, colonne « Parcours » : parcours « XYZ » inconnu (attendu : MPI).",
        "Ligne 4, colonne « INE » : INE 11111111111 en double (déjà en ligne 2).",
    ]
    assert instance.enrolments.count() == 3
    assert not Student.objects.filter(ine="11111111111").exists()


def test_a_list_without_the_required_columns_is_refused(secretariat_client, instance):
    response = post(secretariat_client, instance, b"INE;Nom\n11111111111;Zola\n", "liste.csv")
    assert response.context["errors"] == [imports.NO_HEADER.format(column="Prénom")]


def test_a_file_that_is_not_a_spreadsheet_is_refused(secretariat_client, instance):
    response = post(secretariat_client, instance, b"\x00\x01garbage", "liste.xlsx")
    assert response.context["errors"] == [
        spreadsheet_reading.NOT_A_SPREADSHEET.format(csv=" ou .csv", name="liste.xlsx")]


def test_an_unknown_group_is_an_error_unless_the_user_asks_to_create_it(secretariat_client, instance):
    content = workbook([["11111111111", "Zola", "Émile", "", "", "TD C"]])
    response = post(secretariat_client, instance, content, "liste.xlsx")
    assert len(response.context["errors"]) == 1
    assert response.context["errors"][0].startswith("Ligne 2, colonne « Groupe » : groupe « TD C » inconnu")
    assert not Group.objects.filter(name="TD C").exists()
    preview = post(secretariat_client, instance, content, "liste.xlsx", create_groups="on")
    assert preview.context["plan"].new_groups == ["TD C"]
    confirm(secretariat_client, instance, preview)
    assert [g.name for g in Enrolment.objects.get(student__ine="11111111111").groups.all()] == ["TD C"]


@pytest.mark.parametrize("spelling", ["TD1", "td1", "TD 1", "1", "TD-1"])
def test_td_a_and_a_are_the_same_group(secretariat_client, instance, spelling):
    content = workbook([["11111111111", "Zola", "Émile", "", "", spelling]])
    confirm(secretariat_client, instance, post(secretariat_client, instance, content, "liste.xlsx"))
    assert [g.name for g in Enrolment.objects.get(student__ine="11111111111").groups.all()] == ["TD1"]
    assert Group.objects.filter(semester_instance=instance).count() == 2


def test_a_reimport_previews_each_change_and_keeps_what_the_file_leaves_empty(secretariat_client, instance,
                                                                              enrolments):
    first, second = enrolments[0], enrolments[1]
    first.student.email = "ancien@example.fr"
    first.student.save()
    rows = [[first.student.ine, "BERNARD-DUPONT", first.student.first_name, "", "", "TD1"],
            [second.student.ine, second.student.last_name, second.student.first_name, "", "", ""],
            ["11111111111", "Zola", "Émile", "", "", "TD1"]]
    preview = post(secretariat_client, instance, workbook(rows), "liste.xlsx")
    plan = preview.context["plan"]
    assert [(i.ine, [(c.field, c.old, c.new) for c in i.changes]) for i in plan.changed] == [
        (first.student.ine, [("last_name", "Bernard", "BERNARD-DUPONT"), ("groups", "TD2", "TD1")])]
    assert [i.ine for i in plan.unchanged] == [second.student.ine]
    assert [i.ine for i in plan.new] == ["11111111111"]
    page = re.sub(r"<[^>]+>", "", text(preview))
    assert "nom : Bernard → BERNARD-DUPONT" in page and "groupes : TD2 → TD1" in page

    confirm(secretariat_client, instance, preview)
    first.refresh_from_db()
    first.student.refresh_from_db()
    assert (first.student.last_name, first.student.email) == ("BERNARD-DUPONT", "ancien@example.fr")
    assert [g.name for g in first.groups.all()] == ["TD1"]
    assert [g.name for g in second.groups.all()] == ["TD1"]  # an empty cell keeps the groups


def test_each_change_is_audited_under_one_batch_and_undone_as_one_step(secretariat_client, users, instance,
                                                                       enrolments):
    first = enrolments[0]
    rows = [[first.student.ine, "Autre", first.student.first_name, "", "", "TD1"],
            ["11111111111", "Zola", "Émile", "", "", "TD C"]]
    confirm(secretariat_client, instance,
            post(secretariat_client, instance, workbook(rows), "liste.xlsx", create_groups="on"))
    entries = AuditEntry.objects.filter(source="import")
    assert len({e.batch for e in entries}) == 1
    batch = entries[0].batch
    assert sorted((e.object_type, e.action, e.field, e.old_value, e.new_value) for e in entries) == sorted([
        ("grading.group", "create", "", "", "TD C"),
        ("grading.student", "create", "", "", "11111111111"),
        ("grading.student", "update", "last_name", "Bernard", "Autre"),
        ("grading.enrolment", "update", "groups", "TD2", "TD1"),
        ("grading.enrolment", "create", "", "", "parcours MPI ; groupes TD C"),
    ])
    assert {e.user for e in entries} == {users["secretariat"]}

    page = secretariat_client.get(reverse("grading:student_import", args=[instance.pk]))
    assert [item["batch"] for item in page.context["imports"]] == [batch]
    response = secretariat_client.post(reverse("grading:student_import_undo", args=[instance.pk, batch]),
                                       follow=True)
    assert enrolments_undone_message(5) in text(response)
    first.refresh_from_db()
    first.student.refresh_from_db()
    assert first.student.last_name == "Bernard"
    assert [g.name for g in first.groups.all()] == ["TD2"]
    assert not Student.objects.filter(ine="11111111111").exists()
    assert not Group.objects.filter(name="TD C").exists()
    assert instance.enrolments.count() == 3
    assert AuditEntry.objects.filter(batch=batch, source="undo").count() == 5
    again = secretariat_client.post(reverse("grading:student_import_undo", args=[instance.pk, batch]), follow=True)
    assert student_lists.LIST_UNDO_ALREADY in text(again)


def enrolments_undone_message(count):
    return enrolments.STUDENT_LIST_UNDONE.format(count=count)


def test_undo_is_refused_when_a_value_changed_since_or_a_new_student_has_grades(users, instance, enrolments,
                                                                               module):
    first = enrolments[0]
    rows = [student_lists.ListedStudent(row=2, ine=first.student.ine, last_name="Autre",
                                        first_name=first.student.first_name),
            student_lists.ListedStudent(row=3, ine="11111111111", last_name="Zola", first_name="Émile")]
    result = student_lists.student_list_import(semester_instance=instance, rows=rows, user=users["secretariat"],
                                               filename="l.xlsx")
    new = Enrolment.objects.get(student__ine="11111111111")
    evaluation = evaluation_create(semester_instance=instance, module=module, title="DS")
    grade_set(evaluation=evaluation, enrolment=new, raw="12", user=users["secretariat"])
    with pytest.raises(student_lists.UndoRefused, match="ZOLA Émile a déjà des notes"):
        student_lists.student_list_undo(semester_instance=instance, batch=result.batch, user=users["direction"])
    Grade.objects.all().delete()
    first.student.last_name = "Encore"
    first.student.save()
    with pytest.raises(student_lists.UndoRefused, match="modifié"):
        student_lists.student_list_undo(semester_instance=instance, batch=result.batch, user=users["direction"])
    assert Enrolment.objects.filter(student__ine="11111111111").exists()


def test_the_confirmation_is_refused_if_the_students_changed_since_the_preview(secretariat_client, instance,
                                                                              enrolments):
    first = enrolments[0]
    rows = [[first.student.ine, "Autre", first.student.first_name, "", "", ""]]
    preview = post(secretariat_client, instance, workbook(rows), "liste.xlsx")
    first.student.last_name = "Quelquun"
    first.student.save()
    response = confirm(secretariat_client, instance, preview)
    assert student_lists.LIST_CHANGED in text(response)
    first.student.refresh_from_db()
    assert first.student.last_name == "Quelquun"
    assert not AuditEntry.objects.exists()


def test_a_student_is_enrolled_by_hand_once(secretariat_client, instance):
    url = reverse("grading:enrolment_list", args=[instance.pk])
    td1 = instance.groups.get(name="TD1")
    data = {"ine": "55555555555", "last_name": "Curie", "first_name": "Marie", "groups": [td1.pk]}
    response = secretariat_client.post(url, data)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(student__ine="55555555555")
    assert [g.name for g in enrolment.groups.all()] == ["TD1"]
    response = secretariat_client.post(url, data)
    assert response.context["form"].non_field_errors() == ["CURIE Marie est déjà inscrit à ce semestre."]


def test_an_enrolment_is_edited(secretariat_client, instance, enrolments):
    url = reverse("grading:enrolment_edit", args=[instance.pk, enrolments[0].pk])
    td1 = instance.groups.get(name="TD1")
    response = secretariat_client.post(url, {"status": "DEM", "is_repeat": "on", "groups": [td1.pk]})
    assert response.status_code == 302
    enrolments[0].refresh_from_db()
    assert (enrolments[0].status, enrolments[0].is_repeat) == ("DEM", True)


def test_the_import_makes_as_many_queries_for_50_students_as_for_5(users, instance, enrolments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(first, count):
        rows = [student_lists.ListedStudent(row=i, ine=f"{first + i:011d}", last_name=f"Nom{i}", first_name="P",
                                            groups=("TD1",)) for i in range(count)]
        rows.append(student_lists.ListedStudent(row=count, ine=enrolments[0].student.ine, last_name=f"Autre{count}",
                                                first_name="P", groups=("TD1",)))
        with CaptureQueriesContext(connection) as queries:
            student_lists.student_list_import(semester_instance=instance, rows=rows, user=users["secretariat"],
                                              filename="l.csv")
        return len(queries)

    assert run(10_000, 5) == run(20_000, 50)


def test_a_list_enrolling_newcomers_after_grades_warns_and_can_mark_their_missing_grades_exc(
        secretariat_client, users, instance, module, enrolments):
    graded = evaluation_create(semester_instance=instance, module=module, title="DS1")
    for enrolment in enrolments:
        grade_set(evaluation=graded, enrolment=enrolment, raw="12", user=users["secretariat"])
    empty = evaluation_create(semester_instance=instance, module=module, title="DS2")  # nobody graded: no warning
    content = workbook([["11111111111", "Zola", "Émile", "", "", "TD1"], ["22222222222", "Arendt", "Hannah", "", "",
                                                                            "TD1"]])
    preview = post(secretariat_client, instance, content, "liste.xlsx")
    assert [w.evaluation for w in preview.context["late"]] == [graded]
    page = text(preview)
    assert "1 évaluation ne comptera plus pour personne" in page and f"{module.code} – DS1" in page
    assert f"{module.code} – {empty.title}" not in page

    token = preview.context["confirm_form"].initial["token"]
    response = secretariat_client.post(reverse("grading:student_import_confirm", args=[instance.pk]),
                                       {"token": token, "excuse": "on", "reason": "Arrivés en novembre"},
                                       follow=True)
    assert "2 note(s) manquante(s) des nouveaux inscrits marquée(s) EXC" in text(response)
    newcomers = Grade.objects.filter(evaluation=graded, enrolment__student__ine__in=["11111111111", "22222222222"])
    assert sorted(g.code for g in newcomers) == ["EXC", "EXC"]
    changes = graded.grade_changes.filter(source="late")
    assert changes.count() == 2 and {c.reason for c in changes} == {"Arrivés en novembre"}
    assert not Grade.objects.filter(evaluation=empty).exists()


def test_a_list_confirmed_without_the_exc_choice_leaves_the_newcomers_grades_empty(secretariat_client, users,
                                                                                   instance, module, enrolments):
    graded = evaluation_create(semester_instance=instance, module=module, title="DS1")
    for enrolment in enrolments:
        grade_set(evaluation=graded, enrolment=enrolment, raw="12", user=users["secretariat"])
    confirm(secretariat_client, instance,
            post(secretariat_client, instance, workbook([["11111111111", "Zola", "Émile", "", "", "TD1"]]),
                 "liste.xlsx"))
    assert Enrolment.objects.filter(semester_instance=instance, student__ine="11111111111").exists()
    assert not Grade.objects.filter(evaluation=graded, enrolment__student__ine="11111111111").exists()

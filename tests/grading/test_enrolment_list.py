"""The enrolment list: head counts of enrolled students, filters and sorting, bulk status and group changes."""
import html

import pytest
from django.urls import reverse

from grading.engine.codes import EnrolmentStatus
from grading.models import AuditEntry, Enrolment, Group
from grading.services.enrolment_bulk import enrolments_set_group, enrolments_set_status
from grading.services.errors import SemesterLocked, ServiceError
from grading.services.grades import grade_set
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db


def page(client, instance, **query):
    response = client.get(reverse("grading:enrolment_list", args=[instance.pk]), query)
    assert response.status_code == 200
    return response


def names(response) -> list[str]:
    return [str(row.record.student) for row in response.context["table"].rows]


def test_bulk_status_changes_every_ticked_student_in_one_journal_batch(secretariat_client, users, instance,
                                                                       enrolments):
    url = reverse("grading:enrolment_bulk", args=[instance.pk])
    response = secretariat_client.post(url, {"enrolments": [enrolments[0].pk, enrolments[2].pk], "action": "status",
                                             "status": "DEM", "reason": "Démission au 1er décembre"})
    assert response.status_code == 302
    statuses = dict(Enrolment.objects.filter(semester_instance=instance).values_list("pk", "status"))
    assert statuses == {enrolments[0].pk: "DEM", enrolments[1].pk: "inscrit", enrolments[2].pk: "DEM"}
    entries = list(AuditEntry.objects.order_by("object_id"))
    assert [(e.object_id, e.field, e.old_value, e.new_value, e.reason, e.user) for e in entries] == [
        (pk, "status", "Inscrit", "Démission", "Démission au 1er décembre", users["secretariat"])
        for pk in sorted([enrolments[0].pk, enrolments[2].pk])]
    assert entries[0].batch and entries[0].batch == entries[1].batch
    assert entries[0].object_type == "grading.enrolment"


def test_bulk_group_adds_and_removes(users, instance, enrolments):
    td1 = Group.objects.get(semester_instance=instance, name="TD1")  # holds enrolments 0 (Martin) and 2…
    members = set(td1.enrolments.values_list("pk", flat=True))
    done = enrolments_set_group(semester_instance=instance, enrolments=enrolments, group=td1, add=True,
                                user=users["secretariat"])
    assert done.changed == len(enrolments) - len(members)
    assert set(td1.enrolments.values_list("pk", flat=True)) == {e.pk for e in enrolments}
    done = enrolments_set_group(semester_instance=instance, enrolments=enrolments[:2], group=td1, add=False,
                                user=users["secretariat"])
    assert done.changed == 2
    assert set(td1.enrolments.values_list("pk", flat=True)) == {enrolments[2].pk}
    assert AuditEntry.objects.filter(field="groups", new_value="", old_value="TD1").count() == 2


def test_a_bulk_change_that_changes_nothing_writes_nothing(users, instance, enrolments):
    done = enrolments_set_status(semester_instance=instance, enrolments=enrolments, status="inscrit",
                                 user=users["secretariat"])
    assert done.changed == 0 and not AuditEntry.objects.exists()


def test_bulk_actions_refuse_another_semesters_students_and_a_locked_semester(users, instance, enrolments,
                                                                               make_semester_instance):
    other = make_semester_instance(students=1)
    with pytest.raises(ServiceError):
        enrolments_set_status(semester_instance=instance, enrolments=list(other.enrolments.all()), status="DEM",
                              user=users["secretariat"])
    semester_lock(semester_instance=instance, user=users["direction"])
    with pytest.raises(SemesterLocked):
        enrolments_set_status(semester_instance=instance, enrolments=enrolments, status="DEM",
                              user=users["secretariat"])
    assert not Enrolment.objects.filter(status="DEM").exists()


def test_bulk_form_asks_for_a_student_and_a_status(secretariat_client, instance):
    response = secretariat_client.post(reverse("grading:enrolment_bulk", args=[instance.pk]), {"action": "status"})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "Cochez au moins un étudiant." in text and "Choisissez le nouveau statut." in text


def test_bulk_actions_are_for_the_secretariat_only(client, users, instance, enrolments, responsible):
    client.force_login(users["teacher"])
    response = client.post(reverse("grading:enrolment_bulk", args=[instance.pk]),
                           {"enrolments": [enrolments[0].pk], "action": "status", "status": "DEM"})
    assert response.status_code == 403


def test_counts_are_of_enrolled_students_and_say_so(secretariat_client, users, instance, enrolments, evaluation):
    enrolments_set_status(semester_instance=instance, enrolments=[enrolments[0]], status=EnrolmentStatus.DEF,
                          user=users["secretariat"])
    for enrolment in enrolments:
        grade_set(evaluation=evaluation, enrolment=enrolment, raw="10", user=users["secretariat"])
    text = html.unescape(page(secretariat_client, instance).content.decode())
    assert "2 inscrits" in text and "1 autre – démission, défaillance ou abandon – non compté" in text
    detail = html.unescape(secretariat_client.get(reverse("grading:semester_detail", args=[instance.pk]))
                           .content.decode())
    assert "2 étudiants inscrits" in detail and "(hors 1 démission, défaillance ou abandon)" in detail
    assert "2/2 · coef. 2" in detail  # the DEF student's grade is not counted
    assert "notes saisies sur 2 inscrits" in detail


def test_the_list_filters_by_name_or_ine_group_and_status(secretariat_client, users, instance, enrolments):
    assert names(page(secretariat_client, instance, q="dub")) == ["DUBOIS Prénom3"]
    assert names(page(secretariat_client, instance, q=enrolments[0].student.ine[-6:])) == [str(enrolments[0].student)]
    td2 = Group.objects.get(semester_instance=instance, name="TD2")
    assert names(page(secretariat_client, instance, groupe=td2.pk)) == ["BERNARD Prénom2"]
    enrolments_set_status(semester_instance=instance, enrolments=[enrolments[1]], status="DEM",
                          user=users["secretariat"])
    assert names(page(secretariat_client, instance, statut="DEM")) == ["DUBOIS Prénom3"]


def test_the_list_sorts_by_a_column_and_ignores_an_unknown_sort_key(secretariat_client, instance, enrolments):
    assert names(page(secretariat_client, instance, tri="-student")) == ["MARTIN Prénom1", "DUBOIS Prénom3",
                                                                          "BERNARD Prénom2"]
    response = page(secretariat_client, instance, tri="student__password")
    assert names(response) == ["BERNARD Prénom2", "DUBOIS Prénom3", "MARTIN Prénom1"]
    assert 'href="?tri=ine"' in response.content.decode()  # headers link to the sorted list


def test_the_semester_pages_say_which_evaluations_are_incomplete_and_who_is_missing(secretariat_client, users,
                                                                                     instance, enrolments,
                                                                                     evaluation):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12", user=users["secretariat"])
    enrolments_set_status(semester_instance=instance, enrolments=[enrolments[2]], status="DEM",
                          user=users["secretariat"])
    for name in ("semester_detail", "semester_results"):
        text = html.unescape(secretariat_client.get(reverse(f"grading:{name}", args=[instance.pk])).content.decode())
        notice = text[text.index('<section class="incomplete-notice"'):]
        notice = notice[:notice.index("</section>")]
        assert "1 évaluation incomplète : elle ne compte pour personne" in notice
        assert reverse("grading:evaluation_grid", args=[evaluation.pk]) in notice
        assert "R1.01 – DS1</a> :\n      1 note manquante" in notice
        assert "(DUBOIS Prénom3)" in notice  # Martin resigned (DEM): not waited for
        # Staff who enter grades reach the one-click « set every missing grade to EXC/ABS/ATT » from the notice.
        assert reverse("grading:evaluation_incomplete", args=[evaluation.pk]) + "#fill-missing" in notice


def test_the_jury_reads_the_notice_without_links_to_grids(client, users, instance, enrolments, evaluation):
    client.force_login(users["jury"])
    text = html.unescape(client.get(reverse("grading:semester_results", args=[instance.pk])).content.decode())
    assert "R1.01 – DS1 :" in text
    assert reverse("grading:evaluation_grid", args=[evaluation.pk]) not in text
    assert "compléter d'un coup" not in text

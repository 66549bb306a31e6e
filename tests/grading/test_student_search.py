"""The staff student search, the student's record, and the journalled edit of their identity."""
import html

import pytest
from django.urls import reverse

from grading.models import AuditEntry, Student
from grading.services.errors import ServiceError
from grading.services.students import student_identity_update

pytestmark = pytest.mark.django_db


def search(client, text):
    return client.post(reverse("grading:student_search"), {"q": text})


def test_every_staff_page_has_the_search_box(secretariat_client, instance):
    page = secretariat_client.get(reverse("grading:semester_detail", args=[instance.pk])).content.decode()
    assert f'action="{reverse("grading:student_search")}"' in page and 'name="q"' in page


def test_a_student_has_no_search_box(client, users):
    client.force_login(users["student"])
    assert 'class="student-search"' not in client.get(reverse("portal:my_results")).content.decode()
    assert search(client, "mar").status_code == 403


def test_a_single_match_opens_the_record(secretariat_client, enrolments):
    student = enrolments[1].student  # Dubois
    response = search(secretariat_client, "dubois")
    assert response.status_code == 302 and response["Location"] == reverse("grading:student_record",
                                                                           args=[student.pk])
    assert search(secretariat_client, student.ine.lower())["Location"] == response["Location"]


def test_several_matches_are_listed_with_their_semesters(secretariat_client, instance, enrolments):
    response = search(secretariat_client, "prénom")
    assert response.status_code == 200
    assert [str(s) for s in response.context["students"]] == ["BERNARD Prénom2", "DUBOIS Prénom3", "MARTIN Prénom1"]
    assert str(instance) in html.unescape(response.content.decode())


def test_words_match_in_any_order_and_a_short_search_is_refused(secretariat_client, enrolments):
    assert search(secretariat_client, "Prénom3 dub").status_code == 302
    response = search(secretariat_client, "x")
    assert "Tapez au moins 2 caractères" in html.unescape(response.content.decode())
    assert "Aucun étudiant ne correspond" in html.unescape(search(secretariat_client, "zzz").content.decode())


def test_a_teacher_finds_only_the_students_of_their_semesters(client, users, instance, enrolments, responsible,
                                                              make_semester_instance):
    other = make_semester_instance(students=1)
    client.force_login(users["teacher"])
    response = search(client, "prénom")
    assert {s.pk for s in response.context["students"]} == {e.student_id for e in enrolments}
    outsider = other.enrolments.get().student
    assert client.get(reverse("grading:student_record", args=[outsider.pk])).status_code == 404
    record = client.get(reverse("grading:student_record", args=[enrolments[0].student_id]))
    assert reverse("grading:teacher_results", args=[instance.pk]) in record.content.decode()
    assert "modifier l'identité" not in html.unescape(record.content.decode())


def test_the_record_leads_to_the_grades_and_averages_of_each_semester(secretariat_client, instance, enrolments):
    enrolment = enrolments[0]
    page = html.unescape(secretariat_client.get(reverse("grading:student_record", args=[enrolment.student_id]))
                         .content.decode())
    assert reverse("grading:student_detail", args=[instance.pk, enrolment.pk]) in page
    assert reverse("grading:semester_detail", args=[instance.pk]) in page
    assert "modifier l'identité" in page


def test_the_identity_edit_is_journalled_field_by_field(secretariat_client, users, enrolments):
    student = enrolments[0].student
    old_name, old_ine = student.last_name, student.ine
    url = reverse("grading:student_identity_edit", args=[student.pk])
    response = secretariat_client.post(url, {"last_name": "Martin-Roux", "first_name": student.first_name,
                                             "email": "m.roux@etu.example.fr", "ine": "ab1234567cd",
                                             "reason": "Mariage"})
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.last_name, student.email, student.ine) == ("Martin-Roux", "m.roux@etu.example.fr", "AB1234567CD")
    entries = {e.field: e for e in AuditEntry.objects.filter(object_type="grading.student", object_id=student.pk)}
    assert set(entries) == {"last_name", "email", "ine"}
    assert (entries["last_name"].old_value, entries["last_name"].new_value) == (old_name, "Martin-Roux")
    assert (entries["ine"].old_value, entries["ine"].new_value) == (old_ine, "AB1234567CD")
    assert {e.reason for e in entries.values()} == {"Mariage"} and len({e.batch for e in entries.values()}) == 1
    assert {e.user for e in entries.values()} == {users["secretariat"]}
    record = html.unescape(secretariat_client.get(reverse("grading:student_record", args=[student.pk]))
                           .content.decode())
    assert "Modifications de l'identité" in record and "Sacha Secrétaire" in record and "Mariage" in record


def test_the_identity_edit_refuses_an_ine_already_taken(users, enrolments):
    first, second = enrolments[0].student, enrolments[1].student
    with pytest.raises(ServiceError, match="déjà celui de DUBOIS Prénom3"):
        student_identity_update(student=first, last_name=first.last_name, first_name=first.first_name, email="",
                                ine=second.ine, nip="", user=users["secretariat"])
    assert Student.objects.get(pk=first.pk).ine == first.ine and not AuditEntry.objects.exists()


def test_the_identity_edit_checks_the_ine_form_and_is_for_the_secretariat(client, users, enrolments, responsible):
    student = enrolments[0].student
    url = reverse("grading:student_identity_edit", args=[student.pk])
    client.force_login(users["secretariat"])
    response = client.post(url, {"last_name": "X", "first_name": "Y", "email": "", "ine": "12345-78901"})
    assert "L'INE compte 11 caractères" in html.unescape(response.content.decode())
    client.force_login(users["teacher"])
    assert client.get(url).status_code == 403


def test_the_search_is_a_post_a_name_in_the_query_string_searches_nothing(secretariat_client, enrolments):
    response = secretariat_client.get(reverse("grading:student_search"), {"q": "dubois"})
    assert response.status_code == 200 and response.context["students"] is None
    page = secretariat_client.get(reverse("dashboard:home"), follow=True).content.decode()
    assert 'class="student-search" role="search">' in page and 'method="post" action="/notes/recherche/"' in page

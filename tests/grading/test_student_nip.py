"""The NIP (numéro étudiant) beside the INE: 5 to 12 digits, unique when present; in the search, the record, the
identity form (journaled), and the one resolver of the commands' --student."""
import html

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from grading.models import AuditEntry, Student
from grading.selectors.roster import STUDENT_UNKNOWN, student_by_ine_or_nip

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("nip,valid", [("12345", True), ("123456789012", True), ("1234", False),
                                       ("1234567890123", False), ("2190123A", False), ("", True)])
def test_a_nip_is_5_to_12_digits_or_nothing(nip, valid):
    student = Student(ine="0123456789A", last_name="Bernard", first_name="Léa", nip=nip)
    if valid:
        student.full_clean()
    else:
        with pytest.raises(ValidationError, match="5 à 12 chiffres"):
            student.full_clean()


def test_the_database_keeps_a_nip_unique_and_digits_only_but_many_students_may_have_none():
    Student.objects.create(ine="11111111111", last_name="A", first_name="a", nip="21901234")
    Student.objects.create(ine="22222222222", last_name="B", first_name="b")
    Student.objects.create(ine="33333333333", last_name="C", first_name="c")
    with pytest.raises(IntegrityError), transaction.atomic():
        Student.objects.create(ine="44444444444", last_name="D", first_name="d", nip="21901234")
    with pytest.raises(IntegrityError), transaction.atomic():
        Student.objects.create(ine="55555555555", last_name="E", first_name="e", nip="12ab5")


def test_the_search_finds_a_student_by_nip_and_the_record_shows_it(secretariat_client, enrolments):
    student = enrolments[1].student
    Student.objects.filter(pk=student.pk).update(nip="21904567")
    response = secretariat_client.post(reverse("grading:student_search"), {"q": "21904567"})
    assert response.status_code == 302 and response["Location"] == reverse("grading:student_record",
                                                                           args=[student.pk])
    record = text(secretariat_client.get(response["Location"]))
    assert f"INE {student.ine} · NIP 21904567" in record


def test_the_identity_form_sets_the_nip_journaled_and_refuses_a_taken_or_malformed_one(secretariat_client,
                                                                                         enrolments):
    first, second = enrolments[0].student, enrolments[1].student
    Student.objects.filter(pk=second.pk).update(nip="21900002")
    url = reverse("grading:student_identity_edit", args=[first.pk])
    form = {"last_name": first.last_name, "first_name": first.first_name, "email": "", "ine": first.ine}
    taken = secretariat_client.post(url, {**form, "nip": "21900002"})
    assert f"Le NIP 21900002 est déjà celui de {second}." in text(taken)
    malformed = secretariat_client.post(url, {**form, "nip": "21-90"})
    assert "Le NIP (numéro étudiant) s'écrit avec 5 à 12 chiffres." in text(malformed)
    secretariat_client.post(url, {**form, "nip": "21900001", "reason": "NIP d'Apogée"})
    first.refresh_from_db()
    assert first.nip == "21900001"
    entry = AuditEntry.objects.get(object_type="grading.student", object_id=first.pk, field="nip")
    assert (entry.old_value, entry.new_value, entry.reason) == ("", "21900001", "NIP d'Apogée")


def test_one_resolver_takes_an_ine_or_a_nip(enrolments):
    student = enrolments[0].student
    Student.objects.filter(pk=student.pk).update(nip="21900001")
    assert student_by_ine_or_nip(student.ine.lower()) == student
    assert student_by_ine_or_nip(" 21900001 ") == student
    assert student_by_ine_or_nip("99999999") is None
    assert STUDENT_UNKNOWN.format(key="99999999") == "Aucun étudiant d'INE ou de NIP 99999999."

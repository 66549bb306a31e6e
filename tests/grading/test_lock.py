"""R19: a locked semester refuses every change; locking and unlocking are recorded (Direction only)."""
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Grade, GradeChange, SemesterLockEvent
from grading.services.enrolments import StudentRow, enrolment_update, students_enrol
from grading.services.errors import LOCKED, NOT_LOCKED, SemesterLocked, ServiceError
from grading.services.evaluations import evaluation_create, evaluation_update
from grading.services.grades import grade_set, grades_import, import_undo
from grading.services.semesters import group_create, responsible_add, semester_lock, semester_unlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(users, instance, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12", user=users["secretariat"])
    semester_lock(semester_instance=instance, user=users["direction"], reason="Jury du 20 janvier")
    return instance


def test_r19_locking_and_unlocking_are_recorded(users, instance):
    semester_lock(semester_instance=instance, user=users["direction"], reason="jury")
    semester_unlock(semester_instance=instance, user=users["direction"], reason="erreur de saisie")
    instance.refresh_from_db()
    assert instance.is_locked is False
    events = SemesterLockEvent.objects.order_by("at", "id")
    assert [(e.locked, e.reason, e.user) for e in events] == [
        (True, "jury", users["direction"]), (False, "erreur de saisie", users["direction"])]
    with pytest.raises(ServiceError, match=NOT_LOCKED):
        semester_unlock(semester_instance=instance, user=users["direction"])


def test_r19_the_grid_refuses_a_grade_in_a_locked_semester(client, users, locked, evaluation, enrolments):
    client.force_login(users["secretariat"])
    response = client.post(reverse("grading:grade_save", args=[evaluation.pk]),
                           {"enrolment": enrolments[0].pk, "value": "15", "version": 1})
    assert response.status_code == 423
    assert response.json()["error"] == LOCKED.format(semester=locked)
    assert Grade.objects.get().value == Decimal("12")
    assert GradeChange.objects.count() == 1


def test_r19_the_grid_of_a_locked_semester_is_read_only(client, users, locked, evaluation):
    client.force_login(users["secretariat"])
    content = client.get(reverse("grading:evaluation_grid", args=[evaluation.pk])).content.decode()
    assert content.count(" readonly") == 3
    assert "Semestre verrouillé" in content


@pytest.mark.parametrize("call", [
    lambda w: grades_import(evaluation=w["e"], rows=[(w["en"].pk, "3")], user=w["u"], filename="x"),
    lambda w: evaluation_create(semester_instance=w["i"], module=w["e"].module, title="Nouvelle"),
    lambda w: evaluation_update(evaluation=w["e"], title="X", coefficient=Decimal(1), max_score=Decimal(20),
                                         is_immediate=False, is_rattrapage=False),
    lambda w: group_create(semester_instance=w["i"], name="TP1", kind="TP"),
    lambda w: students_enrol(semester_instance=w["i"], rows=[StudentRow(
        ine="12345678901", last_name="Neuf", first_name="N")]),
    lambda w: enrolment_update(enrolment=w["en"], parcours=None, status="DEM", is_repeat=False, groups=[]),
    lambda w: responsible_add(semester_instance=w["i"], module=w["e"].module, user=w["u"]),
])
def test_r19_every_service_refuses_a_change_to_a_locked_semester(users, locked, evaluation, enrolments, call):
    world = {"i": locked, "e": evaluation, "en": enrolments[0], "u": users["secretariat"]}
    with pytest.raises(SemesterLocked) as refused:
        call(world)
    assert refused.value.message == LOCKED.format(semester=locked)


def test_r19_an_import_cannot_be_undone_in_a_locked_semester(users, instance, evaluation, enrolments):
    batch = grades_import(evaluation=evaluation, rows=[(enrolments[0].pk, "3")], user=users["secretariat"],
                                   filename="x").batch
    semester_lock(semester_instance=instance, user=users["direction"])
    with pytest.raises(SemesterLocked):
        import_undo(batch=batch, user=users["secretariat"])


def test_r19_the_direction_locks_from_the_semester_page(client, users, instance):
    client.force_login(users["direction"])
    response = client.post(reverse("grading:semester_lock", args=[instance.pk]), {"reason": "jury"}, follow=True)
    assert "Semestre verrouillé : les notes ne peuvent plus être modifiées." in html.unescape(response.content.decode())
    instance.refresh_from_db()
    assert instance.is_locked
    client.post(reverse("grading:semester_lock", args=[instance.pk]), {"reason": "correction"})
    instance.refresh_from_db()
    assert not instance.is_locked
    assert SemesterLockEvent.objects.count() == 2

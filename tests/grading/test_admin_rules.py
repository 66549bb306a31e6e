"""The admin obeys the pages' rules: a locked semester is read-only (R19), a maximum cannot drop below a grade,
and every change is journaled (AuditEntry, source admin)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import (
    AuditEntry,
    Bonus,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    Group,
)
from grading.services.errors import LOCKED
from grading.services.grades import grade_set
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True, username="root"))
    return client


def evaluation_data(evaluation, **changes):
    data = {"semester_instance": evaluation.semester_instance_id, "module": evaluation.module_id,
            "title": evaluation.title, "date": "", "coefficient": str(evaluation.coefficient),
            "max_score": str(evaluation.max_score), "order": evaluation.order,
            "weights-TOTAL_FORMS": "0", "weights-INITIAL_FORMS": "0", "weights-MIN_NUM_FORMS": "0",
            "weights-MAX_NUM_FORMS": "1000"}
    data.update(changes)
    return data


def enrolment_data(enrolment, **changes):
    data = {"student": enrolment.student_id, "semester_instance": enrolment.semester_instance_id,
            "parcours": enrolment.parcours_id or "", "status": enrolment.status,
            "groups": [g.pk for g in enrolment.groups.all()],
            "bonus-TOTAL_FORMS": "0", "bonus-INITIAL_FORMS": "0", "bonus-MIN_NUM_FORMS": "0",
            "bonus-MAX_NUM_FORMS": "1"}
    data.update(changes)
    return data


@pytest.fixture
def locked(users, instance, evaluation, enrolments):
    semester_lock(semester_instance=instance, user=users["direction"])
    return instance


def test_the_admin_refuses_changes_to_a_locked_semester(admin_client, locked, evaluation, enrolments):
    enrolment = enrolments[0]
    group = locked.groups.first()
    # The change pages are read-only (no save button) and a forged POST is refused.
    page = admin_client.get(reverse("admin:grading_evaluation_change", args=[evaluation.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    for url, data in [
        (reverse("admin:grading_evaluation_change", args=[evaluation.pk]),
         evaluation_data(evaluation, coefficient="5")),
        (reverse("admin:grading_enrolment_change", args=[enrolment.pk]), enrolment_data(enrolment, status="DEM")),
        (reverse("admin:grading_group_change", args=[group.pk]),
         {"semester_instance": locked.pk, "name": "Autre", "kind": "TD"}),
        (reverse("admin:grading_evaluation_delete", args=[evaluation.pk]), {"post": "yes"}),
        (reverse("admin:grading_group_delete", args=[group.pk]), {"post": "yes"}),
    ]:
        assert admin_client.post(url, data).status_code == 403, url
    evaluation.refresh_from_db()
    enrolment.refresh_from_db()
    assert (evaluation.coefficient, enrolment.status) == (Decimal("2"), "inscrit")
    assert Group.objects.filter(pk=group.pk, name=group.name).exists()
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert not AuditEntry.objects.exists()


def test_the_admin_refuses_to_add_to_a_locked_semester(admin_client, locked, module, make_semester_instance):
    response = admin_client.post(reverse("admin:grading_group_add"),
                                 {"semester_instance": locked.pk, "name": "TD9", "kind": "TD"})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [LOCKED.format(semester=locked)]
    response = admin_client.post(reverse("admin:grading_evaluation_add"), evaluation_data(
        Evaluation(semester_instance=locked, module=module, title="Nouvelle")))
    assert response.context["adminform"].form.non_field_errors() == [LOCKED.format(semester=locked)]
    assert not Group.objects.filter(name="TD9").exists()
    assert Evaluation.objects.count() == 1


def test_the_admin_refuses_to_move_an_enrolment_into_a_locked_semester(admin_client, users, instance, enrolments,
                                                                       make_semester_instance):
    other = make_semester_instance(students=0)
    semester_lock(semester_instance=other, user=users["direction"])
    enrolment = enrolments[0]
    response = admin_client.post(reverse("admin:grading_enrolment_change", args=[enrolment.pk]),
                                 enrolment_data(enrolment, semester_instance=other.pk, groups=[]))
    assert response.context["adminform"].form.non_field_errors() == [LOCKED.format(semester=other)]
    enrolment.refresh_from_db()
    assert enrolment.semester_instance_id == instance.pk


def test_a_bonus_of_a_locked_semester_is_read_only_in_the_admin(admin_client, users, instance, enrolments):
    enrolment = enrolments[0]
    Bonus.objects.create(enrolment=enrolment, percent=Decimal("2"))
    semester_lock(semester_instance=instance, user=users["direction"])
    page = admin_client.get(reverse("admin:grading_enrolment_change", args=[enrolment.pk]))
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_delete_permission and not inline.has_add_permission


def test_a_maximum_below_an_existing_grade_is_refused_in_the_admin(admin_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="15", user=users["secretariat"])
    url = reverse("admin:grading_evaluation_change", args=[evaluation.pk])
    response = admin_client.post(url, evaluation_data(evaluation, max_score="10"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["max_score"] == [
        "La note maximale (10) est inférieure à une note déjà saisie (15)."]
    evaluation.refresh_from_db()
    assert evaluation.max_score == Decimal("20")
    response = admin_client.post(url, evaluation_data(evaluation, max_score="16"))
    assert response.status_code == 302
    assert Grade.objects.get().max_score == Decimal("16")  # the copy the database checks follows


def test_admin_changes_are_journaled_with_source_admin(admin_client, instance, evaluation, enrolments):
    response = admin_client.post(reverse("admin:grading_evaluation_change", args=[evaluation.pk]),
                                 evaluation_data(evaluation, coefficient="3", title="DS n°1"))
    assert response.status_code == 302
    rows = AuditEntry.objects.filter(object_type="grading.evaluation").order_by("field")
    assert [(r.action, r.field, r.old_value, r.new_value, r.source, r.user.username) for r in rows] == [
        ("update", "coefficient", "2.00", "3", "admin", "root"), ("update", "title", "DS1", "DS n°1", "admin", "root")]
    assert len({r.batch for r in rows}) == 1

    enrolment = enrolments[0]
    td1 = instance.groups.get(name="TD1")
    data = enrolment_data(enrolment, status="DEM", groups=[td1.pk])
    data.update({"bonus-TOTAL_FORMS": "1", "bonus-0-percent": "2.5", "bonus-0-reason": "sport"})
    response = admin_client.post(reverse("admin:grading_enrolment_change", args=[enrolment.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changes = {(r.object_type, r.action, r.field, r.old_value, r.new_value)
               for r in AuditEntry.objects.exclude(object_type="grading.evaluation")}
    assert ("grading.enrolment", "update", "status", "inscrit", "DEM") in changes
    assert ("grading.enrolment", "update", "groups", "TD2", "TD1") in changes
    assert any(c[0] == "grading.bonus" and c[1] == "create" for c in changes)
    assert Enrolment.objects.get(pk=enrolment.pk).bonus.percent == Decimal("2.5")

    group = instance.groups.get(name="TD2")
    admin_client.post(reverse("admin:grading_group_delete", args=[group.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(object_type="grading.group", action="delete", old_value="TD2").exists()


def test_the_journal_is_listed_read_only_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:grading_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:grading_auditentry_add")).status_code == 403


def test_an_external_validation_in_the_admin_is_refused_on_a_closed_jurys_semester(admin_client, locked,
                                                                                   enrolments):
    student, ue = enrolments[0].student, locked.semester.ues.order_by("code").first()
    url = reverse("admin:grading_externalvalidation_add")
    data = {"student": student.pk, "ue": ue.pk, "code": "ADM", "average": "18", "origin": "VAE", "date": ""}
    before = AuditEntry.objects.count()
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the refusal
    assert response.context["adminform"].form.non_field_errors() == [LOCKED.format(semester=locked)]
    assert not ExternalValidation.objects.exists() and AuditEntry.objects.count() == before


def test_an_external_validation_on_an_open_semester_is_saved_and_journaled(admin_client, instance, enrolments):
    student, ue = enrolments[0].student, instance.semester.ues.order_by("code").first()
    response = admin_client.post(reverse("admin:grading_externalvalidation_add"),
                                 {"student": student.pk, "ue": ue.pk, "code": "ADM", "average": "18",
                                  "origin": "VAE", "date": ""})
    assert response.status_code == 302
    validation = ExternalValidation.objects.get()
    entry = AuditEntry.objects.get(object_type="grading.externalvalidation", object_id=validation.pk)
    assert (entry.source, entry.action) == (AuditEntry.Source.ADMIN, "create")


def test_a_weight_of_a_locked_semester_is_refused_in_the_admin(admin_client, users, instance, evaluation,
                                                               enrolments):
    ue = instance.semester.ues.order_by("code").first()
    weight, _ = EvaluationWeight.objects.update_or_create(evaluation=evaluation, ue=ue,
                                                          defaults={"weight": Decimal("1")})
    semester_lock(semester_instance=instance, user=users["direction"])
    data = evaluation_data(evaluation, **{"weights-TOTAL_FORMS": "1", "weights-INITIAL_FORMS": "1",
                                          "weights-0-id": weight.pk, "weights-0-evaluation": evaluation.pk,
                                          "weights-0-ue": ue.pk, "weights-0-weight": "3"})
    response = admin_client.post(reverse("admin:grading_evaluation_change", args=[evaluation.pk]), data)
    assert response.status_code == 403
    assert EvaluationWeight.objects.get(pk=weight.pk).weight == Decimal("1")
    assert not AuditEntry.objects.filter(object_type="grading.evaluationweight").exists()


def test_a_bonus_of_a_locked_semester_posted_anyway_is_refused(admin_client, users, instance, enrolments):
    enrolment = enrolments[0]
    bonus = Bonus.objects.create(enrolment=enrolment, percent=Decimal("2"))
    semester_lock(semester_instance=instance, user=users["direction"])
    data = enrolment_data(enrolment, **{"bonus-TOTAL_FORMS": "1", "bonus-INITIAL_FORMS": "1",
                                        "bonus-0-id": bonus.pk, "bonus-0-enrolment": enrolment.pk,
                                        "bonus-0-percent": "5", "bonus-0-reason": "sport"})
    response = admin_client.post(reverse("admin:grading_enrolment_change", args=[enrolment.pk]), data)
    assert response.status_code == 403
    assert Bonus.objects.get(pk=bonus.pk).percent == Decimal("2")

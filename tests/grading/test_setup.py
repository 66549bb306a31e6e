"""Semester set-up pages: open a semester, groups, module responsibles, evaluations with their UE weights."""
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Evaluation, Group, ModuleResponsible, SemesterInstance

pytestmark = pytest.mark.django_db


def test_a_semester_is_opened_from_a_programme_semester_and_a_year(secretariat_client, make_programme):
    semester = make_programme(number=3).semesters.get()
    url = reverse("grading:semester_create")
    response = secretariat_client.post(url, {"semester": semester.pk, "start_year": 2026, "label": ""})
    instance = SemesterInstance.objects.get()
    assert response["Location"] == reverse("grading:semester_detail", args=[instance.pk])
    assert str(instance.academic_year) == "2026-2027"
    response = secretariat_client.post(url, {"semester": semester.pk, "start_year": 2026, "label": ""})
    assert response.context["form"].non_field_errors() == [
        "Ce semestre est déjà ouvert pour cette année universitaire (changez le libellé pour une 2e session)."]


def test_groups_are_created_and_deleted(secretariat_client, instance):
    url = reverse("grading:group_list", args=[instance.pk])
    secretariat_client.post(url, {"name": "TP3", "kind": "TP"})
    group = Group.objects.get(name="TP3")
    response = secretariat_client.post(url, {"name": "TP3", "kind": "TP"})
    assert response.context["form"].non_field_errors() == ["Le groupe « TP3 » existe déjà dans ce semestre."]
    secretariat_client.post(reverse("grading:group_delete", args=[instance.pk, group.pk]))
    assert not Group.objects.filter(name="TP3").exists()


def test_a_teacher_is_made_responsible_for_a_module(secretariat_client, users, instance, module):
    url = reverse("grading:responsible_list", args=[instance.pk])
    response = secretariat_client.post(url, {"module": module.pk, "user": users["teacher"].pk})
    assert response.status_code == 302
    responsible = ModuleResponsible.objects.get()
    assert (responsible.module, responsible.user) == (module, users["teacher"])
    secretariat_client.post(reverse("grading:responsible_delete", args=[instance.pk, responsible.pk]))
    assert not ModuleResponsible.objects.exists()


def test_only_teachers_can_be_made_responsible(secretariat_client, users, instance, module):
    url = reverse("grading:responsible_list", args=[instance.pk])
    response = secretariat_client.post(url, {"module": module.pk, "user": users["jury"].pk})
    assert "user" in response.context["form"].errors


def test_an_evaluation_has_a_weight_per_ue_of_its_module_defaulting_to_1(client, users, instance, module,
                                                                          responsible):
    client.force_login(users["teacher"])
    url = reverse("grading:evaluation_create", args=[instance.pk, module.pk])
    form = client.get(url).context["form"]
    ues = form.ues
    assert [ue.code for ue in ues] == ["UE1.1", "UE1.2"]
    assert form[f"weight_{ues[0].pk}"].initial == Decimal("1")
    response = client.post(url, {"title": "Partiel", "date": "2025-11-05", "coefficient": "1,5", "max_score": "40",
                                 "is_rattrapage": "on", f"weight_{ues[0].pk}": "2", f"weight_{ues[1].pk}": "1"})
    evaluation = Evaluation.objects.get()
    assert response["Location"] == reverse("grading:evaluation_grid", args=[evaluation.pk])
    assert (evaluation.coefficient, evaluation.max_score, evaluation.is_rattrapage) == (Decimal("1.5"),
                                                                                       Decimal("40"), True)
    assert {w.ue.code: w.weight for w in evaluation.weights.all()} == {"UE1.1": Decimal("2"), "UE1.2": Decimal("1")}


def test_an_evaluation_is_edited_with_its_weights(secretariat_client, evaluation):
    url = reverse("grading:evaluation_edit", args=[evaluation.pk])
    form = secretariat_client.get(url).context["form"]
    data = {"title": "DS1 bis", "coefficient": "3", "max_score": "20", "order": "1"}
    data.update({f"weight_{ue.pk}": "0,5" for ue in form.ues})
    secretariat_client.post(url, data)
    evaluation.refresh_from_db()
    assert (evaluation.title, evaluation.coefficient) == ("DS1 bis", Decimal("3"))
    assert sorted(w.weight for w in evaluation.weights.all()) == [Decimal("0.5"), Decimal("0.5")]


def test_the_semester_page_lists_modules_evaluations_and_counts(secretariat_client, users, instance, evaluation,
                                                                 enrolments):
    from grading.services.grades import grade_set

    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="ABS", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:semester_detail", args=[instance.pk]))
    modules = response.context["modules"]
    assert [(m.module.code, [(e.title, e.entered) for e in m.evaluations]) for m in modules] == [
        ("R1.01", [("DS1", 1)]), ("R1.02", [])]

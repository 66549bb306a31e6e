"""Evaluation plans: the same evaluations for several modules at once, or last year's plan copied, then adjusted."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import AuditEntry, Evaluation, EvaluationWeight, ModuleResponsible
from grading.services.errors import SemesterLocked, ServiceError
from grading.services.evaluation_plans import (
    PlannedEvaluation,
    evaluation_plan_copy,
    evaluation_plan_create,
    previous_plans,
)
from grading.services.evaluations import evaluation_create
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(make_semester_instance, instance, module, other_module):
    """The same programme semester, one year earlier, with a plan: DS (coef 2, /40, weights 1 and 0.5), TP, Ratt."""
    old = make_semester_instance(programme=instance.semester.programme, start_year=2024, students=0)
    ue1, ue2 = instance.semester.ues.order_by("code")
    evaluation_create(semester_instance=old, module=module, title="DS", coefficient=Decimal("2"),
                               max_score=Decimal("40"), order=0, weights={ue1: Decimal("1"), ue2: Decimal("0.5")})
    evaluation_create(semester_instance=old, module=module, title="Rattrapage", is_rattrapage=True, order=1)
    evaluation_create(semester_instance=old, module=other_module, title="TP", is_immediate=True)
    return old


def plan_of(instance) -> list[tuple]:
    return [(e.module.code, e.title, e.coefficient, e.max_score, e.is_immediate, e.is_rattrapage, e.order,
             sorted((w.ue.code, w.weight) for w in e.weights.all()))
            for e in Evaluation.objects.filter(semester_instance=instance).order_by("module__code", "order", "id")]


def test_it_creates_the_same_plan_in_several_modules(users, instance, module, other_module):
    evaluation_create(semester_instance=instance, module=module, title="Existant")
    plan = [PlannedEvaluation(title="CC1"), PlannedEvaluation(title="Examen", coefficient=Decimal("3"),
                                                              max_score=Decimal("40"))]
    result = evaluation_plan_create(semester_instance=instance, modules=[module, other_module], plan=plan,
                                    user=users["secretariat"])
    assert len(result.created) == 4
    ones = [("UE1.1", Decimal("1")), ("UE1.2", Decimal("1"))]
    assert plan_of(instance) == [
        ("R1.01", "Existant", 1, 20, False, False, 0, ones),
        ("R1.01", "CC1", 1, 20, False, False, 1, ones),
        ("R1.01", "Examen", 3, 40, False, False, 2, ones),
        ("R1.02", "CC1", 1, 20, False, False, 0, ones),
        ("R1.02", "Examen", 3, 40, False, False, 1, ones),
    ]
    assert AuditEntry.objects.filter(action="create", object_type="grading.evaluation",
                                     batch=result.batch).count() == 4


def test_a_plan_may_date_its_evaluations_and_a_copy_leaves_the_dates_to_set(users, instance, module,
                                                                            make_semester_instance):
    plan = [PlannedEvaluation(title="DS1", date=datetime.date(2025, 10, 6)), PlannedEvaluation(title="DS2")]
    evaluation_plan_create(semester_instance=instance, modules=[module], plan=plan, user=users["secretariat"])
    assert [(e.title, e.date) for e in Evaluation.objects.filter(semester_instance=instance).order_by("order")] == [
        ("DS1", datetime.date(2025, 10, 6)), ("DS2", None)]
    later = make_semester_instance(programme=instance.semester.programme, start_year=2026, students=0)
    evaluation_plan_copy(source=instance, target=later, user=users["secretariat"])
    assert list(Evaluation.objects.filter(semester_instance=later).values_list("date", flat=True)) == [None, None]


def test_the_plan_page_creates_the_evaluations_of_the_ticked_modules(secretariat_client, instance, module):
    data = {"modules": [module.pk], "plan-TOTAL_FORMS": "2", "plan-INITIAL_FORMS": "0",
            "plan-0-title": "DS1", "plan-0-coefficient": "1,5", "plan-0-max_score": "20",
            "plan-1-title": "", "plan-1-coefficient": "1", "plan-1-max_score": "20"}
    response = secretariat_client.post(reverse("grading:evaluation_plan", args=[instance.pk]), data)
    assert response.status_code == 302
    assert [(e.title, e.coefficient) for e in Evaluation.objects.filter(semester_instance=instance)] == [
        ("DS1", Decimal("1.5"))]


def test_it_copies_last_years_plan_with_its_weights_and_no_grades(users, instance, last_year):
    assert list(previous_plans(semester_instance=instance)) == [last_year]
    result = evaluation_plan_copy(source=last_year, target=instance, user=users["secretariat"])
    assert len(result.created) == 3 and result.skipped == []
    assert plan_of(instance) == [
        ("R1.01", "DS", 2, 40, False, False, 0, [("UE1.1", Decimal("1")), ("UE1.2", Decimal("0.5"))]),
        ("R1.01", "Rattrapage", 1, 20, False, True, 1, [("UE1.1", 1), ("UE1.2", 1)]),
        ("R1.02", "TP", 1, 20, True, False, 0, [("UE1.1", 1), ("UE1.2", 1)]),
    ]
    assert {e.reason for e in AuditEntry.objects.filter(batch=result.batch)} == {f"Copie du plan de {last_year}"}


def test_a_second_copy_skips_what_is_already_there(users, instance, last_year):
    evaluation_plan_copy(source=last_year, target=instance, user=users["secretariat"])
    again = evaluation_plan_copy(source=last_year, target=instance, user=users["secretariat"])
    assert again.created == [] and again.skipped == ["R1.01 – DS", "R1.01 – Rattrapage", "R1.02 – TP"]
    assert Evaluation.objects.filter(semester_instance=instance).count() == 3


def test_a_teacher_copies_the_plan_of_their_own_modules_only(client, users, instance, module, last_year):
    ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users["teacher"])
    client.force_login(users["teacher"])
    response = client.post(reverse("grading:evaluation_plan_copy", args=[instance.pk]), {"source": last_year.pk})
    assert response.status_code == 302
    assert [e[1] for e in plan_of(instance)] == ["DS", "Rattrapage"]


def test_the_copy_refuses_a_locked_semester_and_itself(users, instance, last_year):
    with pytest.raises(ServiceError):
        evaluation_plan_copy(source=instance, target=instance, user=users["secretariat"])
    semester_lock(semester_instance=instance, user=users["direction"])
    with pytest.raises(SemesterLocked):
        evaluation_plan_copy(source=last_year, target=instance, user=users["secretariat"])
    assert not EvaluationWeight.objects.filter(evaluation__semester_instance=instance).exists()

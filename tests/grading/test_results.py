"""Live results: module and UE averages computed by the engine, shown beside the grid and on the results page."""
import pytest
from django.urls import reverse

from grading import services

pytest.importorskip("grading.loaders")
pytest.importorskip("grading.engine.compute")

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(users, instance, module, other_module, enrolments):
    """DS1 (coef 2) and DS2 (coef 1) in R1.01; one evaluation in R1.02; every grade entered (R2)."""
    ds1 = services.evaluation_create(semester_instance=instance, module=module, title="DS1", coefficient=2)
    ds2 = services.evaluation_create(semester_instance=instance, module=module, title="DS2", coefficient=1)
    tp = services.evaluation_create(semester_instance=instance, module=other_module, title="TP")
    grades = {ds1: ["12", "8", "ABS"], ds2: ["15", "9", "EXC"], tp: ["10", "10", "10"]}
    for evaluation, values in grades.items():
        services.grades_import(evaluation=evaluation, user=users["secretariat"], filename="x",
                               rows=[(e.pk, v) for e, v in zip(enrolments, values, strict=True)])
    return ds1


def test_the_grid_shows_each_students_module_average_towards_each_ue(secretariat_client, graded, enrolments):
    response = secretariat_client.get(reverse("grading:evaluation_grid", args=[graded.pk]))
    live = response.context["live"]
    assert live.available, live.error
    averages = [row.averages for row in response.context["rows"]]
    # Bernard: (12×2 + 15)/3 = 13; Dubois: (8×2 + 9)/3 = 8.333…; Martin: ABS counts 0, EXC left out = 0.
    assert averages == [[("UE1.1", "13,00"), ("UE1.2", "13,00")], [("UE1.1", "8,33"), ("UE1.2", "8,33")],
                        [("UE1.1", "0,00"), ("UE1.2", "0,00")]]


def test_the_results_page_shows_ue_averages_rounded_to_the_cent(secretariat_client, instance, graded):
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]))
    assert response.status_code == 200
    live = response.context["live"]
    assert live.ue_codes == ["UE1.1", "UE1.2"]
    # UE average = (2×R1.01 + 2×R1.02)/4: Bernard (13+10)/2 = 11.5; Dubois (8.333+10)/2 = 9.1666…; Martin 5.
    rows = [(e.student.last_name, [avg for avg, _decision in cells]) for e, cells in response.context["rows"]]
    assert rows == [("Bernard", ["11,50", "11,50"]), ("Dubois", ["9,17", "9,17"]), ("Martin", ["5,00", "5,00"])]
    assert not response.context["incomplete"]


def test_the_results_page_lists_incomplete_evaluations(secretariat_client, users, instance, module, graded,
                                                       enrolments):
    partial = services.evaluation_create(semester_instance=instance, module=module, title="Oral")
    services.grade_set(evaluation=partial, enrolment=enrolments[0], raw="20", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]))
    assert [e.title for e in response.context["incomplete"]] == ["Oral"]

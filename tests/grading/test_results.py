"""Live results: module and UE averages computed by the engine, shown beside the grid and on the results page."""
import pytest
from django.urls import reverse

from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set

pytest.importorskip("grading.loaders")
pytest.importorskip("grading.engine.compute")

pytestmark = pytest.mark.django_db


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
    rows = [(str(enrolment.student).split()[0], [avg for avg, _decision in cells])
            for enrolment, cells in response.context["rows"]]
    assert rows == [("BERNARD", ["11,50", "11,50"]), ("DUBOIS", ["9,17", "9,17"]), ("MARTIN", ["5,00", "5,00"])]
    assert not response.context["incomplete"]


def test_the_results_page_lists_incomplete_evaluations(secretariat_client, users, instance, module, graded,
                                                       enrolments):
    partial = evaluation_create(semester_instance=instance, module=module, title="Oral")
    grade_set(evaluation=partial, enrolment=enrolments[0], raw="20", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:semester_results", args=[instance.pk]))
    assert [e.title for e in response.context["incomplete"]] == ["Oral"]


def test_every_staff_page_prints_computed_averages_with_a_decimal_comma(secretariat_client, instance, module,
                                                                       graded, enrolments):
    pages = {
        "results": reverse("grading:semester_results", args=[instance.pk]),
        "evaluation grid": reverse("grading:evaluation_grid", args=[graded.pk]),
        "module grid": reverse("grading:module_grid", args=[instance.pk, module.pk]),
        "staff student page": reverse("grading:student_detail", args=[instance.pk, enrolments[1].pk]),
    }
    shown = {"results": "9,17", "evaluation grid": "8,33", "module grid": "8,33", "staff student page": "9,17"}
    for name, url in pages.items():
        html = secretariat_client.get(url).content.decode()
        assert f">{shown[name]}<" in html or f">{shown[name]} <" in html, name
        assert shown[name].replace(",", ".") not in html, name


def test_the_grid_asks_for_one_rows_averages_after_a_save(secretariat_client, users, instance, module, graded,
                                                          enrolments):
    url = reverse("grading:grid_averages", args=[instance.pk, module.pk])
    grade_set(evaluation=graded, enrolment=enrolments[1], raw="20", user=users["secretariat"])
    data = secretariat_client.get(url, {"inscription": enrolments[1].pk}).json()
    # Dubois: (20×2 + 9)/3 = 16.333…
    assert data == {"ok": True, "error": "", "averages": {str(enrolments[1].pk): {"UE1.1": "16,33", "UE1.2": "16,33"}},
                    "incomplete": []}


def test_the_grid_asks_for_every_rows_averages_once_an_evaluation_waits(secretariat_client, users, instance, module,
                                                                        graded, enrolments):
    """A new evaluation with one grade waits for the others (R2): every row's average may move, all are sent."""
    oral = evaluation_create(semester_instance=instance, module=module, title="Oral")
    grade_set(evaluation=oral, enrolment=enrolments[0], raw="2", user=users["secretariat"])
    url = reverse("grading:grid_averages", args=[instance.pk, module.pk])
    assert secretariat_client.get(url, {"inscription": enrolments[0].pk}).json()["incomplete"] == [oral.pk]
    td1 = instance.groups.get(name="TD1")
    data = secretariat_client.get(url, {"groupe": td1.pk}).json()
    assert set(data["averages"]) == {str(e.pk) for e in enrolments if e.groups.filter(pk=td1.pk).exists()}
    assert secretariat_client.get(url, {"inscription": "x"}).status_code == 400

"""The grade grid: the page and its JSON save endpoint."""
from decimal import Decimal

import pytest
from django.urls import reverse

from curriculum.models import UE
from grading.grade_text import ERROR_ABOVE_MAX
from grading.models import Grade, GradeChange
from grading.services.errors import CONFLICT, NOT_ENROLLED
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set

pytestmark = pytest.mark.django_db


def save(client, evaluation, enrolment, value, version=0):
    return client.post(reverse("grading:grade_save", args=[evaluation.pk]),
                       {"enrolment": enrolment.pk, "value": value, "version": version})


def test_it_shows_one_row_per_enrolled_student_sorted_by_name(secretariat_client, evaluation, enrolments):
    response = secretariat_client.get(reverse("grading:evaluation_grid", args=[evaluation.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.enrolment.student.last_name for r in rows] == ["Bernard", "Dubois", "Martin"]
    assert response.content.decode().count('class="grade"') == 3
    assert b"js/grid.js" in response.content


def test_it_filters_the_grid_by_group_through_a_get_form(secretariat_client, instance, evaluation):
    td2 = instance.groups.get(name="TD2")
    response = secretariat_client.get(reverse("grading:evaluation_grid", args=[evaluation.pk]), {"groupe": td2.pk})
    assert [r.enrolment.student.last_name for r in response.context["rows"]] == ["Bernard"]
    response = secretariat_client.get(reverse("grading:evaluation_grid", args=[evaluation.pk]), {"groupe": "x"})
    assert len(response.context["rows"]) == 3  # an invalid filter shows everyone


@pytest.mark.parametrize("typed,stored_value,stored_code,shown", [
    ("12,5", Decimal("12.5"), "", "12,5"),
    ("12.5", Decimal("12.5"), "", "12,5"),
    ("abs", None, "ABS", "ABS"),
    ("Exc", None, "EXC", "EXC"),
    ("att", None, "ATT", "ATT"),
    ("20", Decimal("20"), "", "20"),
])
def test_it_saves_a_valid_value(secretariat_client, evaluation, enrolments, typed, stored_value, stored_code, shown):
    response = save(secretariat_client, evaluation, enrolments[0], typed)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "changed": True, "value": shown, "version": 1}
    grade = Grade.objects.get(evaluation=evaluation, enrolment=enrolments[0])
    assert (grade.value, grade.code, grade.version) == (stored_value, stored_code, 1)


def test_it_clears_a_grade_when_the_cell_is_emptied(secretariat_client, evaluation, enrolments):
    save(secretariat_client, evaluation, enrolments[0], "14")
    response = save(secretariat_client, evaluation, enrolments[0], "", version=1)
    assert response.json() == {"ok": True, "changed": True, "value": "", "version": 2}
    grade = Grade.objects.get(evaluation=evaluation, enrolment=enrolments[0])
    assert (grade.value, grade.code) == (None, "")


def test_it_refuses_a_grade_above_the_maximum_with_the_exact_reason(secretariat_client, evaluation, enrolments):
    response = save(secretariat_client, evaluation, enrolments[0], "25")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "25 > 20 (note maximale)"}
    assert not Grade.objects.exists()
    assert not GradeChange.objects.exists()


@pytest.mark.parametrize("typed,error", [
    ("-3", "-3 < 0 (une note ne peut pas être négative)"),
    ("12,345", "12,345 : deux décimales au plus"),
    ("bof", "« bof » n'est pas une note : saisissez un nombre de 0 à 20 (ex. 12,5), ou ABS, EXC, ATT"),
])
def test_it_refuses_invalid_values_with_a_french_reason(secretariat_client, evaluation, enrolments, typed, error):
    response = save(secretariat_client, evaluation, enrolments[0], typed)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert not Grade.objects.exists()


def test_it_checks_the_maximum_of_the_evaluation(secretariat_client, instance, module, enrolments):
    on_ten = evaluation_create(semester_instance=instance, module=module, title="QCM",
                                        max_score=Decimal("10"))
    response = save(secretariat_client, on_ten, enrolments[0], "10,5")
    assert response.json()["error"] == ERROR_ABOVE_MAX.format(value="10,5", max="10")


def test_it_refuses_a_stale_version_showing_both_values(secretariat_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="14", user=users["direction"])
    response = save(secretariat_client, evaluation, enrolments[0], "9", version=0)
    assert response.status_code == 409
    data = response.json()
    assert data["conflict"] is True
    assert (data["current"], data["yours"], data["version"]) == ("14", "9", 1)
    assert data["error"] == CONFLICT.format(current="14", yours="9")
    assert "« 14 »" in data["error"] and "« 9 »" in data["error"]
    assert Grade.objects.get().value == Decimal("14")


def test_it_saves_over_a_newer_version_once_the_user_has_seen_it(secretariat_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="14", user=users["direction"])
    response = save(secretariat_client, evaluation, enrolments[0], "9", version=1)
    assert response.json() == {"ok": True, "changed": True, "value": "9", "version": 2}


def test_saving_the_same_value_again_changes_nothing(secretariat_client, evaluation, enrolments):
    save(secretariat_client, evaluation, enrolments[0], "12,5")
    response = save(secretariat_client, evaluation, enrolments[0], "12.50", version=1)
    assert response.json() == {"ok": True, "changed": False, "value": "12,5", "version": 1}
    assert GradeChange.objects.count() == 1


def test_it_refuses_a_student_of_another_semester(secretariat_client, evaluation, make_semester_instance):
    stranger = make_semester_instance(students=1).enrolments.get()
    response = save(secretariat_client, evaluation, stranger, "12")
    assert response.status_code == 400
    assert response.json()["error"] == NOT_ENROLLED


def test_a_malformed_request_is_refused(secretariat_client, evaluation):
    response = secretariat_client.post(reverse("grading:grade_save", args=[evaluation.pk]), {"value": "12"})
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_the_grid_page_shows_the_saved_grades_and_their_versions(secretariat_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[1], raw="7,25", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:evaluation_grid", args=[evaluation.pk]))
    cell = response.context["rows"][1].cell
    assert (cell.display, cell.version) == ("7,25", 1)
    assert 'data-saved="7,25" data-version="1"' in response.content.decode()


def test_the_module_grid_has_a_column_per_evaluation(secretariat_client, users, instance, module, evaluation,
                                                     enrolments):
    second = evaluation_create(semester_instance=instance, module=module, title="TP noté")
    grade_set(evaluation=second, enrolment=enrolments[0], raw="ABS", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:module_grid", args=[instance.pk, module.pk]))
    assert response.status_code == 200
    assert [e.title for e in response.context["evaluations"]] == ["DS1", "TP noté"]
    assert [c.display for c in response.context["rows"][0].cells] == ["", "ABS"]
    assert response.content.decode().count('class="grade"') == 6


def test_the_student_page_lists_every_grade_of_the_semester(secretariat_client, users, instance, evaluation,
                                                           enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="15", user=users["secretariat"])
    response = secretariat_client.get(reverse("grading:student_detail", args=[instance.pk, enrolments[0].pk]))
    assert response.status_code == 200
    modules = response.context["modules"]
    assert [(m.module.code, [c.display for c in m.cells]) for m in modules] == [("R1.01", ["15"])]


def test_the_history_panel_lists_every_change(secretariat_client, users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="8", user=users["secretariat"])
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="ABS", user=users["direction"])
    url = reverse("grading:grade_history", args=[evaluation.pk, enrolments[0].pk])
    response = secretariat_client.get(url, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    changes = list(response.context["table"].data)
    assert [(c.old_value, c.new_value, c.user.username) for c in changes] == [
        ("8", "ABS", "direction"), ("", "8", "secretariat")]
    assert secretariat_client.get(url).status_code == 200  # also a full page without JavaScript


def test_the_grids_and_the_student_page_carry_the_ue_titles(secretariat_client, instance, module, evaluation,
                                                            enrolments):
    UE.objects.filter(semester=instance.semester, code="UE1.1").update(title="Spécifier un produit")
    for url in (reverse("grading:evaluation_grid", args=[evaluation.pk]),
                reverse("grading:module_grid", args=[instance.pk, module.pk])):
        page = secretariat_client.get(url).content.decode()
        assert 'title="UE1.1 — Spécifier un produit"' in page, url
    response = secretariat_client.get(reverse("grading:student_detail", args=[instance.pk, enrolments[0].pk]))
    assert response.context["ue_results"][0][:2] == ("UE1.1", "Spécifier un produit")
    assert "Spécifier un produit" in response.content.decode()

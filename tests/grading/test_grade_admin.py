"""The Django admin edits a grade through the service: parsed (R1), lock-checked (R19), audited (source admin)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import Grade, GradeChange
from grading.services.grades import grade_set
from grading.services.semesters import semester_lock

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True, username="root"))
    return client


def test_a_grade_added_in_the_admin_is_audited_with_source_admin(admin_client, evaluation, enrolments):
    response = admin_client.post(reverse("admin:grading_grade_add"), {
        "evaluation": evaluation.pk, "enrolment": enrolments[0].pk, "entry": "13,5"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    grade = Grade.objects.get()
    assert (grade.value, grade.version) == (Decimal("13.5"), 1)
    change = GradeChange.objects.get()
    assert (change.old_value, change.new_value, change.source, change.user.username) == ("", "13,5", "admin", "root")


def test_a_grade_changed_in_the_admin_is_parsed_like_everywhere(admin_client, users, evaluation, enrolments):
    saved = grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="10", user=users["secretariat"])
    url = reverse("admin:grading_grade_change", args=[saved.grade.pk])
    response = admin_client.post(url, {"entry": "22"})
    assert response.context["adminform"].form.errors["entry"] == ["22 > 20 (note maximale)"]
    response = admin_client.post(url, {"entry": "exc"})
    assert response.status_code == 302
    assert Grade.objects.get().display == "EXC"
    assert list(GradeChange.objects.order_by("id").values_list("source", flat=True)) == ["grid", "admin"]


def test_the_admin_refuses_a_grade_of_a_locked_semester(admin_client, users, instance, evaluation, enrolments):
    saved = grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="10", user=users["secretariat"])
    semester_lock(semester_instance=instance, user=users["direction"])
    response = admin_client.post(reverse("admin:grading_grade_change", args=[saved.grade.pk]), {"entry": "12"})
    assert response.status_code == 200
    assert Grade.objects.get().display == "10"


@pytest.mark.parametrize("name", ["grade", "gradechange", "importbatch", "evaluation", "enrolment", "student",
                                  "semesterinstance", "semesterlockevent", "group", "moduleresponsible"])
def test_the_admin_lists_the_grading_models(admin_client, evaluation, name):
    assert admin_client.get(reverse(f"admin:grading_{name}_changelist")).status_code == 200

"""A student sees their own UE results, computed by the engine, and nobody else's."""
from decimal import Decimal

import pytest
from django.utils.html import escape

from grading.models import Evaluation, Grade
from grading.views.student import NO_STUDENT_RECORD


@pytest.fixture
def graded_instance(make_semester_instance):
    instance = make_semester_instance(students=2)
    module_1, module_2 = instance.semester.modules.order_by("code")
    enrolments = list(instance.enrolments.select_related("student").order_by("id"))
    ev1 = Evaluation.objects.create(semester_instance=instance, module=module_1, title="DS")
    ev2 = Evaluation.objects.create(semester_instance=instance, module=module_2, title="TP", max_score=Decimal(40))
    for enrolment, (a, b) in zip(enrolments, [(Decimal("12.5"), Decimal("30")), (Decimal("4"), Decimal("8"))],
                                 strict=True):
        Grade.objects.create(evaluation=ev1, enrolment=enrolment, value=a)
        Grade.objects.create(evaluation=ev2, enrolment=enrolment, value=b, max_score=Decimal(40))
    return instance, enrolments


@pytest.mark.django_db
def test_a_student_sees_their_own_ue_averages(client, users, graded_instance):
    instance, (mine, other) = graded_instance
    mine.student.user = users["student"]
    mine.student.save()
    client.force_login(users["student"])
    page = client.get("/notes/mes-resultats/").content.decode()
    # Two modules of coefficient 2 in each UE: (12.5 + 30/40*20) / 2 = 13.75 -> ADM (provisional, S1).
    assert "13.75" in page or "13,75" in page
    assert "UE1.1" in page and "UE1.2" in page and "ADM" in page
    assert mine.student.last_name.upper() in page
    # The other student's figures ((4 + 4) / 2 = 4.00) and name are not shown.
    assert "4.00" not in page and "4,00" not in page
    assert other.student.first_name not in page


@pytest.mark.django_db
def test_a_student_account_without_a_record_gets_a_french_explanation(client, users):
    client.force_login(users["student"])
    page = client.get("/notes/mes-resultats/").content.decode()
    assert escape(NO_STUDENT_RECORD) in page

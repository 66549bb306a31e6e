"""Fixtures of the grade-entry tests: one semester with three students, an evaluation, a responsible teacher."""
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from grading.exports import evaluation_workbook
from grading.models import ModuleResponsible
from grading.selectors import grade_entry
from grading.selectors.grade_entry import grid
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import


@pytest.fixture
def instance(make_semester_instance):
    return make_semester_instance(students=3)


@pytest.fixture
def module(instance):
    return instance.semester.modules.order_by("code").first()


@pytest.fixture
def other_module(instance):
    return instance.semester.modules.order_by("code").last()


@pytest.fixture
def evaluation(instance, module):
    return evaluation_create(semester_instance=instance, module=module, title="DS1",
                                      coefficient=Decimal("2"), max_score=Decimal("20"))


@pytest.fixture
def enrolments(instance):
    return list(grade_entry.enrolments(semester_instance=instance))


@pytest.fixture
def responsible(users, instance, module):
    return ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users["teacher"])


@pytest.fixture
def secretariat_client(client, users):
    client.force_login(users["secretariat"])
    return client


@pytest.fixture
def workbook_for():
    """Return the exported workbook of an evaluation (openpyxl), to edit and save as an upload."""

    def make(evaluation):
        rows = grid(semester_instance=evaluation.semester_instance, evaluations=[evaluation])
        return load_workbook(BytesIO(evaluation_workbook(evaluation=evaluation, rows=rows)))

    return make


def xlsx_bytes(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def graded(users, instance, module, other_module, enrolments):
    """DS1 (coef 2) and DS2 (coef 1) in R1.01; TP in R1.02; every grade entered (R2). Bernard 12, 15, 10;
    Dubois 8, 9, 10; Martin ABS, EXC, 10: module averages 13 and 10, 8.33 and 10, 0 and 10. Returns DS1."""
    ds1 = evaluation_create(semester_instance=instance, module=module, title="DS1", coefficient=2)
    ds2 = evaluation_create(semester_instance=instance, module=module, title="DS2", coefficient=1)
    tp = evaluation_create(semester_instance=instance, module=other_module, title="TP")
    grades = {ds1: ["12", "8", "ABS"], ds2: ["15", "9", "EXC"], tp: ["10", "10", "10"]}
    for evaluation, values in grades.items():
        grades_import(evaluation=evaluation, user=users["secretariat"], filename="x",
                               rows=[(e.pk, v) for e, v in zip(enrolments, values, strict=True)])
    return ds1

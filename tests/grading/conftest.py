"""Fixtures of the grade-entry tests: one semester with three students, an evaluation, a responsible teacher."""
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from grading import selectors, services
from grading.exports import evaluation_workbook
from grading.models import ModuleResponsible


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
    return services.evaluation_create(semester_instance=instance, module=module, title="DS1",
                                      coefficient=Decimal("2"), max_score=Decimal("20"))


@pytest.fixture
def enrolments(instance):
    return list(selectors.enrolments(semester_instance=instance))


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
        rows = selectors.grid(semester_instance=evaluation.semester_instance, evaluations=[evaluation])
        return load_workbook(BytesIO(evaluation_workbook(evaluation=evaluation, rows=rows)))

    return make


def xlsx_bytes(wb) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

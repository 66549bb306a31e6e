"""Every grade change leaves an audit row (who, when, old, new, source, batch)."""
from decimal import Decimal

import pytest

from grading.models import GradeChange
from grading.services.errors import GradeInvalid, ServiceError
from grading.services.evaluations import evaluation_update
from grading.services.grades import grade_set, grades_import

pytestmark = pytest.mark.django_db


def test_every_grid_change_is_audited_with_old_and_new_values(users, evaluation, enrolments):
    user = users["secretariat"]
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="12,5", user=user)
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="exc", user=user, expected_version=1)
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="", user=user, expected_version=2)
    rows = GradeChange.objects.order_by("id")
    assert [(c.old_value, c.new_value, c.source, c.user, c.batch) for c in rows] == [
        ("", "12,5", "grid", user, None), ("12,5", "EXC", "grid", user, None), ("EXC", "", "grid", user, None)]
    assert all(c.at is not None for c in rows)


def test_a_refused_value_leaves_no_audit_row(users, evaluation, enrolments):
    with pytest.raises(GradeInvalid, match="21 > 20"):
        grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="21", user=users["secretariat"])
    assert not GradeChange.objects.exists()


def test_an_import_audits_each_change_in_its_batch(users, evaluation, enrolments):
    result = grades_import(evaluation=evaluation, user=users["secretariat"], filename="f.xlsx",
                                    rows=[(e.pk, "11") for e in enrolments])
    assert GradeChange.objects.filter(batch=result.batch, source="import").count() == 3


def test_a_lower_maximum_is_refused_while_a_grade_exceeds_it(users, evaluation, enrolments):
    grade_set(evaluation=evaluation, enrolment=enrolments[0], raw="15", user=users["secretariat"])
    with pytest.raises(ServiceError) as refused:
        evaluation_update(evaluation=evaluation, title="DS1", coefficient=Decimal(1), max_score=Decimal(10),
                                   is_immediate=False, is_rattrapage=False)
    assert refused.value.message == "La note maximale (10) est inférieure à une note déjà saisie (15)."

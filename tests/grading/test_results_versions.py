"""Results versions (grading/cache_versions.py): a change gives its semester a new version, so nothing cached from the
semester's former state is read again, even when a change is rolled back after something was cached under it."""

import pytest
from django.db import transaction

from grading.models import SemesterInstance
from grading.selectors.live_results import live_results
from grading.services.grades import grade_set


class RolledBack(Exception):
    pass


def ue_averages(instance, student_id):
    return {code: average for code, (average, _) in live_results(semester_instance=instance).ues[student_id].items()}


@pytest.mark.django_db
def test_results_cached_under_a_rolled_back_change_are_never_read(instance, evaluation, enrolments, users):
    secretary = users["secretariat"]
    for enrolment, grade in zip(enrolments, ["10", "12", "14"], strict=True):
        grade_set(evaluation=evaluation, enrolment=enrolment, raw=grade, expected_version=0, user=secretary)
    first = enrolments[0]
    assert set(ue_averages(instance, first.student_id).values()) == {"10,00"}
    before = SemesterInstance.objects.get(pk=instance.pk).results_version

    with pytest.raises(RolledBack), transaction.atomic():
        grade_set(evaluation=evaluation, enrolment=first, raw="15", expected_version=1, user=secretary)
        assert set(ue_averages(instance, first.student_id).values()) == {"15,00"}  # cached, then…
        raise RolledBack  # …the change is undone
    assert SemesterInstance.objects.get(pk=instance.pk).results_version == before  # nobody reads in between

    grade_set(evaluation=evaluation, enrolment=first, raw="11", expected_version=1, user=secretary)
    assert SemesterInstance.objects.get(pk=instance.pk).results_version != before
    assert set(ue_averages(instance, first.student_id).values()) == {"11,00"}  # never the rolled-back 15

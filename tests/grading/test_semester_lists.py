"""Pages and admin lists that name several semester instances do it in a fixed number of queries.

A semester instance's name reads its semester, programme, parcours and year (SemesterInstance.__str__): each list
selects them with the instances, so six semesters cost the same queries as two.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import ModuleResponsible, SemesterInstance
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from grading.services.semesters import semester_lock

# the session, the user, the user's roles (groups), then the semester instances with what their names read
SEMESTER_LIST_QUERIES = 6  # with the journal of staff reads' INSERT and the programme versions' labels

ADMIN_PAGES = [
    "semesterinstance/", "semesterlockevent/", "group/", "group/add/", "enrolment/", "enrolment/add/",
    "moduleresponsible/", "moduleresponsible/add/", "evaluation/", "evaluation/add/", "grade/", "importbatch/",
    "gradechange/", "jurydecision/", "jurysession/add/",
]


def open_semesters(make_semester_instance, users, count: int, first_year: int) -> list[SemesterInstance]:
    """Open `count` semesters of new programmes, each with a teacher, an imported grade, every other one locked."""
    instances = []
    for k in range(count):
        instance = make_semester_instance(students=2, start_year=first_year + k, label=f"session {k}")
        module = instance.semester.modules.order_by("code").first()
        ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users["teacher"])
        evaluation = evaluation_create(semester_instance=instance, module=module, title="DS1")
        enrolment = instance.enrolments.order_by("pk").first()
        grades_import(evaluation=evaluation, user=users["secretariat"], filename="ds1.xlsx",
                               rows=[(enrolment.pk, "12")])
        if k % 2:
            semester_lock(semester_instance=instance, user=users["direction"], reason="Jury tenu.")
        instances.append(instance)
    return instances


def queries_of(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretariat", "teacher"])
def test_the_semester_list_names_two_or_six_semesters_in_the_same_queries(client, users, make_semester_instance,
                                                                          role):
    client.force_login(users[role])
    url = reverse("grading:semester_list")
    client.get(url)  # the session's first activity stamp is written once, not per page
    counts = []
    instances = open_semesters(make_semester_instance, users, 2, first_year=2020)
    for more in (0, 4):
        instances += open_semesters(make_semester_instance, users, more, first_year=2030)
        count, page = queries_of(client, url)
        counts.append(count)
        assert all(str(instance) in page for instance in instances)
    assert counts == [SEMESTER_LIST_QUERIES, SEMESTER_LIST_QUERIES]


@pytest.mark.django_db
def test_the_admin_lists_and_forms_name_two_or_six_semesters_in_the_same_queries(client, users, make_user,
                                                                                 make_semester_instance):
    client.force_login(make_user(is_superuser=True, is_staff=True, username="root"))
    counts = {}
    instances = open_semesters(make_semester_instance, users, 2, first_year=2020)
    for more in (0, 4):
        instances += open_semesters(make_semester_instance, users, more, first_year=2030)
        for page in ADMIN_PAGES:
            url = f"/admin/grading/{page}"
            client.get(url)  # the first visit of a page fills caches (content types) that later ones read
            count, content = queries_of(client, url)
            counts.setdefault(page, []).append(count)
            assert all(str(instance) in content for instance in instances), page  # in the filter or the select
    assert {page: c for page, c in counts.items() if c[0] != c[1]} == {}

"""A student's own results are cached: read again in a few queries, never once something they show has changed
(a grade, a publication, a withdrawal, a jury's publication, the student's identity)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from students_world import jury, publish_grades

from grading.services.grades import grade_set
from grading.services.students import student_identity_update
from portal.publication import evaluations_publish

pytestmark = pytest.mark.django_db

# session, user, student record; enrolments, published evaluations, decided semesters, published decisions, the
# published juries' records (one more, their semesters, once a jury's decisions are published); roles; the results
# versions of the student's semesters (the promotion's figures of each evaluation, cached per version); the
# student's absences (one query while none is recorded)
CACHED_PAGE_QUERIES = 11


def page(client) -> str:
    """Return the page's results: from its main part (no token) to the legend (which names every code)."""
    return client.get(reverse("portal:my_results")).content.decode().split("<main")[1].split('id="legende"')[0]


def test_the_page_read_again_costs_its_fixed_queries_only(student_client, year):
    publish_grades(year)
    with CaptureQueriesContext(connection) as first:
        page(student_client)
    with CaptureQueriesContext(connection) as again:
        assert page(student_client) == page(student_client)
    assert len(again.captured_queries) == 2 * CACHED_PAGE_QUERIES < 2 * len(first.captured_queries)


def test_a_grade_changed_shows_at_once(student_client, year, users):
    publish_grades(year)
    assert "14,25" in page(student_client)
    grade_set(evaluation=year.evaluations["DS1"], enrolment=year.enrolments[(year.alice.ine, 1)],
                       raw="16,5", user=users["secretariat"])
    shown = page(student_client)
    assert "16,5" in shown and "14,25" not in shown


def test_a_publication_and_a_withdrawal_show_at_once(student_client, year, users):
    assert "14,25" not in page(student_client)
    ds1 = year.evaluations["DS1"]
    evaluations_publish(evaluations=[ds1], published=True, user=users["secretariat"], base_url="http://testserver")
    assert "14,25" in page(student_client)
    evaluations_publish(evaluations=[ds1], published=False, user=users["secretariat"], base_url="http://testserver")
    assert "14,25" not in page(student_client)


def test_a_jury_published_shows_its_codes_at_once(student_client, year, users):
    publish_grades(year)
    assert "ECTS acquis</strong>" in page(student_client) and "<strong>0 ECTS acquis</strong>" in page(student_client)
    jury(year, 1, user=users["direction"])
    assert "<strong>15 ECTS acquis</strong>" in page(student_client)


def test_the_students_identity_is_read_fresh(student_client, year, users):
    assert "Aubert Alice" in page(student_client) or "AUBERT Alice" in page(student_client)
    student_identity_update(student=year.alice, last_name="Aubert-Martin", first_name="Alice",
                            email=year.alice.email, ine=year.alice.ine, nip="",
                            user=users["secretariat"])
    assert "AUBERT-MARTIN Alice" in page(student_client)

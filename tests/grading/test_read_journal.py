"""The journal of staff reads (RGPD): one row per page a staff member reads, naming the student on a single
student's page and keeping the scope of a listing; nothing for a refused page or a student's own pages; exported
with the student's data and purged after its time."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.models import StaffRead
from grading.personal_data import student_export
from grading.purges import staff_reads_purge

pytestmark = pytest.mark.django_db


def test_a_single_students_page_names_the_student_and_a_listing_keeps_its_scope(client, users, instance,
                                                                                enrolments):
    client.force_login(users["secretariat"])
    enrolment = enrolments[0]
    assert client.get(reverse("grading:student_detail", args=[instance.pk, enrolment.pk])).status_code == 200
    assert client.get(reverse("grading:semester_results", args=[instance.pk])).status_code == 200
    single, listing = StaffRead.objects.order_by("id")
    assert (single.user, single.page, single.student_id) == (users["secretariat"], "grading:student_detail",
                                                             enrolment.student_id)
    assert (listing.page, listing.scope, listing.student_id) == ("grading:semester_results", f"pk={instance.pk}",
                                                                None)
    export = student_export(student=enrolment.student)
    assert [(r["page"], r["by"]) for r in export["staff_reads"]] == [("grading:student_detail",
                                                                      users["secretariat"].get_full_name())]


def test_a_refused_page_and_a_students_own_pages_are_not_journaled(client, users, instance):
    client.force_login(users["teacher"])
    assert client.get(reverse("grading:semester_results", args=[instance.pk])).status_code == 403
    client.force_login(users["student"])
    client.get(reverse("portal:my_results"))
    assert not StaffRead.objects.exists()


def test_a_page_read_costs_one_insert(client, users, instance):
    client.force_login(users["secretariat"])
    url = reverse("grading:semester_results", args=[instance.pk])
    client.get(url)
    StaffRead.objects.all().delete()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    journal = [q["sql"] for q in queries.captured_queries if "grading_staffread" in q["sql"]]
    assert len(journal) == 1 and journal[0].startswith("INSERT")


def test_reads_older_than_their_time_are_purged(settings, users):
    settings.READ_JOURNAL_DAYS = 365
    old = StaffRead.objects.create(user=users["secretariat"], page="grading:semester_results")
    StaffRead.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=366))
    StaffRead.objects.create(user=users["secretariat"], page="grading:semester_results")
    assert staff_reads_purge() == 1 and StaffRead.objects.count() == 1

"""A whole-semester results page shows a student who left (DEM, DEF, ABAN) with a badge, not a row of dashes."""
import re

from django.urls import reverse

from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment


def test_the_results_page_badges_the_student_who_left(client, users, promotion):
    instance = next(i for i in (promotion.s3, promotion.s4)
                    if i.enrolments.exclude(status=EnrolmentStatus.ENROLLED).exists())
    left = Enrolment.objects.filter(semester_instance=instance).exclude(status=EnrolmentStatus.ENROLLED)
    staying = Enrolment.objects.filter(semester_instance=instance, status=EnrolmentStatus.ENROLLED)
    assert left.count() == 1 and staying.exists()
    client.force_login(users["secretariat"])
    page = client.get(reverse("grading:semester_results", args=[instance.pk])).content.decode()
    rows = dict(re.findall(r'<tr id="etudiant-(\d+)" class="[^"]*">(.*?)</tr>', page, re.S))
    (gone,) = left
    label = EnrolmentStatus.labels()[gone.status]
    assert f'<span class="badge bad status-left" title="{gone.status}">{label}</span>' in rows[str(gone.pk)]
    assert all("status-left" not in rows[str(e.pk)] for e in staying)
    Enrolment.objects.filter(pk=gone.pk).update(status=EnrolmentStatus.ABAN)
    page = client.get(reverse("grading:semester_results", args=[instance.pk])).content.decode()
    assert f'title="ABAN">{EnrolmentStatus.labels()["ABAN"]}</span>' in page

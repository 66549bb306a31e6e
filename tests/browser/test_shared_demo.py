"""The demo department the browser tests share (tests/shared_demo.py), seen in Chromium: built once per session,
committed, served by its own live server, built again only when a flush took it."""
import pytest
from django.urls import reverse

from demo.dates import THIS_YEAR
from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, SemesterInstance
from tests import shared_demo
from tests.browser.browsing import log_in

# django_db (not transactional): its transaction opens before Chromium starts, in the fixtures' context.
pytestmark = [pytest.mark.browser, pytest.mark.shared_demo, pytest.mark.django_db]


def s3_and_its_students() -> tuple[int, int, int]:
    """This year's S3: its id, its students still enrolled and those who left."""
    s3 = SemesterInstance.objects.get(semester__number=3, academic_year__start_year=THIS_YEAR)
    enrolments = Enrolment.objects.filter(semester_instance=s3)
    enrolled = enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    return s3.pk, enrolled, enrolments.count() - enrolled


def test_the_secretary_of_the_demo_opens_this_years_s3_and_reads_its_head_count(browser_page, demo):
    page = browser_page
    s3, enrolled, left = shared_demo.in_own_connection(s3_and_its_students)
    assert enrolled + left >= shared_demo.STUDENTS  # the promotion, and last year's repeaters
    assert left == 1  # the demo's student who left in November
    log_in(page, demo.server, "secretariat", demo.password)
    page.goto(demo.server.url + reverse("grading:semester_list"))
    page.click(f"a[href='{reverse('grading:semester_detail', args=[s3])}']")
    page.wait_for_url(f"**{reverse('grading:semester_detail', args=[s3])}")
    heading = page.locator("table.modules thead").inner_text()
    assert f"notes saisies sur {enrolled} inscrits" in heading


def test_the_demo_is_built_only_when_the_database_lacks_it(demo):
    assert shared_demo.present()
    assert not shared_demo.ensure()  # present: nothing built
    assert shared_demo.state.builds == demo.builds
    shared_demo.remove()  # what a transactional test's flush does
    assert not shared_demo.present()
    assert shared_demo.ensure()
    assert shared_demo.present() and shared_demo.state.committed
    assert shared_demo.state.builds == demo.builds + 1

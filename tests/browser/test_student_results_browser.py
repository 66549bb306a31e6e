"""Headless Chromium: a student sets a password from the link, logs in, reads « non publié »; staff publish; the
student reads a UE average and an RCUE by its competence's name, and downloads the bulletin."""
import re
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from portal.accounts import student_accounts_create
from tests.browser.browsing import log_in, orm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "portal"))
from students_world import build_year, jury  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rivets-et-boulons-42"


@pytest.fixture
def world(settings, users, make_user, live_server):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "email"]}}
    year = build_year(users=users, make_user=make_user)
    year.alice.user = None  # Alice has no account yet: staff create it
    year.alice.save()
    student_accounts_create(students=[year.alice], user=users["secretariat"], base_url=live_server.url)
    jury(year, 1, user=users["direction"], published=False)
    jury(year, 2, user=users["direction"], published=False)
    return year


def test_a_student_sets_a_password_and_reads_results_once_published(browser, live_server, world):
    link = re.search(r"http://\S+/compte/mot-de-passe/\S+/", mail.outbox[0].body).group(0)
    student = browser.new_page(viewport={"width": 1300, "height": 900})
    student.goto(link)
    student.fill("#id_new_password1", PASSWORD)
    student.fill("#id_new_password2", PASSWORD)
    student.click("button[type=submit]")
    student.wait_for_url("**/compte/mot-de-passe/enregistre/")
    log_in(student, live_server, "12345678901", PASSWORD)
    assert student.url.endswith(reverse("portal:my_results"))
    first_ue = student.locator(f"#semestre-{world.instances[1].pk} tr.ue-head").first
    assert "non publié" in first_ue.inner_text() and "12,13" not in student.content()

    staff = browser.new_page(viewport={"width": 1300, "height": 900})
    log_in(staff, live_server, "secretariat", "pw")
    for number in (1, 2):
        staff.goto(live_server.url + reverse("portal:publication", args=[world.instances[number].pk]))
        staff.click("text=Publier toutes les évaluations du semestre")
        staff.locator(".messages .success").wait_for()
        staff.click("text=Publier les décisions aux étudiants")
        staff.locator(".messages .success").wait_for()
    assert len(mail.outbox) == 1 + 4 * 2  # the link, then one notice per student for each of 4 publications

    student.reload()
    s1 = student.locator(f"#semestre-{world.instances[1].pk}")
    ue_row = s1.locator("tr.ue-head").first
    assert "UE1.1" in ue_row.inner_text() and "12,13" in ue_row.inner_text() and "ADM" in ue_row.inner_text()
    rcue = student.locator("tr.rcue", has_text="Spécifier — niveau 1")
    assert "11,19" in rcue.inner_text() and "ADM" in rcue.inner_text()
    student.screenshot(path="/tmp/mes-resultats.png", full_page=True)

    with student.expect_download() as download_info:
        student.click(f"a[href='{reverse('portal:my_bulletin_pdf', args=[world.instances[2].pk])}']")
    content = Path(download_info.value.path()).read_bytes()
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert content.startswith(b"%PDF") and "Spécifier — niveau 1" in text and "11,19" in text
    assert orm(lambda: world.alice.__class__.objects.get(pk=world.alice.pk).user.username) == "12345678901"

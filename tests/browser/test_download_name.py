"""Chromium keeps the accents of a downloaded grade sheet's name (RFC 6266 `filename*`)."""
import pytest
from django.db import connection
from django.urls import reverse

from grading.services.evaluations import evaluation_create
from tests.browser.browsing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluation(users, make_semester_instance):
    instance = make_semester_instance(students=2)
    module = instance.semester.modules.order_by("code").first()
    return evaluation_create(semester_instance=instance, module=module, title="Contrôle 1")


def test_a_downloaded_sheet_keeps_the_accent_of_its_title(browser_page, live_server, evaluation):
    page = browser_page
    try:
        log_in(page, live_server, "secretariat")
        page.goto(live_server.url + reverse("grading:evaluation_grid", args=[evaluation.pk]))
        with page.expect_download() as download:
            page.click("text=Télécharger le tableur")
        assert download.value.suggested_filename == "notes_R1.01_Contrôle 1.xlsx"
        assert download.value.path().stat().st_size > 0
    finally:
        connection.close()  # the test body's own connection (see `orm` in test_grid_keyboard)

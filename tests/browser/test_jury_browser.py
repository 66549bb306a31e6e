"""Headless Chromium: a jury member opens the S3–S4 report, filters « à examiner », overrides one decision with a
reason, accepts the rest, closes the jury and downloads the PV."""
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from grading.models import JuryDecision, JurySession, SemesterInstance
from tests.browser.browsing import orm

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def promotion(db):
    from demo.jury_promotion import make_promotion

    return make_promotion(students=8, seed=4, repeaters=1)


def test_a_jury_member_runs_the_june_jury(browser_page, live_server, users, promotion):
    page = browser_page
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "jury")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/**")

    page.click("nav >> text=Jurys")
    page.click("text=BUT 2 (année)")
    assert page.locator("table.jury-report tbody tr").count() == 8

    page.fill("#id_president", "Mme Alice Présidente")
    page.get_by_label("Jules Juré").check()  # the members: Jury-role users sitting for the promotion
    page.click("#open-session")
    page.locator("text=Jury du").first.wait_for()

    page.check("#id_examiner")
    page.click("#report-filters button[type=submit]")
    rows = page.locator("table.jury-report tbody tr")
    assert rows.count() == 1 and "redoublant" in rows.first.inner_text()  # the repeater only

    rows.first.locator("td").first.locator("a").click()
    page.select_option("#id_subject", "annee:2")
    page.select_option("#id_code", "PAS1NCI")
    page.fill("#id_reason", "Stage remarquable, compétence C4 en cours de validation")
    page.click("#override-form button[type=submit]")
    assert page.locator("#recorded").inner_text() == "PAS1NCI"

    page.click("text=S3–S4")
    page.click("#accept-all")
    assert "7 décision(s) seront enregistrées" in page.locator("#accept-summary").inner_text()
    page.click("#confirm-accept")
    page.locator(".messages .success").wait_for()
    assert "7 proposition(s) enregistrée(s)" in page.locator(".messages").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close-session")
    page.locator("text=Jury clos").first.wait_for()

    with page.expect_download() as download:
        page.click("#download-pv")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                              check=True).stdout.decode()
        assert "PAS1NCI" in text and "Mme Alice Présidente" in text and "Document provisoire" not in text

    decisions = orm(lambda: list(JuryDecision.objects.values_list("code", "reason")))
    assert len(decisions) == 8
    assert ("PAS1NCI", "Stage remarquable, compétence C4 en cours de validation") in decisions
    assert orm(lambda: JurySession.objects.get().is_closed)
    assert orm(lambda: set(SemesterInstance.objects.values_list("is_locked", flat=True))) == {True}

"""Headless Chromium: the June jury of the demo's BUT2, end to end through the pages, then the student reads it.

The jury member opens the jury, records the awaited student's decision (ATT) with a reason, accepts the other
proposals, closes the jury and downloads the PV; the Secrétariat publishes the decisions (with the grades behind
them); Léa Bernard, the demo's student, reads « Mes résultats »: her figures are the PV's.

A demo of its own (the jury locks the BUT2's semesters, which the shared demo's other tests grade), built like
test_student_phone's and flushed after the test.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.urls import reverse

from curriculum.fixture_loader import load_programme_file, load_reference
from demo.build import DIJON_PROGRAMME, make_demo
from demo.matrix import SOURCE_PROGRAMME
from demo.people import DEMO_PASSWORD
from grading.engine.codes import DecisionCode, GradeCode
from grading.models import Grade, JuryDecision, JurySession, SemesterInstance, Student
from tests.browser.browsing import log_in, orm

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CODES = {str(code) for code in DecisionCode}
REASON = "Note de SAÉ4.01 attendue : soutenance reportée"


@pytest.fixture
def demo(db):
    """The demo (six students a promotion) and what the test looks up in it: this year's BUT2, its awaited
    student (the ATT grade) and Léa Bernard's INE."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_reference(FIXTURES / "gmp.yaml")
        for code in (DIJON_PROGRAMME, SOURCE_PROGRAMME):
            load_programme_file(FIXTURES / "programmes" / f"{code}.yaml")
        make_demo(students=6, seed=2026, progress=lambda line: None)
    s3, s4 = (SemesterInstance.objects.get(semester__number=n, academic_year__start_year=2026) for n in (3, 4))
    awaited = Grade.objects.get(enrolment__semester_instance=s4, code=GradeCode.ATT).enrolment.student
    lea = Student.objects.get(user__username="etudiant")
    found = {"s3": s3.pk, "s4": s4.pk, "awaited": awaited.last_name.upper(), "lea": lea.ine}
    connection.close()  # built before the browser starts; closed so that the test database can be dropped
    return found


def pv_row(content: bytes, ine: str) -> dict:
    """Read one student's row of the PV (pdftotext): the averages line, then the codes line."""
    lines = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                           check=True).stdout.decode().splitlines()
    header = next(line for line in lines if "UE3.1" in line and "INE" in line)
    ues = re.findall(r"UE\d\.\d", header)
    i = next(k for k, line in enumerate(lines) if ine in line)
    tokens = lines[i].split(ine)[1].split()
    averages = [t for t in tokens if re.fullmatch(r"\d+,\d\d|–", t)]
    codes = [t for t in lines[i + 1].split() if t in CODES]
    return {"ues": dict(zip(ues, zip(averages, codes, strict=False), strict=False)),
            "rcues": sorted(zip(averages[len(ues):], codes[len(ues):], strict=True)),
            "ects_total": tokens[-2], "decision": tokens[-1]}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing")
def test_the_june_jury_through_the_pages_then_lea_reads_the_pvs_figures(demo, browser, live_server):
    report_url = reverse("jury:report", args=["annee", demo["s3"]])

    jury = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    log_in(jury, live_server, "jury", DEMO_PASSWORD)
    jury.click("nav >> text=Jurys")
    jury.click(f"a[href='{report_url}']")
    assert jury.locator("table.jury-report tbody tr").count() == 6
    jury.fill("#id_president", "Mme Alice Présidente")
    jury.get_by_label("Julien Caron").check()  # the members: Jury-role users sitting for the promotion
    jury.click("#open-session")
    jury.locator("text=Jury du").first.wait_for()

    # the awaited student's decision, overridden with a reason: ATT (décision différée)
    jury.locator("table.jury-report tbody tr", has_text=demo["awaited"]).locator("a").first.click()
    jury.select_option("#id_subject", "annee:2")
    jury.select_option("#id_code", "ATT")
    jury.fill("#id_reason", REASON)
    jury.click("#override-form button[type=submit]")
    assert jury.locator("#recorded").inner_text() == "ATT"

    jury.goto(live_server.url + report_url)
    jury.click("#accept-all")
    jury.click("#confirm-accept")  # the confirmation says what will be recorded first
    jury.locator(".messages .success").wait_for()
    jury.once("dialog", lambda dialog: dialog.accept())
    jury.click("#close-session")
    jury.locator("text=Jury clos").first.wait_for()
    with jury.expect_download() as download:
        jury.click("#download-pv")
    pv = pv_row(Path(download.value.path()).read_bytes(), demo["lea"])

    secretary = browser.new_page(viewport={"width": 1400, "height": 900})
    log_in(secretary, live_server, "secretariat", DEMO_PASSWORD)
    secretary.goto(live_server.url + report_url)
    secretary.on("dialog", lambda dialog: dialog.accept())
    secretary.click("#publish-form button[type=submit]")
    secretary.locator("#jury-session .badge", has_text="publié").wait_for()

    session = orm(lambda: JurySession.objects.get(semester_instances=demo["s3"]))
    assert session.is_closed and session.is_published
    overridden = orm(lambda: list(JuryDecision.objects.filter(session=session, reason=REASON)
                                  .values_list("code", flat=True)))
    assert overridden == ["ATT"]

    student = browser.new_page(viewport={"width": 1400, "height": 900})
    log_in(student, live_server, "etudiant", DEMO_PASSWORD)
    student.goto(live_server.url + reverse("portal:my_results"))
    shown_ues, shown_rcues = {}, []
    for instance in (demo["s3"], demo["s4"]):
        section = student.locator(f"#semestre-{instance}")
        assert "décisions publiées" in section.locator("h2").inner_text()
        for row in section.locator("table.results:not(.rcues) tr.ue-head").all():
            code = re.match(r"UE\d\.\d", row.locator("th").inner_text())[0]
            average = row.locator("td.ue-average").inner_text().split()[0]
            shown_ues[code] = (average, row.locator("td.ue-decision").inner_text().strip())
        for row in section.locator("table.rcues tbody tr").all():
            cells = row.locator("td").all_inner_texts()
            shown_rcues.append((cells[1].split()[0], cells[2].strip()))
    decision = student.locator(f"#semestre-{demo['s4']} .year-decision strong").inner_text()
    total = re.search(r"([\d,]+) ECTS acquis", student.locator(".student-summary").inner_text())[1]

    assert shown_ues == pv["ues"] and len(shown_ues) == 10
    assert sorted(shown_rcues) == pv["rcues"] and len(shown_rcues) == 5
    assert decision.split()[0] == pv["decision"]
    assert total == pv["ects_total"]

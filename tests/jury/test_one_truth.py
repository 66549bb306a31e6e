"""One truth after the jury (R19): the demo's June jury of the BUT2, held with `jury_session`, closed and published;
for every student the figures (UE averages and codes, RCUE averages and codes, ECTS, year decision) are the same
on the PV (pdftotext), the letters (pdftotext), the jury's .xlsx, `jury_report --jury ID --format json`, the
student's « Mes résultats », the bulletin PDF (pdftotext) and its JSON — all equal to the jury's record — and
again after Direction reopens the jury, a grade is changed and the jury is closed again: the old record stays in
the history and only that student's figures change.

The demo is built once for the module (in a transaction rolled back at the end), as tests/demo does; each output is
read as printed by tests/jury/one_truth_outputs.py.
"""
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from butgmp.formats import french_number
from curriculum.fixture_loader import load_programme_file, load_reference
from curriculum.models import UE
from demo.build import DIJON_PROGRAMME, make_demo
from demo.matrix import SOURCE_PROGRAMME
from grading.engine.codes import EnrolmentStatus
from grading.models import (
    Enrolment,
    Evaluation,
    ExternalValidation,
    Grade,
    JuryRecord,
    JurySession,
    SemesterInstance,
    Student,
)
from grading.selectors.jury_records import recorded_students
from grading.services.grades import grade_set
from jury.letters import RCUE_WORDS, result_words
from jury.records import session_report
from jury.report import jury_report
from jury.scope import scope_for
from portal.publication import evaluations_publish
from portal.templatetags.student_results import decision_label
from tests.jury.one_truth_outputs import (
    command,
    from_bulletin_json,
    from_bulletin_pdf,
    from_jury_report,
    from_letters,
    from_page,
    from_pv,
    from_record,
    from_workbook,
    pdf_text,
    student_client,
    without_ects,
)

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing")]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STUDENTS, SEED = 6, 2026
FAST_HASHER = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


def this_years_but2() -> tuple[SemesterInstance, SemesterInstance]:
    s3, s4 = (SemesterInstance.objects.get(semester__number=n, academic_year__start_year=2026) for n in (3, 4))
    return s3, s4


def hold(jury: int) -> None:
    """Accept the proposals, defer whoever remains undecided (ATT, with a reason), close and publish."""
    command("jury_session", "accept-proposals", str(jury), "--user", "jury")
    for row in session_report(JurySession.objects.get(pk=jury)).rows:
        if not row.recorded and not row.has_left:
            command("jury_session", "decide", str(jury), "--student", row.student.ine, "--subject", "year",
                    "--code", "ATT", "--reason", "Note de SAÉ attendue", "--user", "jury")
    command("jury_session", "close", str(jury), "--user", "jury")
    command("jury_session", "publish", str(jury), "--user", "secretariat")


@pytest.fixture(scope="module")
def june(django_db_setup, django_db_blocker):
    """The demo, its BUT2 June jury held, closed and published; every BUT2 student with an account."""
    with django_db_blocker.unblock(), override_settings(**FAST_HASHER), transaction.atomic():
        load_reference(FIXTURES / "gmp.yaml")
        for code in (DIJON_PROGRAMME, SOURCE_PROGRAMME):
            load_programme_file(FIXTURES / "programmes" / f"{code}.yaml")
        make_demo(students=STUDENTS, seed=SEED, progress=lambda line: None)
        s3, s4 = this_years_but2()
        opened = command("jury_session", "open", "--semester", str(s3.pk), "--year", "--date", "2027-06-24",
                         "--president", "Mme Présidente", "--member", "jury", "--user", "jury")
        hold(opened["id"])
        for student in Student.objects.filter(enrolments__semester_instance=s4, user__isnull=True):
            student.user = get_user_model().objects.create_user(username=f"etu-{student.ine}", password="x")
            student.save(update_fields=["user"])
        yield opened["id"]
        transaction.set_rollback(True)


# ---------------------------------------------------------------- the comparison


def assert_one_truth(jury: int) -> dict:
    """Check every output against the record, student by student; return the record's figures."""
    recorded = from_record(jury)
    session = JurySession.objects.get(pk=jury)
    report = session_report(session)
    columns = ([c.code for c in report.ue_columns], [c.key for c in report.rcue_columns])
    assert set(recorded) == {row.student.ine for row in report.rows} and len(recorded) == STUDENTS

    assert from_jury_report(jury) == recorded
    assert from_workbook(jury, columns) == without_ects(recorded)
    assert from_pv(jury, columns) == without_ects(recorded)
    letters = from_letters(jury)
    for ine, figures in recorded.items():
        letter = letters[ine]
        assert letter["ues"] == {code: (average, result_words(code_), ects)
                                 for code, (average, code_, ects) in figures["ues"].items()}, ine
        assert letter["rcues"] == {key: (average, result_words(code_, RCUE_WORDS))
                                   for key, (average, code_) in figures["rcues"].items()}, ine
        assert (letter["ects_year"], letter["ects_total"]) == (figures["ects_year"], figures["ects_total"]), ine

    s3, s4 = (session.semester_instances.get(semester__number=n) for n in (3, 4))
    for ine, figures in recorded.items():
        client = student_client(Student.objects.get(ine=ine))
        bulletin = from_bulletin_json(client, s3, s4)
        rcue_ues = bulletin.pop("rcue_ues")
        expected_student = {"ues": figures["ues"], "rcues": figures["rcues"], "ects_total": figures["ects_total"],
                            "decision": figures["decision"]}
        assert bulletin == expected_student, ine
        shown = {**expected_student, "ects_year": figures["ects_year"],
                 "decision": decision_label(figures["decision"])}
        assert from_page(client, s3, s4, rcue_ues) == shown, ine
        assert from_bulletin_pdf(client, s3, s4, rcue_ues) == shown, ine
    return recorded


def test_every_output_of_the_published_june_jury_says_what_the_record_says(june):
    recorded = assert_one_truth(june)
    decisions = {f["decision"] for f in recorded.values()}
    assert {"ADM", "ATT", "DEM"} <= decisions  # the demo's BUT2: admitted, the awaited grade, the one who left
    # the figures are the engine's as the jury read them, not empty shells
    assert all(ue[0] is not None for f in recorded.values() if f["decision"] == "ADM" for ue in f["ues"].values())


def test_the_students_figures_are_the_records_not_a_recomputation_of_what_is_published(june):
    """An evaluation withdrawn from publication after the jury's: the student's grade in it is hidden again, the
    figures stay the jury's."""
    recorded = from_record(june)
    session = JurySession.objects.get(pk=june)
    s3, s4 = (session.semester_instances.get(semester__number=n) for n in (3, 4))
    student = Student.objects.get(ine=next(ine for ine, f in recorded.items() if f["decision"] == "ADM"))
    evaluation = (Evaluation.objects.filter(semester_instance=s4, module__code="R4.01").order_by("order", "pk")
                  .last())
    evaluations_publish(evaluations=[evaluation], published=False, base_url="https://example.test", notify=False,
                        user=get_user_model().objects.get(username="secretariat"))
    client = student_client(student)
    bulletin = from_bulletin_json(client, s3, s4)
    shown = from_page(client, s3, s4, bulletin.pop("rcue_ues"))
    assert shown == {**recorded[student.ine], "decision": decision_label(recorded[student.ine]["decision"])}
    lines = [line for ue in client.get(reverse("portal:api_bulletin", args=[s4.pk])).json()["ues"]
             for module in ue["modules"] if module["code"] == "R4.01" for line in module["evaluations"]
             if line["intitule"] == evaluation.title]
    assert lines and all(not line["publiee"] and line["note"] is None for line in lines)


def test_after_a_reopening_and_a_grade_changed_every_output_says_the_new_record(june):
    before = assert_one_truth(june)
    session = JurySession.objects.get(pk=june)
    s3, s4 = (session.semester_instances.get(semester__number=n) for n in (3, 4))
    command("jury_session", "reopen", str(june), "--reason", "Erreur de saisie en R4.01", "--user", "direction")
    regraded = next(e for e in Enrolment.objects.filter(semester_instance=s4, status=EnrolmentStatus.ENROLLED,
                                                        is_repeat=False).select_related("student")
                    .order_by("student__last_name") if before[e.student.ine]["decision"] == "ADM")
    evaluation = Evaluation.objects.filter(semester_instance=s4, module__code="R4.01").order_by("order", "pk").last()
    old = Grade.objects.get(evaluation=evaluation, enrolment=regraded).value
    grade_set(evaluation=evaluation, enrolment=regraded, raw="20" if old < 15 else "0",
              user=get_user_model().objects.get(username="secretariat"))
    hold(june)

    records = list(JuryRecord.objects.filter(session=session).order_by("closed_at", "id"))
    assert len(records) == 2 and records[0].superseded_at is not None and records[1].is_current
    assert from_record(june) != before  # the new record
    assert from_record(june, records[0]) == before  # the old record, kept as it was
    after = assert_one_truth(june)
    ine = regraded.student.ine
    assert after[ine]["ues"] != before[ine]["ues"]
    assert {i: f for i, f in after.items() if i != ine} == {i: f for i, f in before.items() if i != ine}


def test_the_student_who_left_in_november_has_no_ects_for_the_year_anywhere(june):
    """R2: the demo's student who left in November (DEM in S3 and S4) validates no UE of either semester and earns
    no ECTS for them, on the PV, the letter, the report and her page; her averages stay, for information."""
    session = JurySession.objects.get(pk=june)
    s3, s4 = (session.semester_instances.get(semester__number=n) for n in (3, 4))
    left = Enrolment.objects.get(semester_instance=s3, status=EnrolmentStatus.DEM).student
    assert Enrolment.objects.get(semester_instance=s4, student=left).status == EnrolmentStatus.DEM
    report = session_report(session)
    columns = ([c.code for c in report.ue_columns], [c.key for c in report.rcue_columns])
    for figures in (from_record(june)[left.ine], from_jury_report(june)[left.ine]):
        assert {code: ue[1:] for code, ue in figures["ues"].items()} == {
            code: ("DEM", Decimal(0)) for code in columns[0]}
        assert {key: rcue[1] for key, rcue in figures["rcues"].items()} == {key: "DEM" for key in columns[1]}
        assert (figures["ects_year"], figures["decision"]) == (Decimal(0), "DEM")
        assert any(ue[0] is not None for code, ue in figures["ues"].items() if code.startswith("UE3."))  # shown
    pv = from_pv(june, columns)[left.ine]
    assert {code: ue[1] for code, ue in pv["ues"].items()} == {code: "DEM" for code in columns[0]}
    assert (pv["ects_year"], pv["decision"]) == (Decimal(0), "DEM")
    letter = from_letters(june)[left.ine]
    assert "Vous avez démissionné" in letter["letter"] and letter["ects_year"] == 0
    assert {ue[1:] for ue in letter["ues"].values()} == {(result_words("DEM"), Decimal(0))}
    client = student_client(left)
    bulletin = from_bulletin_json(client, s3, s4)
    page = from_page(client, s3, s4, bulletin.pop("rcue_ues"))
    assert {code: ue[1:] for code, ue in page["ues"].items()} == {code: ("DEM", Decimal(0)) for code in columns[0]}
    assert page["ects_year"] == 0 and page["ects_total"] == from_record(june)[left.ine]["ects_total"]
    html = client.get(reverse("portal:my_results")).content.decode()
    assert html.count("<strong>Démission</strong> : ce semestre ne valide aucune UE") == 2  # S3 and S4, marked
    bulletin_pdf = client.get(reverse("portal:my_bulletin_pdf", args=[s3.pk])).content
    assert "données pour information" in " ".join(pdf_text(bulletin_pdf).split())


def test_a_closed_jurys_student_sheet_shows_the_records_figures_not_live_ones(june):
    """A UE validated elsewhere, recorded after the closing, changes the live figures, not the closed jury's sheet."""
    session = JurySession.objects.get(pk=june)
    s3 = session.semester_instances.get(semester__number=3)
    recorded = from_record(june)
    student = Student.objects.get(ine=next(ine for ine, f in recorded.items() if f["decision"] == "ADM"))
    ue = next(u for u in UE.objects.filter(semester__programme=s3.semester.programme, semester__number=4)
              .order_by("code") if recorded[student.ine]["ues"][u.code][0] != "20.00")
    ExternalValidation.objects.create(student=student, ue=ue, code="ADM", average=Decimal(20), origin="VAE")
    live = next(row for row in jury_report(scope=scope_for(s3, year=True)).rows if row.student.pk == student.pk)
    assert live.ues[ue.code].average == "20.00"  # the live figures changed

    client = Client()
    client.force_login(get_user_model().objects.get(username="jury"))
    sheet = client.get(reverse("jury:sheet", args=["annee", s3.pk, student.pk])).context["sheet"]
    figures = recorded[student.ine]
    assert {line.code: (line.cell.average, line.cell.code, line.cell.ects) for line in sheet.ues} == figures["ues"]
    assert {line.key: (line.cell.average, line.cell.code) for line in sheet.rcues} == figures["rcues"]
    assert sheet.recorded_at == JuryRecord.objects.get(session=session, superseded_at__isnull=True).closed_at
    assert (sheet.ects_year, sheet.ects_total) == (figures["ects_year"], figures["ects_total"])
    assert sheet.proposal == next(s.proposal for s in recorded_students(session=session) if s.ine == student.ine)
    recorded_modules = {u.code: dict((m, french_number(a)) for m, _, a in u.modules)  # as shown: decimal comma
                        for s in recorded_students(session=session) if s.ine == student.ine for u in s.ues}
    assert {line.code: {m.code: m.average for m in line.modules} for line in sheet.ues} == recorded_modules

"""The record of a closed jury (R19): closing is refused while a student is undecided; once closed, the PV, the
letters, the xlsx, the report and `jury_report --jury` read the record, which neither a renamed competence nor a
changed grade alters; reopening keeps it in the history and closing again records anew; publishing the decisions
publishes the grades behind them."""
import json
from io import BytesIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from curriculum.models import Competence
from grading.engine.codes import JuryLevel
from grading.models import AuditEntry, Evaluation, JuryRecord, JuryRecordStudent
from grading.selectors.jury_records import recorded_students
from grading.services.errors import ServiceError
from grading.services.grades import grade_set
from jury import exports, pdf
from jury.decisions import decision_override, proposals_accept
from jury.letters import letters_html
from jury.records import session_report
from jury.sessions import session_close, session_reopen
from portal.publication import jury_publish

pytestmark = pytest.mark.django_db


def closed(promotion, open_session, users):
    session = open_session(promotion)
    proposals_accept(session=session, user=users["jury"])
    return session_close(session=session, user=users["jury"])


def figures_of(report) -> dict:
    """Return every student's figures as the outputs print them: UE/RCUE averages and codes, ECTS, decision."""
    return {row.student.ine: ({code: (c.average, c.code) for code, c in row.ues.items()},
                              {key: (c.average, c.code) for key, c in row.rcues.items()},
                              str(row.ects_year), str(row.ects_total), row.recorded) for row in report.rows}


def test_closing_is_refused_while_a_student_is_undecided_naming_who_and_why(users, promotion, open_session):
    session = open_session(promotion)
    proposals_accept(session=session, user=users["jury"])
    with pytest.raises(ServiceError) as raised:
        session_close(session=session, user=users["jury"])
    message = raised.value.message
    undecided = [row for row in session_report(session).rows if not row.recorded and not row.has_left]
    # the missing grade leaves an evaluation incomplete for everybody (R2); one student also holds an ATT grade
    assert len(undecided) == 11
    assert message.startswith("Le jury ne peut pas être clos : 11 étudiant(s) sans décision")
    assert all(str(row.student) in message for row in undecided)
    attending = next(row for row in undecided if "note ATT" in row.blockers)
    assert f"{attending.student} (note ATT, évaluation incomplète)" in message
    assert not JuryRecord.objects.exists()
    session.refresh_from_db()
    assert not session.is_closed
    # the jury defers them (ATT) or waits for a justification (ATJ), with a reason: it may then close
    for i, row in enumerate(undecided):
        code = "ATJ" if i == 0 else "ATT"
        decision_override(enrolment=row.enrolment, level=JuryLevel.YEAR, subject="2", code=code,
                          reason="Note de SAÉ attendue", user=users["jury"], session=session)
    session = session_close(session=session, user=users["jury"])
    assert session.is_closed and JuryRecord.objects.get().students.count() == 12


def test_a_deferred_students_letter_says_what_is_awaited(users, promotion, open_session):
    session = open_session(promotion)
    proposals_accept(session=session, user=users["jury"])
    waiting = [row for row in session_report(session).rows if not row.recorded and not row.has_left]
    for row in waiting:
        decision_override(enrolment=row.enrolment, level=JuryLevel.YEAR, subject="2", code="ATT",
                          reason="Note de SAÉ4.01 attendue", user=users["jury"], session=session)
    session = session_close(session=session, user=users["jury"])
    html = letters_html(report=session_report(session), session=session)
    assert html.count("Ce qui est attendu : Note de SAÉ4.01 attendue.") == len(waiting) == 11


def test_a_closed_jury_is_read_from_its_record_not_recomputed(users, clean_promotion, open_session, capsys):
    session = closed(clean_promotion, open_session, users)
    before = figures_of(session_report(session))
    record = JuryRecord.objects.get(session=session)
    assert (record.president, record.closed_by, record.decides_year, record.year) == (
        "Mme Présidente", users["jury"], True, 2)
    assert set(record.grades_version) == {str(clean_promotion.s3.pk), str(clean_promotion.s4.pk)}
    # a renamed competence and a renamed student change no closed record
    Competence.objects.filter(code="C1").update(name="Nouveau nom")
    student = clean_promotion.students[0]
    student.last_name = "AUTRE"
    student.save()
    report = session_report(session)
    assert figures_of(report) == before
    assert "Nouveau nom" not in json.dumps([c.competence for c in report.rcue_columns], ensure_ascii=False)
    assert "AUTRE" not in pdf.pv_html(report=report, session=session)
    # every output of the closed jury says the same: xlsx, JSON (jury_report --jury), letters, plain values
    sheet = load_workbook(BytesIO(exports.pv_workbook(report=report, session=session))).active
    decisions = {row[2]: row[-1] for row in sheet.iter_rows(min_row=6, values_only=True) if row[2]}
    assert decisions == {ine: values[4] for ine, values in before.items()}
    call_command("jury_report", jury=session.pk)
    printed = json.loads(capsys.readouterr().out)
    assert {s["ine"]: s["decision"] for s in printed["students"]} == decisions
    assert {s["ine"]: {code: (u["average"], u["code"]) for code, u in s["ues"].items()}
            for s in printed["students"]} == {ine: values[0] for ine, values in before.items()}
    plain = {s.ine: s for s in recorded_students(session=session)}
    assert {ine: s.decision for ine, s in plain.items()} == decisions
    assert all(len(s.ues) == 8 and all(len(u.modules) == 5 for u in s.ues) and s.explain for s in plain.values())
    assert all(s.explain[0].startswith("BUT2 — ") for s in plain.values())


def test_reopening_keeps_the_record_and_closing_again_changes_only_the_regraded_student(users, clean_promotion,
                                                                                        open_session):
    session = closed(clean_promotion, open_session, users)
    first = figures_of(session_report(session))
    session_reopen(session=session, user=users["direction"], reason="Erreur de saisie en R4.01")
    assert session_report(session).rows  # open again: the live figures
    regraded = clean_promotion.students[1]
    enrolment = regraded.enrolments.get(semester_instance=clean_promotion.s4)
    evaluation = Evaluation.objects.filter(semester_instance=clean_promotion.s4, module__code="R4.01").first()
    grade_set(evaluation=evaluation, enrolment=enrolment, raw="20", user=users["secretariat"])
    session = session_close(session=session, user=users["jury"])
    records = list(JuryRecord.objects.filter(session=session).order_by("closed_at", "id"))
    assert len(records) == 2 and records[0].superseded_at is not None and records[1].superseded_at is None
    again = figures_of(session_report(session))
    assert again[regraded.ine][0] != first[regraded.ine][0]  # its UE averages changed
    assert {ine: v for ine, v in again.items() if ine != regraded.ine} == {
        ine: v for ine, v in first.items() if ine != regraded.ine}
    # the old record is still there, unchanged
    old = JuryRecordStudent.objects.get(record=records[0], student=regraded)
    assert [u["average"] for u in old.figures["ues"]] == [first[regraded.ine][0][c][0] for c in first[regraded.ine][0]]


def test_publishing_the_decisions_publishes_the_evaluations_they_were_made_on(users, clean_promotion, open_session):
    session = closed(clean_promotion, open_session, users)
    semesters = [clean_promotion.s3, clean_promotion.s4]
    unpublished = Evaluation.objects.filter(semester_instance__in=semesters, is_published=False).count()
    assert unpublished == 20
    jury_publish(session=session, user=users["jury"], base_url="https://example.test", notify=False)
    assert not Evaluation.objects.filter(semester_instance__in=semesters, is_published=False).exists()
    journal = AuditEntry.objects.filter(object_type="grading.evaluation", field="is_published", new_value="oui")
    assert journal.count() == unpublished and {e.user for e in journal} == {users["jury"]}
    assert AuditEntry.objects.filter(object_type="grading.jurysession", field="published_at").count() == 1


def test_a_student_who_resigned_has_no_ects_for_the_semester_left_everywhere(users, promotion, open_session):
    session = open_session(promotion)
    proposals_accept(session=session, user=users["jury"])
    for row in session_report(session).rows:
        if not row.recorded and not row.has_left:
            decision_override(enrolment=row.enrolment, level=JuryLevel.YEAR, subject="2", code="ATT",
                              reason="Note attendue", user=users["jury"], session=session)
    session = session_close(session=session, user=users["jury"])
    resigned = promotion.students[0]  # DEM in S4
    row = next(r for r in session_report(session).rows if r.student.pk == resigned.pk)
    assert {code: cell.code for code, cell in row.ues.items() if code.startswith("UE4.")} == {
        f"UE4.{i}": "DEM" for i in range(1, 5)}
    assert all(cell.ects == 0 for code, cell in row.ues.items() if code.startswith("UE4."))
    assert row.recorded == "DEM" and row.ects_year == sum(c.ects for c in row.ues.values())
    plain = next(s for s in recorded_students(session=session) if s.ine == resigned.ine)
    assert (plain.decision, plain.ects_year) == ("DEM", row.ects_year)
    letter = letters_html(report=session_report(session), session=session)
    assert "non acquise (démission), moyenne pour information" in letter

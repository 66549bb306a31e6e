"""R19 per student and subject: the S3 jury and the year jury both record UE3.1 for one student; the later
decision supersedes the earlier (whichever enrolment recorded it), the report and the closed jury's record (the
PV's source) show it alone, and the history keeps both."""
import datetime

import pytest

from grading.engine.codes import JuryLevel
from grading.models import JuryDecision
from grading.selectors.jury_records import recorded_students
from jury.decisions import decision_override, proposals_accept
from jury.history import current_decision, decision_history
from jury.records import session_report
from jury.report import jury_report
from jury.scope import scope_for
from jury.sessions import session_close, session_create
from jury.sheet import student_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_juries(users, clean_promotion):
    """The S3 jury records UE3.1 of the first student as proposed (provisional, R13) and closes; the year jury
    validates it (ADJ), on the student's S4 enrolment."""
    promotion, jury = clean_promotion, users["jury"]
    student = promotion.students[0]
    s3 = student.enrolments.get(semester_instance=promotion.s3)
    s4 = student.enrolments.get(semester_instance=promotion.s4)
    odd = session_create(semester_instances=[promotion.s3], date=datetime.date(2026, 1, 20),
                         president="Mme Présidente", user=jury)
    proposals_accept(session=odd, user=jury)
    earlier = JuryDecision.objects.get(enrolment=s3, level=JuryLevel.UE, subject="UE3.1")
    session_close(session=odd, user=jury)
    year = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                          president="Mme Présidente", user=jury)
    later = decision_override(enrolment=s4, level=JuryLevel.UE, subject="UE3.1", code="ADJ",
                              reason="Stage validé par le jury", user=jury, session=year)
    decision_override(enrolment=s4, level=JuryLevel.YEAR, subject="2", code="ADM", reason="Année validée",
                      user=jury, session=year)
    proposals_accept(session=year, user=jury)
    return promotion, student, s3, earlier, later, session_close(session=year, user=jury)


def test_r19_the_year_jurys_decision_supersedes_the_s3_jurys_on_the_same_ue(two_juries):
    _, student, s3, earlier, later, _ = two_juries
    in_force = JuryDecision.objects.filter(enrolment__student=student, level=JuryLevel.UE, subject="UE3.1",
                                           superseded_by__isnull=True)
    assert list(in_force) == [later]
    assert later.supersedes == earlier and later.enrolment_id != earlier.enrolment_id
    assert current_decision(enrolment=s3, level=JuryLevel.UE, subject="UE3.1") == later


def test_r19_the_report_and_the_closed_record_show_the_later_decision_only(two_juries):
    promotion, student, _, _, _, year = two_juries
    live = next(r for r in jury_report(scope=scope_for(promotion.s3, year=True)).rows if r.student == student)
    assert live.recorded_ues["UE3.1"] == "ADJ"
    recorded = next(r for r in session_report(year).rows if r.student.pk == student.pk)
    assert recorded.ues["UE3.1"].code == "ADJ"
    (row,) = [r for r in recorded_students(session=year) if r.student_id == student.pk]
    assert {ue.code: ue.decision for ue in row.ues}["UE3.1"] == "ADJ"
    assert [(o.subject, o.code) for o in row.overrides if o.subject == "UE3.1"] == [("UE3.1", "ADJ")]


def test_r19_the_history_keeps_both_decisions_the_later_in_force(two_juries):
    promotion, student, s3, earlier, later, _ = two_juries
    assert decision_history(enrolment=s3, level=JuryLevel.UE, subject="UE3.1") == [later, earlier]
    sheet = student_sheet(scope=scope_for(promotion.s3, year=True), student=student)
    on_ue = [d for d in sheet.history if d.subject == "UE3.1"]
    assert on_ue == [later, earlier]
    assert later.pk in sheet.current_ids and earlier.pk not in sheet.current_ids


def test_r19_accepting_the_s3_proposals_keeps_the_year_jurys_decision_on_a_ue(users, clean_promotion):
    promotion, jury = clean_promotion, users["jury"]
    student = promotion.students[0]
    odd = session_create(semester_instances=[promotion.s3], date=datetime.date(2026, 1, 20),
                         president="Mme Présidente", user=jury)
    year = session_create(semester_instances=[promotion.s3, promotion.s4], date=datetime.date(2026, 6, 20),
                          president="Mme Présidente", user=jury)
    later = decision_override(enrolment=student.enrolments.get(semester_instance=promotion.s4), level=JuryLevel.UE,
                              subject="UE3.1", code="ADJ", reason="Stage validé par le jury", user=jury, session=year)
    proposals_accept(session=odd, user=jury)
    assert list(JuryDecision.objects.filter(enrolment__student=student, subject="UE3.1")) == [later]
    others = JuryDecision.objects.filter(enrolment__student=student, level=JuryLevel.UE).exclude(subject="UE3.1")
    assert others.count() == 3 and {d.session for d in others} == {odd}  # its other UEs, as proposed


def test_r19_the_s3_sheet_marks_the_s3_jurys_decision_replaced_by_the_year_jurys(two_juries):
    """The S3 sheet reads the S3 enrolment's decisions only; the one replacing it lies on the S4 enrolment."""
    promotion, student, _, earlier, later, _ = two_juries
    sheet = student_sheet(scope=scope_for(promotion.s3, year=False), student=student)
    assert earlier in sheet.history and later not in sheet.history
    assert earlier.pk not in sheet.current_ids

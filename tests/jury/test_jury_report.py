"""The jury report: the engine's proposals, row by row, its blockers and filters, in a fixed number of queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.jury_promotion import make_promotion
from grading.engine import compute
from grading.engine.codes import JuryLevel
from grading.engine.rounding import fmt
from grading.loaders import load_year
from grading.models import Enrolment, Evaluation
from grading.selectors.missing import missing_in_cohort
from grading.services.grades import grade_set
from jury.cells import State, rcue_cell, ue_cell
from jury.decisions import decision_record
from jury.report import BLOCK_ATT, BLOCK_INCOMPLETE, REVIEW_REPEAT, jury_report
from jury.scope import scope_for

pytestmark = pytest.mark.django_db
# scope, enrolments, groups, the results versions of the students' paths (the cache key), UE columns, incomplete
# evaluations, decisions, the absences (one query while none is recorded)
REPORT_OWN_QUERIES = 8


def year_report(promotion):
    return jury_report(scope=scope_for(promotion.s4, year=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_proposals_equal_the_engines_on_a_generated_promotion(seed):
    promotion = make_promotion(students=40, seed=seed, mean=10.0)
    report = year_report(promotion)
    engine = compute(load_year(semester_instances=[promotion.s3, promotion.s4])).students
    assert len(report.rows) == 40
    assert {r.proposal for r in report.rows} >= {"ADM", "PASD"} or len({r.proposal for r in report.rows}) > 1
    for row in report.rows:
        expected = engine[row.student.pk]
        assert row.proposal == expected.year_proposals[2]
        assert {code: (c.average, c.code) for code, c in row.ues.items()} == {
            code: (fmt(ue.average), ue.decision) for code, ue in expected.ues.items()}
        assert {key: (c.average, c.code) for key, c in row.rcues.items()} == {
            key: (fmt(r.average), r.decision) for key, r in expected.rcues.items()}
        assert row.ects_total == expected.ects


def test_the_year_report_has_a_column_per_ue_and_per_rcue_headed_by_the_competence(clean_promotion):
    report = year_report(clean_promotion)
    assert [c.code for c in report.ue_columns] == ["UE3.1", "UE3.2", "UE3.3", "UE3.4",
                                                   "UE4.1", "UE4.2", "UE4.3", "UE4.4"]
    assert [(c.key, c.competence) for c in report.rcue_columns] == [
        ("C1-2", "Spécifier"), ("C2-2", "Développer"), ("C3-2", "Réaliser"), ("C4-2", "Exploiter")]
    assert report.scope.ids == [clean_promotion.s3.pk, clean_promotion.s4.pk]


def test_the_semester_report_decides_ues_only(clean_promotion):
    report = jury_report(scope=scope_for(clean_promotion.s3, year=False))
    assert [c.code for c in report.ue_columns] == ["UE3.1", "UE3.2", "UE3.3", "UE3.4"]
    assert report.rcue_columns == [] and all(r.proposal is None for r in report.rows)
    assert all(c.code in ("ADM", "AJ") for r in report.rows for c in r.ues.values())  # R13: provisional


def test_a_student_who_left_is_shown_with_his_status_and_blocks_nothing(promotion):
    report = year_report(promotion)
    left = next(r for r in report.rows if r.status == "DEM")
    assert left.has_left and left.proposal == "DEM" and left.blockers == []
    assert left.student.pk not in {s for e in report.incomplete for s in [m.student_id for m in e.missing]}


def test_an_att_grade_and_an_incomplete_evaluation_are_blockers(promotion):
    report = year_report(promotion)
    by_student = {r.student.pk: r for r in report.rows}
    att_student, missing_student = promotion.students[1], promotion.students[2]
    assert BLOCK_ATT in by_student[att_student.pk].blockers
    assert by_student[att_student.pk].proposal == "ATT"
    (incomplete,) = report.incomplete
    assert incomplete.evaluation.semester_instance == promotion.s3 and incomplete.evaluation.title == "DS1"
    assert [e.student for e in incomplete.missing] == [missing_student]
    # the incomplete evaluation counts for nobody: every registered student of S3 waits for it (R2)
    assert all(BLOCK_INCOMPLETE in r.blockers for r in report.rows if not r.has_left)


def test_incomplete_evaluations_agree_with_the_engine(promotion):
    cohort = load_year(semester_instances=[promotion.s3, promotion.s4])
    engine = compute(cohort).incomplete_evaluations
    mine = missing_in_cohort(cohort, [promotion.s3.pk, promotion.s4.pk])
    assert set(mine) == set(engine[promotion.s3.pk]) | set(engine[promotion.s4.pk])


def test_a_repeater_is_to_be_examined(promotion):
    report = year_report(promotion)
    repeater = next(r for r in report.rows if r.student == promotion.students[3])
    assert repeater.is_repeat and REVIEW_REPEAT in repeater.review


@pytest.mark.parametrize("average, code, state", [
    ("12.00", "ADM", State.ACQUIRED), ("9.40", "CMP", State.COMPENSATED), ("9.40", "AJ", State.BELOW_10),
    ("7.99", "AJ", State.BELOW_8), (None, "ATT", State.PENDING), ("8.00", "AJ", State.BELOW_10),
])
def test_a_ue_cell_is_coloured_by_its_state(average, code, state):
    from decimal import Decimal

    from grading.engine.types import UEResult

    ue = UEResult(code="UE3.1", semester=3, average=None if average is None else Decimal(average), decision=code)
    assert ue_cell(ue).state == state


def test_an_rcue_validated_by_the_jury_is_acquired():
    from decimal import Decimal

    from grading.engine.types import RCUEResult

    cell = rcue_cell(RCUEResult(key="C1-2", year=2, ues=("UE3.1", "UE4.1"), average=Decimal("8.5"), decision="ADJ"))
    assert (cell.state, cell.validated, cell.average_fr) == (State.ACQUIRED, True, "8,50")


@pytest.mark.parametrize("students", [50, 200])
def test_the_report_runs_a_fixed_number_of_queries(students):
    promotion = make_promotion(students=students, left=1, att=1, missing=1, repeaters=1)
    with CaptureQueriesContext(connection) as loader:
        load_year(semester_instances=[promotion.s3, promotion.s4])
    with CaptureQueriesContext(connection) as report:
        rows = year_report(promotion).rows
    assert len(rows) == students
    assert len(report.captured_queries) == len(loader.captured_queries) + REPORT_OWN_QUERIES
    with CaptureQueriesContext(connection) as again:
        assert year_report(promotion).rows == rows
    assert len(again.captured_queries) == REPORT_OWN_QUERIES  # the engine's figures: from the cache


def test_the_reports_cached_figures_follow_a_grade_and_a_jury_decision(clean_promotion, users):
    student = clean_promotion.students[0]
    s3_enrolment = Enrolment.objects.get(semester_instance=clean_promotion.s3, student=student)
    s4_enrolment = Enrolment.objects.get(semester_instance=clean_promotion.s4, student=student)

    def row():
        return next(r for r in year_report(clean_promotion).rows if r.student == student)

    before = row()
    assert row() == before  # the same figures, from the cache
    for evaluation in Evaluation.objects.filter(semester_instance=clean_promotion.s3):
        grade_set(evaluation=evaluation, enrolment=s3_enrolment, raw="0", user=users["secretariat"])
    after_grades = row()
    assert all(c.average == "0.00" for code, c in after_grades.ues.items() if code.startswith("UE3"))
    assert after_grades.proposal != before.proposal
    decision_record(enrolment=s4_enrolment, level=JuryLevel.UE, subject="UE3.1", code="ADJ", user=users["jury"],
                    reason="Stage validé")
    assert row().ues["UE3.1"].code == "ADJ"  # a decision recorded: the engine's figures again


def test_the_report_page_runs_as_many_queries_at_50_as_at_200_students(client, users):
    counts = []
    client.force_login(users["jury"])
    for students in (50, 200):
        promotion = make_promotion(students=students, left=1, att=1, missing=1, repeaters=1)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("jury:report", args=["annee", promotion.s3.pk]))
        assert response.status_code == 200 and response.content.decode().count("data-ine=") == students
        counts.append(len(queries.captured_queries))
        client.force_login(users["jury"])  # a fresh request: no cached roles
    assert counts[0] == counts[1]

"""A promotion followed over three years in the application: the flow's counts are its enrolments and decisions."""
import pytest

from curriculum.models import Semester
from grading.cohort_flow import ELSEWHERE, flow_tables
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.models import AcademicYear, Enrolment, JuryDecision, SemesterInstance, Student
from grading.selectors.cohorts import promotion_flow


@pytest.fixture
def promotion(make_programme, users):
    """Thirteen students in S1 2023: six go straight through (one graduates with ADM, five awaited in BUT3),
    three repeat BUT1 once then go on (one of them passes BUT2 with PASD in 2025), two leave after BUT1 (one
    resigns, one NAR), one is in BUT2 with its decision awaited (ATT) and not enrolled in 2025, one passes BUT2
    (ADM) in 2024 and goes on to a BUT3 the application does not hold (not enrolled in 2025, which is open)."""
    programme = make_programme(number=1)
    for number in range(2, 7):
        Semester.objects.create(programme=programme, number=number)
    instances = {}
    for year in (2023, 2024, 2025):
        academic_year, _ = AcademicYear.objects.get_or_create(start_year=year)
        for number in range(1, 7):
            instances[(year, number)] = SemesterInstance.objects.create(
                semester=programme.semesters.get(number=number), academic_year=academic_year)

    def enrol(student, year, but, *, status=EnrolmentStatus.ENROLLED, decision=None):
        for number in (2 * but - 1, 2 * but):
            enrolment = Enrolment.objects.create(student=student, semester_instance=instances[(year, number)],
                                                 status=status)
        if decision:
            JuryDecision.objects.create(enrolment=enrolment, level=JuryLevel.YEAR, subject=str(but), code=decision,
                                        user=users["jury"])

    students = [Student.objects.create(ine=f"P{i:08d}", last_name=f"Nom{i}", first_name="P") for i in range(13)]
    for i, student in enumerate(students):
        if i < 6:
            enrol(student, 2023, 1, decision="ADM")
            enrol(student, 2024, 2, decision="PASD")
            enrol(student, 2025, 3, decision="ADM" if i == 0 else None)
        elif i < 9:
            enrol(student, 2023, 1, decision="RED")
            enrol(student, 2024, 1, decision="ADM")
            enrol(student, 2025, 2, decision="PASD" if i == 7 else None)
        elif i < 11:
            enrol(student, 2023, 1, status=EnrolmentStatus.DEM if i == 9 else EnrolmentStatus.ENROLLED,
                  decision="NAR" if i == 10 else None)
        elif i == 11:
            enrol(student, 2023, 1, decision="PASD")
            enrol(student, 2024, 2, decision="ATT")
        else:
            enrol(student, 2023, 1, decision="ADM")
            enrol(student, 2024, 2, decision="ADM")
    # The jury changed its mind on student 6: a RED supersedes the ADM first recorded; the RED is in force.
    red = JuryDecision.objects.get(enrolment__student=students[6], subject="1", code="RED")
    adm = JuryDecision.objects.create(enrolment=red.enrolment, level=JuryLevel.YEAR, subject="1", code="ADM",
                                      supersedes=red, user=users["jury"])
    JuryDecision.objects.create(enrolment=red.enrolment, level=JuryLevel.YEAR, subject="1", code="RED",
                                supersedes=adm, user=users["jury"])
    # later students of 2024 do not belong to the 2023 promotion
    late = Student.objects.create(ine="Q00000001", last_name="Tard", first_name="Q")
    enrol(late, 2024, 1)
    return instances


def test_the_promotion_is_counted_year_by_year_from_its_enrolments(promotion, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        flow = promotion_flow(semester_instance=promotion[(2023, 1)])
    assert flow.size == 13
    assert flow.columns == (
        (2023, {"BUT1": 13}),
        (2024, {"BUT1": 3, "BUT2": 8, "Partis": 2}),
        (2025, {"BUT2": 3, "BUT3": 6, "En attente": 1, ELSEWHERE: 1}),
        (2026, {"Diplômés": 1, "En attente": 8}),  # 2026 is not open: the PASD of 2025 is awaited
    )


def test_each_step_counts_who_went_on_repeated_went_elsewhere_left_or_is_awaited(promotion):
    flow = promotion_flow(semester_instance=promotion[(2023, 2)])  # S2 of the same year: the same promotion
    assert [step.outcomes for step in flow.steps] == [
        {"on": 8, "repeat": 3, "left": 2},  # the DEM and the NAR: not passed, not back
        {"on": 9, "awaited": 1, "elsewhere": 1},  # the ADM of BUT2 not enrolled in 2025 has not left: passed
        {"graduated": 1, "awaited": 8},
    ]
    tables = flow_tables(flow)
    assert tables["outcome_labels"][2] == ELSEWHERE
    assert tables["step_rows"][1] == ("2024-2025 → 2025-2026", [9, 0, 1, 0, 0, 1])


def test_the_flow_follows_a_new_decision_at_once(promotion):
    flow = promotion_flow(semester_instance=promotion[(2023, 1)])
    assert flow.steps[-1].outcomes["graduated"] == 1
    enrolment = Enrolment.objects.filter(student__ine="P00000001", semester_instance=promotion[(2025, 6)]).get()
    JuryDecision.objects.create(enrolment=enrolment, level=JuryLevel.YEAR, subject="3", code="ADM")
    assert promotion_flow(semester_instance=promotion[(2023, 1)]).steps[-1].outcomes["graduated"] == 2


def test_a_flow_may_start_from_a_later_year(promotion):
    flow = promotion_flow(semester_instance=promotion[(2024, 3)])  # BUT2 in 2024: eight of the promotion
    assert flow.columns[0] == (2024, {"BUT2": 8})
    assert flow.steps[0].outcomes == {"on": 6, "awaited": 1, "elsewhere": 1}


def test_a_year_opened_for_other_students_turns_the_awaited_into_gone_at_once(promotion,
                                                                              django_assert_max_num_queries):
    promotion_flow(semester_instance=promotion[(2023, 1)])
    with django_assert_max_num_queries(2):  # cached: the last year open and the versions of the paths are read
        flow = promotion_flow(semester_instance=promotion[(2023, 1)])
    assert flow.columns[-1] == (2026, {"Diplômés": 1, "En attente": 8})  # 2025 is the last year open
    next_year = SemesterInstance.objects.create(semester=promotion[(2025, 1)].semester,
                                                academic_year=AcademicYear.objects.create(start_year=2026))
    newcomer = Student.objects.create(ine="R00000001", last_name="Neuf", first_name="R")
    Enrolment.objects.create(student=newcomer, semester_instance=next_year)  # on none of the promotion's paths
    flow = promotion_flow(semester_instance=promotion[(2023, 1)])
    # 2026 is open: the five in BUT3 and the two in BUT2 without a decision are not in it, so they left; the one
    # who passed BUT2 (PASD) went on elsewhere; the student whose BUT2 decision is pending (ATT) stays awaited
    assert flow.columns[-1] == (2026, {"Diplômés": 1, "Partis": 7, ELSEWHERE: 1}), flow.columns

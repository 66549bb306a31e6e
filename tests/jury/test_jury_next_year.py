"""Next year's enrolments from the year decisions: preview, one confirmation, nobody twice, UEs kept (R11)."""
import pytest
from django.urls import reverse

from curriculum.models import Semester
from grading.engine import compute
from grading.engine.codes import JuryLevel
from grading.loaders import load_students
from grading.models import AcademicYear, AuditEntry, Enrolment, SemesterInstance
from jury.decisions import decision_override, proposals_accept
from jury.next_year import NEXT, NONE, REPEAT, next_year_enrol, next_year_plan
from jury.scope import scope_for
from jury.sessions import session_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_instances(clean_promotion):
    """The following academic year: S3, S4 (repeats) and S5, S6 (next year) of the same programme."""
    year = AcademicYear.objects.create(start_year=2026)
    programme = clean_promotion.programme
    for number in (5, 6):
        Semester.objects.create(programme=programme, number=number)
    return {n: SemesterInstance.objects.create(semester=programme.semesters.get(number=n), academic_year=year)
            for n in (3, 4, 5, 6)}


@pytest.fixture
def decided(users, clean_promotion, open_session):
    """Student 0 repeats (RED), student 1 is not allowed to (NAR), student 2 left (DEM), the rest as proposed."""
    session = open_session(clean_promotion)
    for index, code in ((0, "RED"), (1, "NAR"), (2, "DEM")):
        enrolment = clean_promotion.students[index].enrolments.get(semester_instance=clean_promotion.s4)
        decision_override(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code=code, reason="Jury",
                          user=users["jury"], session=session)
    proposals_accept(session=session, user=users["jury"])
    return session_close(session=session, user=users["jury"])


def test_the_targets_are_the_following_years_semesters_of_the_programme(clean_promotion, next_instances, decided):
    plan = next_year_plan(scope=scope_for(clean_promotion.s3, year=True))
    targets = {group.action: [slot.instance for slot in group.slots] for group in plan.groups}
    assert targets == {NEXT: [next_instances[5], next_instances[6]], REPEAT: [next_instances[3], next_instances[4]]}


def test_the_preview_sends_each_student_where_the_decision_says(clean_promotion, next_instances, decided):
    scope = scope_for(clean_promotion.s3, year=True)
    plan = {line.enrolment.student: line for line in next_year_plan(scope=scope).lines}
    students = clean_promotion.students
    assert (plan[students[0]].action, plan[students[0]].to_enrol) == (REPEAT, [next_instances[3], next_instances[4]])
    assert (plan[students[1]].action, plan[students[1]].to_enrol) == (NONE, [])
    assert (plan[students[2]].action, plan[students[2]].why) == (NONE, "démission")
    for student in students[3:]:
        line = plan[student]
        if line.decision in ("ADM", "PASD"):
            assert (line.action, line.to_enrol) == (NEXT, [next_instances[5], next_instances[6]])
        else:
            assert line.decision == "RED" and line.action == REPEAT


def test_confirming_enrols_once_and_nobody_twice(users, clean_promotion, next_instances, decided):
    scope = scope_for(clean_promotion.s3, year=True)
    planned = next_year_plan(scope=scope).to_enrol
    result = next_year_enrol(scope=scope, user=users["secretariat"])
    assert result.created == planned == Enrolment.objects.filter(semester_instance__academic_year__start_year=2026
                                                                  ).count()
    repeat = Enrolment.objects.get(student=clean_promotion.students[0], semester_instance=next_instances[3])
    assert repeat.is_repeat and repeat.parcours.code == "MPI"
    assert not Enrolment.objects.filter(student__in=clean_promotion.students[1:3],
                                        semester_instance__academic_year__start_year=2026).exists()
    assert AuditEntry.objects.filter(batch=result.batch, action="create").count() == result.created
    again = next_year_enrol(scope=scope, user=users["secretariat"])  # everybody is already enrolled
    assert again.created == 0 and next_year_plan(scope=scope).to_enrol == 0
    assert Enrolment.objects.filter(semester_instance__academic_year__start_year=2026).count() == planned


def test_a_repeating_student_keeps_the_ues_already_acquired(users, clean_promotion, next_instances, decided):
    scope = scope_for(clean_promotion.s3, year=True)
    repeater = clean_promotion.students[0]
    before = compute(load_students(student_ids=[repeater.pk])).students[repeater.pk]
    acquired = {code for code, ue in before.ues.items() if ue.decision == "ADM"}
    assert acquired
    next_year_enrol(scope=scope, user=users["secretariat"])
    after = compute(load_students(student_ids=[repeater.pk])).students[repeater.pk]
    assert len(after.passages) == 4
    for code in acquired:  # R11: capitalised with their code and ECTS
        assert (after.ues[code].decision, after.ues[code].capitalised) == ("ADM", True)
        assert after.ues[code].ects == before.ues[code].ects


def test_the_page_previews_then_enrols_on_confirmation(client, users, clean_promotion, next_instances, decided):
    client.force_login(users["secretariat"])
    url = reverse("jury:next_year", args=[decided.pk])
    preview = client.get(url)
    assert preview.status_code == 200 and not Enrolment.objects.filter(semester_instance=next_instances[5]).exists()
    assert "redoublement" in preview.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Enrolment.objects.filter(semester_instance=next_instances[3], is_repeat=True).exists()


def test_the_jury_cannot_enrol_a_promotion(client, users, decided):
    client.force_login(users["jury"])
    assert client.get(reverse("jury:next_year", args=[decided.pk])).status_code == 403

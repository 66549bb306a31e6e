"""Next year's enrolments from the year decisions: preview, one confirmation, nobody twice, UEs kept (R11)."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from curriculum.models import Programme, Semester
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


def _programme_like(programme, *, code: str, iut: str, first_year: int, numbers, previous=None):
    other = Programme.objects.create(code=code, title=programme.title, iut=iut, speciality=programme.speciality,
                                     parcours=programme.parcours, modality=programme.modality, first_year=first_year,
                                     previous_version=previous)
    for number in numbers:
        Semester.objects.create(programme=other, number=number)
    return other


def test_without_an_s5_the_students_who_pass_go_to_another_programme_of_their_parcours(clean_promotion, decided):
    """The programme has no S5: the S5 of another programme with the student's parcours is the target; its S6 not
    opened yet is named, with the programme it can be opened from."""
    programme = clean_promotion.programme
    year = AcademicYear.objects.create(start_year=2026)
    other = _programme_like(programme, code="autre-iut-mpi", iut="IUT d'ailleurs", first_year=2020, numbers=(5, 6))
    s5 = SemesterInstance.objects.create(semester=other.semesters.get(number=5), academic_year=year)
    plan = next_year_plan(scope=scope_for(clean_promotion.s3, year=True))
    passing = [line for line in plan.lines if line.action == NEXT]
    assert passing
    for line in passing:
        assert line.to_enrol == [s5] and line.missing == ["S6 2026-2027 pas encore ouvert (autre-iut-mpi)"]
        assert not line.without_target
    repeaters = [line for line in plan.lines if line.action == REPEAT]
    assert repeaters and all(line.without_target and "S3 2026-2027 pas encore ouvert" in line.reason
                             for line in repeaters)


def test_a_newer_version_of_the_programme_is_the_target_from_its_first_year(users, client, clean_promotion, decided):
    """From its first year on, the newer version is opened and targeted, never the old one (as the semester form)."""
    programme = clean_promotion.programme
    newer = _programme_like(programme, code=f"{programme.code}-v2", iut=programme.iut, first_year=2026,
                            numbers=(3, 4), previous=programme)
    client.force_login(users["secretariat"])
    page = client.get(reverse("jury:next_year", args=[decided.pk]))
    offered = set(page.context["open_form"].fields["semester"].queryset)
    assert offered == {newer.semesters.get(number=3), newer.semesters.get(number=4)}
    refused = client.post(reverse("jury:next_year_open", args=[decided.pk]),
                          {"semester": programme.semesters.get(number=3).pk})
    assert refused.status_code == 302 and not SemesterInstance.objects.filter(academic_year__start_year=2026).exists()
    client.post(reverse("jury:next_year_open", args=[decided.pk]), {"semester": newer.semesters.get(number=3).pk})
    opened = SemesterInstance.objects.get(academic_year__start_year=2026)
    assert opened.semester.programme == newer
    assert AuditEntry.objects.filter(object_type="grading.semesterinstance", object_id=opened.pk).count() == 1
    plan = next_year_plan(scope=scope_for(clean_promotion.s3, year=True))
    assert all(line.to_enrol == [opened] for line in plan.lines if line.action == REPEAT)


def test_the_command_previews_then_enrols_once(users, clean_promotion, next_instances, decided):
    preview = json.loads(_call("next_year", "--jury", str(decided.pk)))
    planned = preview["to_enrol"]
    assert planned > 0 and not Enrolment.objects.filter(semester_instance__academic_year__start_year=2026).exists()
    students = {s["ine"]: s for s in preview["students"]}
    assert students[clean_promotion.students[2].ine]["reason"] == "démission"
    assert students[clean_promotion.students[2].ine]["without_target"] is True
    done = json.loads(_call("next_year", "--jury", str(decided.pk), "--confirm", "--user", "secretariat"))
    assert done["enrolled"]["created"] == planned and done["to_enrol"] == 0
    again = json.loads(_call("next_year", "--jury", str(decided.pk), "--confirm"))
    assert again["enrolled"]["created"] == 0
    assert Enrolment.objects.filter(semester_instance__academic_year__start_year=2026).count() == planned
    with pytest.raises(CommandError) as refused:
        _call("next_year", "--jury", "999999")
    assert refused.value.returncode == 1 and "999999" in str(refused.value)


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()

"""The home page of each role shows what it has to do, only within the user's scope, in a bounded number of queries.

The world: programme A's S3 and S4 open in 2026-2027 (four students each; S3's evaluations: DS1 complete and
published, DS2 with one grade of four, TP with none, an immediate quiz with two), programme B's S1 open the same
year (complete, published), programme C's S1 of 2025-2026 locked by its jury (an evaluation left incomplete), and
programme D with no semester opened.
"""
import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from curriculum.models import Programme
from curriculum.versions import programme_new_version
from grading.engine.codes import EnrolmentStatus, JuryLevel
from grading.models import (
    AccessPolicy,
    Enrolment,
    Evaluation,
    JuryDecision,
    JuryPromotion,
    JurySession,
    SemesterInstance,
)
from grading.naming import jury_label
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from grading.services.semesters import responsible_add
from jury.sessions import session_create
from tests import worlds

YEAR = 2026
HOME = reverse("dashboard:home")
# the session and the user's roles, then the role's reads (R2's counts cached or not): whatever the number of
# semesters, evaluations and students (test_the_home_page_costs_as_many_queries_for_three_times_the_semesters)
# (Direction: one more than the jury for the closed juries it may publish)
QUERY_BOUNDS = {"secretariat": 12, "enseignant": 11, "jury": 16, "direction": 17}


@dataclass
class World:
    s3: SemesterInstance
    s4: SemesterInstance
    b1: SemesterInstance
    c1: SemesterInstance
    draft: Programme
    evaluations: dict[str, Evaluation]
    students: int


def two_semesters(code: str) -> Programme:
    """Programme `code`: S3 and S4, each two resources (R<n>.01, R<n>.02) weighing 2 in one UE."""
    levels = worlds.reference(competences={"C1": ("Compétence 1", "Compétence 1")}, levels=(2,),
                              label="{code} niveau {level}")["levels"]
    semesters = {n: {"modules": {f"R{n}.01": "resource", f"R{n}.02": "resource"},
                     "ues": [(f"UE{n}.1", "C1", 2, 30, [(f"R{n}.01", 2, worlds.NO_HOURS),
                                                        (f"R{n}.02", 2, worlds.NO_HOURS)])]} for n in (3, 4)}
    return worlds.build_programme(semesters, levels=levels, code=code)


def grade(evaluation, enrolments, user, count):
    """Enter a grade for the first `count` enrolments, through the import service."""
    grades_import(evaluation=evaluation, user=user, filename="notes.xlsx",
                  rows=[(e.pk, "12") for e in enrolments[:count]])


def enrolments_of(instance) -> list[Enrolment]:
    return list(Enrolment.objects.filter(semester_instance=instance).order_by("id"))


def build(users, *, students=4) -> World:
    secretary = users["secretariat"]
    programme = two_semesters("prog-a")
    s3 = worlds.semester_instance(programme=programme, number=3, students=students, start_year=YEAR)
    s4 = worlds.semester_instance(programme=programme, number=4, students=0, start_year=YEAR)
    for enrolment in enrolments_of(s3):  # the same students in S4
        Enrolment.objects.create(student=enrolment.student, semester_instance=s4, parcours=enrolment.parcours)
    r301, r302 = s3.semester.modules.order_by("code")
    ds1 = evaluation_create(semester_instance=s3, module=r301, title="DS1", date=datetime.date(2026, 10, 5))
    ds2 = evaluation_create(semester_instance=s3, module=r301, title="DS2", date=datetime.date(2026, 12, 7))
    tp = evaluation_create(semester_instance=s3, module=r302, title="TP", date=datetime.date(2026, 11, 9))
    quiz = evaluation_create(semester_instance=s3, module=r302, title="Quiz", is_immediate=True)
    enrolled = enrolments_of(s3)
    grade(ds1, enrolled, secretary, students)
    grade(ds2, enrolled, secretary, 1)
    grade(quiz, enrolled, secretary, 2)
    Evaluation.objects.filter(pk__in=[ds1.pk, quiz.pk]).update(is_published=True)

    b1 = worlds.semester_instance(number=1, students=3, start_year=YEAR)
    b_eval = evaluation_create(semester_instance=b1, module=b1.semester.modules.first(), title="Partiel B")
    grade(b_eval, enrolments_of(b1), secretary, 3)
    Evaluation.objects.filter(pk=b_eval.pk).update(is_published=True)

    c1 = worlds.semester_instance(number=1, students=2, start_year=YEAR - 1)
    c_module = c1.semester.modules.first()
    evaluation_create(semester_instance=c1, module=c_module, title="Partiel C")
    responsible_add(semester_instance=c1, module=c_module, user=users["teacher"])  # before its jury locked it
    SemesterInstance.objects.filter(pk=c1.pk).update(is_locked=True)
    draft = worlds.small_programme(number=5, code="prog-d")
    return World(s3=s3, s4=s4, b1=b1, c1=c1, draft=draft, students=students,
                 evaluations={"DS1": ds1, "DS2": ds2, "TP": tp, "Quiz": quiz, "B": b_eval})


@pytest.fixture
def world(users):
    return build(users)


def home(client, user, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(QUERY_BOUNDS[user.username]):
        response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_the_secretariat_sees_incomplete_and_unpublished_evaluations_of_each_open_semester(
        client, users, world, django_assert_max_num_queries):
    response = home(client, users["secretariat"], django_assert_max_num_queries)
    rows = {row.instance.pk: row for row in response.context["semesters"]}
    assert set(rows) == {world.s3.pk}  # B's S1 is complete and published, C's S1 is locked, S4 has no evaluation
    s3 = rows[world.s3.pk]
    assert [p.evaluation.title for p in s3.incomplete] == ["DS2", "TP"]  # the immediate quiz holds nothing back
    assert [p.missing for p in s3.incomplete] == [world.students - 1, world.students]
    assert sorted(p.evaluation.title for p in s3.unpublished) == ["DS2", "TP"] and s3.ready == []
    html = response.content.decode()
    assert reverse("portal:publication", args=[world.s3.pk]) in html
    assert reverse("grading:semester_detail", args=[world.s3.pk]) + "#incomplete" in html
    assert "2 incomplètes" in html and "2 non publiées" in html
    assert reverse("grading:semester_detail", args=[world.b1.pk]) not in html
    assert 'id="todo-grades"' not in html and 'id="todo-jury"' not in html and 'id="todo-direction"' not in html
    assert reverse("jury:home") in html  # the « Jurys » card


def test_the_secretariat_sees_a_semester_leave_once_graded_and_published(client, users, world,
                                                                        django_assert_max_num_queries):
    enrolled = enrolments_of(world.s3)
    grade(world.evaluations["DS2"], enrolled, users["secretariat"], world.students)
    grade(world.evaluations["TP"], enrolled, users["secretariat"], world.students)
    response = home(client, users["secretariat"], django_assert_max_num_queries)
    [row] = response.context["semesters"]
    assert row.incomplete == [] and len(row.unpublished) == len(row.ready) == 2
    assert "dont 2 complètes" in response.content.decode()
    Evaluation.objects.filter(semester_instance=world.s3).update(is_published=True)
    response = home(client, users["secretariat"], django_assert_max_num_queries)
    assert response.context["semesters"] == []
    assert "Rien en attente" in response.content.decode()


def test_a_teacher_sees_only_their_modules_evaluations_still_to_grade(client, users, world,
                                                                     django_assert_max_num_queries):
    teacher = users["teacher"]
    r301 = world.evaluations["DS1"].module
    responsible_add(semester_instance=world.s3, module=r301, user=teacher)
    response = home(client, teacher, django_assert_max_num_queries)
    items = response.context["to_grade"]
    assert [(p.evaluation.title, p.missing) for p in items] == [("DS2", world.students - 1)]
    html = response.content.decode()
    assert reverse("grading:evaluation_grid", args=[world.evaluations["DS2"].pk]) in html
    for other in ("DS1", "TP", "Quiz", "B"):  # complete, or another teacher's module (C's S1 is locked)
        assert reverse("grading:evaluation_grid", args=[world.evaluations[other].pk]) not in html
    assert 'id="todo-semesters"' not in html and 'id="todo-jury"' not in html
    assert f'href="{reverse("jury:home")}"' not in html  # a teacher reads no jury page


def test_a_teacher_of_the_quiz_sees_its_missing_grades(client, users, world, django_assert_max_num_queries):
    teacher = users["teacher"]
    responsible_add(semester_instance=world.s3, module=world.evaluations["TP"].module, user=teacher)
    items = home(client, teacher, django_assert_max_num_queries).context["to_grade"]
    # by date: TP (9 November) before the undated quiz
    assert [(p.evaluation.title, p.missing) for p in items] == [("TP", world.students), ("Quiz", world.students - 2)]


def test_a_jury_member_sees_the_promotions_assigned_and_their_blockers(client, users, world,
                                                                      django_assert_max_num_queries):
    AccessPolicy.objects.update(jury_every_promotion=False)
    juror = users["jury"]
    JuryPromotion.objects.create(user=juror, programme=world.s3.semester.programme,
                                 academic_year=world.s3.academic_year)
    enrolled = enrolments_of(world.s4)
    Enrolment.objects.filter(pk=enrolled[0].pk).update(status=EnrolmentStatus.DEM)  # left: decided by the status
    JuryDecision.objects.create(enrolment=enrolled[1], level=JuryLevel.YEAR, subject="2", code="ADM")
    JuryDecision.objects.create(enrolment=enrolled[2], level=JuryLevel.UE, subject="UE4.1", code="ADM")  # not the year
    session = session_create(semester_instances=[world.s3, world.s4], date=datetime.date(2027, 6, 24),
                             president="Mme Présidente", user=juror)
    response = home(client, juror, django_assert_max_num_queries)
    jury = response.context["jury"]
    assert not jury.every and [(a.programme.code, a.academic_year.start_year) for a in jury.assigned] == [
        ("prog-a", YEAR)]
    [promotion] = jury.promotions
    assert [i.pk for i in promotion.instances] == [world.s3.pk, world.s4.pk]
    assert promotion.sessions == [session]
    assert promotion.undecided == world.students - 2  # one left, one decided
    assert (promotion.incomplete, promotion.unpublished) == (2, 2)
    html = response.content.decode()
    assert reverse("jury:report", args=["annee", world.s3.pk]) in html
    assert reverse("jury:session_detail", args=[session.pk]) in html
    assert "BUT2 MPI formation initiale — test — 2026-2027" in html
    assert reverse("jury:report", args=["semestre", world.b1.pk]) not in html  # not their promotion
    assert 'id="todo-semesters"' not in html and 'id="todo-grades"' not in html


def test_a_jury_member_of_every_promotion_sees_each_open_one(client, users, world, django_assert_max_num_queries):
    response = home(client, users["jury"], django_assert_max_num_queries)  # the tests' department choice
    jury = response.context["jury"]
    assert jury.every and "toutes les promotions" in response.content.decode()
    by_first = {p.first.pk: p for p in jury.promotions}
    assert set(by_first) == {world.s3.pk, world.b1.pk}  # C's S1 is locked: its jury is held
    b = by_first[world.b1.pk]
    assert (b.report_kind, b.undecided, b.incomplete, b.unpublished, b.sessions) == ("semestre", 3, 0, 0, [])


def test_a_promotion_whose_odd_semester_is_locked_still_has_its_year_jury(client, users, world,
                                                                         django_assert_max_num_queries):
    SemesterInstance.objects.filter(pk=world.s3.pk).update(is_locked=True)  # its semester jury was held
    JuryDecision.objects.create(enrolment=enrolments_of(world.s4)[0], level=JuryLevel.YEAR, subject="2", code="ADM")
    response = home(client, users["jury"], django_assert_max_num_queries)
    by_first = {p.first.pk: p for p in response.context["jury"].promotions}
    s4 = by_first[world.s4.pk]
    assert world.s3.pk not in by_first
    assert (s4.report_kind, s4.undecided, s4.incomplete) == ("annee", world.students - 1, 0)
    assert reverse("jury:report", args=["annee", world.s4.pk]) in response.content.decode()


def test_a_jury_member_assigned_nowhere_is_told_so(client, users, world, django_assert_max_num_queries):
    AccessPolicy.objects.update(jury_every_promotion=False)
    response = home(client, users["jury"], django_assert_max_num_queries)
    assert response.context["jury"].promotions == []
    assert "aucune promotion" in response.content.decode()


def test_direction_sees_frozen_and_draft_programmes_and_open_juries(client, users, world,
                                                                  django_assert_max_num_queries):
    session = session_create(semester_instances=[world.b1], date=datetime.date(2027, 1, 20),
                             president="M. Président", user=users["direction"])
    response = home(client, users["direction"], django_assert_max_num_queries)
    states = response.context["programmes"]
    assert [p.pk for p in states.frozen] == [world.c1.semester.programme_id]
    assert [p.code for p in states.drafts] == ["prog-d"]
    assert response.context["open_juries"] == [session]
    by_first = {p.first.pk: p for p in response.context["promotions"]}
    assert set(by_first) == {world.s3.pk, world.b1.pk}  # every open promotion, C's locked S1 left out
    assert by_first[world.b1.pk].sessions == [session] and by_first[world.s3.pk].sessions == []
    html = response.content.decode()
    assert f'{reverse("jury:session_detail", args=[session.pk])}">{jury_label(session)}</a>' in html
    assert reverse("curriculum:programme_detail", args=["prog-d"]) in html
    assert 'id="todo-semesters"' not in html and 'id="todo-grades"' not in html and 'id="todo-jury"' not in html


def test_a_programme_replaced_by_a_new_version_is_no_draft(client, users, world, django_assert_max_num_queries):
    programme_new_version(programme=world.draft, code="prog-d-v2", first_year=YEAR + 1, user=users["direction"])
    states = home(client, users["direction"], django_assert_max_num_queries).context["programmes"]
    assert [p.code for p in states.drafts] == ["prog-d-v2"]


def test_a_student_goes_straight_to_their_results(client, users):
    client.force_login(users["student"])
    assert client.get(HOME).url == reverse("portal:my_results")


@pytest.mark.parametrize("login", ["secretariat", "teacher", "jury", "direction"])
def test_the_home_page_costs_as_many_queries_for_three_times_the_semesters(client, users, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build(users)
    responsible_add(semester_instance=SemesterInstance.objects.get(semester__programme__code="prog-a",
                                                                   semester__number=3),
                    module=Evaluation.objects.get(title="DS2").module, user=users["teacher"])
    client.force_login(users[login])

    def count() -> int:
        from django.core.cache import cache
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for n in range(2):  # two more promotions, graded and taught alike
        programme = two_semesters(f"prog-more-{n}")
        instance = worlds.semester_instance(programme=programme, number=3, students=5, start_year=YEAR)
        module = instance.semester.modules.order_by("code").first()
        evaluation = evaluation_create(semester_instance=instance, module=module, title="DS2")
        grade(evaluation, enrolments_of(instance), users["secretariat"], 2)
        responsible_add(semester_instance=instance, module=module, user=users["teacher"])
    assert count() == before


def test_a_user_with_several_roles_sees_each_roles_list_once(client, users, world):
    from django.contrib.auth.models import Group

    user = users["direction"]
    user.groups.add(Group.objects.get(name="Jury"), Group.objects.get(name="Secrétariat"))
    client.force_login(user)
    response = client.get(HOME)
    html = response.content.decode()
    for section in ("todo-semesters", "todo-jury", "todo-direction"):
        assert html.count(f'id="{section}"') == 1
    assert html.count('id="jury-promotions"') == 1  # the jury member's table, not Direction's again
    assert len(response.context["jury"].promotions) == 2


@pytest.mark.parametrize("login", ["secretariat", "direction"])
def test_who_publishes_sees_a_closed_jury_to_publish_under_its_name(client, users, world, login,
                                                                    django_assert_max_num_queries):
    closed = JurySession.objects.create(date=datetime.date(YEAR, 1, 20), president="Mme Présidente",
                                        created_by=users["jury"], closed_at=timezone.now())
    closed.semester_instances.set([world.c1])
    html = home(client, users[login], django_assert_max_num_queries).content.decode()
    assert html.count('id="juries-to-publish"') == 1
    assert f'{reverse("jury:session_detail", args=[closed.pk])}">{jury_label(closed)}</a>' in html
    JurySession.objects.filter(pk=closed.pk).update(published_at=timezone.now())
    assert 'id="juries-to-publish"' not in home(client, users[login], django_assert_max_num_queries
                                                ).content.decode()

"""Pages compute only what they show, in a fixed number of queries; cached results never outlive a change."""
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.models import ModuleUE
from grading.engine.codes import JuryLevel
from grading.models import Bonus, Enrolment, ExternalValidation, SemesterInstance
from grading.selectors.live_results import whole_key
from grading.services.enrolments import StudentRow, students_enrol
from grading.services.evaluations import evaluation_create
from grading.services.grades import grade_set, grades_import
from jury.decisions import decision_record

AUTH_TABLES = ("django_session", "auth_user", "auth_group")  # what every authenticated request reads first
SAVE_QUERIES = 5  # evaluation; lock + results version; enrolment + its grade; grade write; audit row
TRANSACTION = ("BEGIN", "COMMIT")  # logged by the PostgreSQL driver around the save's transaction


def semester(make_semester_instance, users, students):
    """A semester of `students` students, two evaluations of R1.01 and one of R1.02, every grade entered."""
    instance = make_semester_instance(students=students)
    r101, r102 = instance.semester.modules.order_by("code")
    evaluations = [evaluation_create(semester_instance=instance, module=r101, title="DS1"),
                   evaluation_create(semester_instance=instance, module=r101, title="DS2"),
                   evaluation_create(semester_instance=instance, module=r102, title="TP")]
    enrolments = list(Enrolment.objects.filter(semester_instance=instance).order_by("id"))
    for n, evaluation in enumerate(evaluations):
        grades_import(evaluation=evaluation, user=users["secretariat"], filename="x",
                               rows=[(e.pk, str(8 + (i + n) % 9)) for i, e in enumerate(enrolments)])
    return instance, evaluations, enrolments


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_grid_save_runs_five_queries_besides_the_session_and_the_users_roles(client, users, make_semester_instance,
                                                                              django_assert_num_queries):
    """Measured outside a test transaction, as in production: the save's transaction shows as BEGIN and COMMIT."""
    instance, (ds1, *_), enrolments = semester(make_semester_instance, users, students=3)
    client.force_login(users["secretariat"])
    url = reverse("grading:grade_save", args=[ds1.pk])
    version = ds1.grades.get(enrolment=enrolments[0]).version
    with django_assert_num_queries(len(AUTH_TABLES) + len(TRANSACTION) + SAVE_QUERIES) as captured:
        response = client.post(url, {"enrolment": enrolments[0].pk, "value": "19,5", "version": version})
    assert response.json()["ok"] and response.json()["changed"]
    statements = [q["sql"] for q in captured.captured_queries]
    auth = [sql for sql in statements if any(f'FROM "{table}"' in sql for table in AUTH_TABLES)]
    save = [sql for sql in statements if sql not in auth and sql not in TRANSACTION]
    assert len(auth) == len(AUTH_TABLES) and len(save) == SAVE_QUERIES, statements
    assert ds1.grades.get(enrolment=enrolments[0]).display == "19,5"


@pytest.mark.django_db
def test_a_group_grid_computes_its_group_only_in_the_same_queries_at_any_size(secretariat_client, users,
                                                                              make_semester_instance):
    counts = []
    for students in (4, 30):
        instance, (ds1, *_), _ = semester(make_semester_instance, users, students=students)
        group = instance.groups.get(name="TD1")
        url = reverse("grading:module_grid", args=[instance.pk, ds1.module_id]) + f"?groupe={group.pk}"
        queries_of(secretariat_client, url)  # R2 counts now cached
        counts.append(queries_of(secretariat_client, url))
        response = secretariat_client.get(url)
        shown = {row.enrolment.student_id for row in response.context["rows"]}
        assert len(shown) == students // 2
        assert set(response.context["live"].ues) == shown  # nobody outside the group was computed
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_students_own_page_costs_the_same_queries_whatever_the_semester_size(client, users,
                                                                               make_semester_instance):
    """First read (the R2 counts and the student's results computed) and read again (both from the cache)."""
    counts = []
    for students in (10, 40):
        instance, _, enrolments = semester(make_semester_instance, users, students=students)
        student = enrolments[0].student
        student.user = users["student"]
        student.save()
        client.force_login(users["student"])
        counts.append((queries_of(client, reverse("portal:my_results")),
                       queries_of(client, reverse("portal:my_results"))))
        student.user = None
        student.save()
    assert counts[0] == counts[1]
    assert counts[0][1] < counts[0][0]


@pytest.mark.django_db
def test_the_results_page_reads_its_cached_results_until_something_changes(secretariat_client, users,
                                                                           make_semester_instance):
    instance, (ds1, ds2, tp), enrolments = semester(make_semester_instance, users, students=3)
    url = reverse("grading:semester_results", args=[instance.pk])
    first = queries_of(secretariat_client, url)
    assert queries_of(secretariat_client, url) < first  # the same results: from the cache

    def bernard():
        response = secretariat_client.get(url)
        return next(cells for enrolment, cells in response.context["rows"] if enrolment.pk == enrolments[0].pk)

    before = bernard()
    grade_set(evaluation=ds1, enrolment=enrolments[0], raw="20", user=users["secretariat"])
    after_grade = bernard()
    assert after_grade != before  # a grade

    decision_record(enrolment=enrolments[0], level=JuryLevel.UE, subject="UE1.1", code="AJ", user=users["jury"])
    after_decision = bernard()
    assert after_decision[0][1] == "AJ" and after_decision[0][0] == after_grade[0][0]  # a jury decision

    Bonus.objects.create(enrolment=enrolments[0], percent=Decimal("5"))
    assert bernard()[1][0] != after_decision[1][0]  # a bonus (the admin's inline)

    ModuleUE.objects.filter(module=tp.module, ue__code="UE1.2").update(coefficient=Decimal("0"))
    ModuleUE.objects.get(module=tp.module, ue__code="UE1.1").save()  # a programme change (admin, fixtures)
    assert bernard()[1][0] != after_decision[1][0]


@pytest.mark.django_db
def test_an_external_validation_or_an_admin_edit_of_an_enrolment_gives_a_new_version(users, make_semester_instance):
    instance, _, enrolments = semester(make_semester_instance, users, students=2)

    def version():
        return SemesterInstance.objects.get(pk=instance.pk).results_version

    start = version()
    ExternalValidation.objects.create(student=enrolments[0].student, ue=instance.semester.ues.first(), code="ADM")
    after_validation = version()
    assert after_validation != start
    enrolments[1].status = "DEM"
    enrolments[1].save()
    assert version() not in (start, after_validation)


@pytest.mark.django_db
def test_the_cached_results_of_a_semester_follow_its_students_earlier_semester(users, make_semester_instance):
    """A repeating student's earlier passage weighs in this semester's results (R11): its changes count too."""
    earlier, (old_ds1, *_), old_enrolments = semester(make_semester_instance, users, students=2)
    instance = make_semester_instance(programme=earlier.semester.programme, students=0, start_year=2026)
    students_enrol(semester_instance=instance, rows=[
        StudentRow(ine=old_enrolments[0].student.ine, last_name="Martin", first_name="Léa")])
    key = whole_key(instance)
    grade_set(evaluation=old_ds1, enrolment=old_enrolments[0], raw="3", user=users["secretariat"])
    assert whole_key(instance) != key
    key = whole_key(instance)
    grade_set(evaluation=old_ds1, enrolment=old_enrolments[1], raw="4", user=users["secretariat"])
    assert whole_key(instance) != key  # a classmate's grade may change R2 completeness there


@pytest.mark.django_db
def test_a_semester_keeps_one_cached_results_entry_whatever_its_number_of_versions(secretariat_client, users,
                                                                                   make_semester_instance):
    instance, (ds1, *_), enrolments = semester(make_semester_instance, users, students=2)
    url = reverse("grading:semester_results", args=[instance.pk])
    secretariat_client.get(url)
    first = whole_key(instance)
    grade_set(evaluation=ds1, enrolment=enrolments[0], raw="19", user=users["secretariat"])
    secretariat_client.get(url)
    assert cache.get(first) is None  # the previous version's entry was dropped…
    assert cache.get(whole_key(instance)) is not None  # …for the current one


PAGES = {  # url name -> its arguments, from (instance, DS1, an enrolment)
    "grading:semester_detail": lambda instance, ds1, enrolment: [instance.pk],
    "grading:semester_results": lambda instance, ds1, enrolment: [instance.pk],
    "grading:teacher_results": lambda instance, ds1, enrolment: [instance.pk],
    "grading:enrolment_list": lambda instance, ds1, enrolment: [instance.pk],
    "grading:module_grid": lambda instance, ds1, enrolment: [instance.pk, ds1.module_id],
    "grading:evaluation_grid": lambda instance, ds1, enrolment: [ds1.pk],
    "grading:evaluation_incomplete": lambda instance, ds1, enrolment: [ds1.pk],
    "grading:student_detail": lambda instance, ds1, enrolment: [instance.pk, enrolment.pk],
    "portal:publication": lambda instance, ds1, enrolment: [instance.pk],
    "portal:bulletin_batches": lambda instance, ds1, enrolment: [instance.pk],
    "jury:report": lambda instance, ds1, enrolment: ["semestre", instance.pk],
    "jury:sheet": lambda instance, ds1, enrolment: ["semestre", instance.pk, enrolment.student_id],
}


@pytest.mark.django_db
@pytest.mark.parametrize("incomplete", [False, True], ids=["complete", "one evaluation incomplete"])
@pytest.mark.parametrize("name", list(PAGES))
def test_a_semester_page_costs_the_same_queries_at_4_and_at_30_students(secretariat_client, users,
                                                                          make_semester_instance, name, incomplete):
    """Read twice: the second read is what a page costs while nothing changes (its cached results are kept)."""
    counts = []
    for students in (4, 30):
        instance, (ds1, *_), enrolments = semester(make_semester_instance, users, students=students)
        if incomplete:
            oral = evaluation_create(semester_instance=instance, module=ds1.module, title="Oral")
            grades_import(evaluation=oral, user=users["secretariat"], filename="x",
                                   rows=[(e.pk, "12") for e in enrolments[1:]])
        url = reverse(name, args=PAGES[name](instance, ds1, enrolments[1]))
        queries_of(secretariat_client, url)
        counts.append(queries_of(secretariat_client, url))
        if incomplete and name in ("grading:semester_detail", "grading:semester_results", "jury:report"):
            assert "Oral" in secretariat_client.get(url).content.decode()  # whom it waits for is shown
    assert counts[0] == counts[1]


def grade_reads(client, url) -> int:
    """Return how many of the page's queries read grades."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('"grading_grade"' in query["sql"] for query in captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["grading:semester_detail", "grading:semester_results", "grading:teacher_results",
                                  "jury:report"])
def test_a_whole_semester_page_reads_no_grade_again_until_one_changes(secretariat_client, users,
                                                                       make_semester_instance, name):
    """What it computed from the grades (averages, whom an incomplete evaluation waits for) is cached."""
    instance, (ds1, *_), enrolments = semester(make_semester_instance, users, students=4)
    oral = evaluation_create(semester_instance=instance, module=ds1.module, title="Oral")
    grades_import(evaluation=oral, user=users["secretariat"], filename="x",
                           rows=[(e.pk, "12") for e in enrolments[1:]])
    url = reverse(name, args=PAGES[name](instance, ds1, enrolments[0]))
    assert grade_reads(secretariat_client, url) > 0
    assert grade_reads(secretariat_client, url) == 0
    grade_set(evaluation=oral, enrolment=enrolments[0], raw="9", user=users["secretariat"])
    assert grade_reads(secretariat_client, url) > 0  # a new results version: read afresh

"""Who may do what: every role against every page, forged POSTs to every write endpoint included."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test.utils import override_settings
from django.urls import reverse

from grading.access import FORBIDDEN_MODULE, Action, can, check_access
from grading.models import Evaluation, Grade, GradeChange, Group, ModuleResponsible, SemesterInstance
from grading.selectors.grade_entry import enrolments as enrolments_of
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from tests import worlds

pytestmark = pytest.mark.django_db

ROLES = ["direction", "secretariat", "teacher", "jury", "student"]
FAST_HASHER = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The users and the world, built once for the module's couple of hundred tests (each rolled back)."""
    with worlds.module_transaction(django_db_blocker), django_db_blocker.unblock(), override_settings(**FAST_HASHER):
        users = worlds.role_users()
        yield users, build_world(users)


@pytest.fixture
def users(shared, db):
    return shared[0]


@pytest.fixture
def world(shared, db):
    return shared[1]


def build_world(users) -> dict:
    """The teacher is responsible for `module` only; `foreign` is an evaluation of another module."""
    instance = worlds.semester_instance(students=3)
    module, other_module = instance.semester.modules.order_by("code")
    evaluation = evaluation_create(semester_instance=instance, module=module, title="DS1",
                                   coefficient=Decimal("2"), max_score=Decimal("20"))
    enrolments = list(enrolments_of(semester_instance=instance))
    responsible = ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users["teacher"])
    foreign = evaluation_create(semester_instance=instance, module=other_module, title="Autre")
    batch = grades_import(evaluation=evaluation, rows=[(enrolments[0].pk, "10")], user=users["direction"],
                          filename="x.xlsx").batch
    foreign_batch = grades_import(evaluation=foreign, rows=[(enrolments[0].pk, "10")], user=users["direction"],
                                  filename="x.xlsx").batch
    group = instance.groups.first()
    return {"i": instance, "m": module, "om": other_module, "e": evaluation, "f": foreign, "en": enrolments[1],
            "b": batch, "fb": foreign_batch, "g": group, "r": responsible}


def page(name, *keys):
    return name, keys


# (url name, argument keys) -> roles that get 200
READS = {
    page("grading:semester_create"): {"direction", "secretariat"},
    page("grading:semester_detail", "i"): {"direction", "secretariat", "teacher"},
    page("grading:semester_results", "i"): {"direction", "secretariat", "jury"},
    page("grading:enrolment_list", "i"): {"direction", "secretariat"},
    page("grading:student_import", "i"): {"direction", "secretariat"},
    page("grading:enrolment_edit", "i", "en"): {"direction", "secretariat"},
    page("grading:student_detail", "i", "en"): {"direction", "secretariat", "jury"},
    page("grading:group_list", "i"): {"direction", "secretariat"},
    page("grading:responsible_list", "i"): {"direction", "secretariat"},
    page("grading:module_grid", "i", "m"): {"direction", "secretariat", "teacher"},
    page("grading:module_grid", "i", "om"): {"direction", "secretariat"},
    page("grading:evaluation_create", "i", "m"): {"direction", "secretariat", "teacher"},
    page("grading:evaluation_create", "i", "om"): {"direction", "secretariat"},
    page("grading:evaluation_grid", "e"): {"direction", "secretariat", "teacher"},
    page("grading:evaluation_grid", "f"): {"direction", "secretariat"},
    page("grading:evaluation_edit", "e"): {"direction", "secretariat", "teacher"},
    page("grading:evaluation_edit", "f"): {"direction", "secretariat"},
    page("grading:grade_history", "e", "en"): {"direction", "secretariat", "teacher"},
    page("grading:grade_history", "f", "en"): {"direction", "secretariat"},
    page("grading:evaluation_export", "e"): {"direction", "secretariat", "teacher"},
    page("grading:evaluation_export", "f"): {"direction", "secretariat"},
    page("grading:evaluation_import", "e"): {"direction", "secretariat", "teacher"},
    page("grading:evaluation_import", "f"): {"direction", "secretariat"},
}


def url(world, name, keys):
    return reverse(name, args=[world[k].pk for k in keys])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", list(READS), ids=lambda t: f"{t[0]}-{'-'.join(t[1])}")
def test_each_role_sees_only_its_pages(client, users, world, role, target):
    client.force_login(users[role])
    response = client.get(url(world, *target))
    if role in READS[target]:
        assert response.status_code == 200
    elif role == "jury" and target == page("grading:semester_detail", "i"):
        assert response.status_code == 302  # sent to the results, see below
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role,status", [("direction", 200), ("secretariat", 200), ("teacher", 200), ("jury", 200),
                                         ("student", 403)])
def test_the_semester_list_is_for_staff(client, users, world, role, status):
    client.force_login(users[role])
    assert client.get(reverse("grading:semester_list")).status_code == status


def test_the_teacher_sees_only_the_semesters_and_modules_they_are_responsible_for(client, users, world,
                                                                                   make_semester_instance):
    make_semester_instance(students=1)
    client.force_login(users["teacher"])
    response = client.get(reverse("grading:semester_list"))
    assert [i.pk for i in response.context["table"].data] == [world["i"].pk]
    response = client.get(reverse("grading:semester_detail", args=[world["i"].pk]))
    assert [m.module.code for m in response.context["modules"]] == ["R1.01"]


def test_the_jury_is_sent_from_the_semester_page_to_the_results(client, users, world):
    client.force_login(users["jury"])
    response = client.get(reverse("grading:semester_detail", args=[world["i"].pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:semester_results", args=[world["i"].pk])


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    response = client.get(url(world, "grading:evaluation_grid", ["e"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Every write endpoint: (url name, argument keys, POST data built from the world) -> roles allowed.
WRITES = [
    ("grading:semester_create", [], lambda w: {"semester": w["i"].semester_id, "start_year": 2031}, "SETUP"),
    ("grading:semester_lock", ["i"], lambda w: {"reason": "jury"}, "LOCK"),
    ("grading:enrolment_list", ["i"], lambda w: {"ine": "12345678901", "last_name": "Neuf", "first_name": "N"},
     "SETUP"),
    ("grading:enrolment_edit", ["i", "en"], lambda w: {"status": "DEM"}, "SETUP"),
    ("grading:group_list", ["i"], lambda w: {"name": "TP9", "kind": "TP"}, "SETUP"),
    ("grading:group_delete", ["i", "g"], lambda w: {}, "SETUP"),
    ("grading:responsible_list", ["i"], lambda w: {"module": w["om"].pk, "user": w["r"].user_id}, "SETUP"),
    ("grading:responsible_delete", ["i", "r"], lambda w: {}, "SETUP"),
    ("grading:evaluation_create", ["i", "m"], lambda w: {"title": "Forgée", "coefficient": "1", "max_score": "20"},
     "OWN"),
    ("grading:evaluation_create", ["i", "om"], lambda w: {"title": "Forgée", "coefficient": "1", "max_score": "20"},
     "SETUP"),
    ("grading:evaluation_edit", ["e"], lambda w: {"title": "Forgée", "coefficient": "3", "max_score": "20"}, "OWN"),
    ("grading:evaluation_edit", ["f"], lambda w: {"title": "Forgée", "coefficient": "3", "max_score": "20"},
     "SETUP"),
    ("grading:grade_save", ["e"], lambda w: {"enrolment": w["en"].pk, "value": "1", "version": 0}, "OWN"),
    ("grading:grade_save", ["f"], lambda w: {"enrolment": w["en"].pk, "value": "1", "version": 0}, "SETUP"),
    ("grading:evaluation_import_confirm", ["e"], lambda w: {"token": "x"}, "OWN"),
    ("grading:evaluation_import_confirm", ["f"], lambda w: {"token": "x"}, "SETUP"),
    ("grading:import_undo", ["e", "b"], lambda w: {}, "OWN"),
    ("grading:import_undo", ["f", "fb"], lambda w: {}, "SETUP"),
]
ALLOWED = {"SETUP": {"direction", "secretariat"}, "LOCK": {"direction"},
           "OWN": {"direction", "secretariat", "teacher"}}


def snapshot():
    return (SemesterInstance.objects.count(), list(SemesterInstance.objects.values_list("is_locked", flat=True)),
            Group.objects.count(), ModuleResponsible.objects.count(), GradeChange.objects.count(),
            list(Grade.objects.order_by("pk").values_list("value", "version")),
            sorted(Evaluation.objects.values_list("title", "coefficient")))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,keys,data,scope", WRITES, ids=lambda v: v if isinstance(v, str) else None)
def test_forged_posts_are_refused_to_roles_without_the_right(client, users, world, role, name, keys, data, scope):
    client.force_login(users[role])
    before = snapshot()
    response = client.post(reverse(name, args=[world[k].pk for k in keys]), data(world))
    if role in ALLOWED[scope]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert snapshot() == before


def test_a_teacher_is_told_why_another_module_is_refused(users, world):
    with pytest.raises(PermissionDenied, match=FORBIDDEN_MODULE):
        check_access(users["teacher"], Action.GRADE, semester_instance=world["i"], module=world["om"])
    check_access(users["teacher"], Action.GRADE, semester_instance=world["i"], module=world["m"])


@pytest.mark.parametrize("role,allowed", [("direction", True), ("secretariat", False), ("teacher", False),
                                          ("jury", False), ("student", False)])
def test_only_the_direction_locks_a_semester(users, world, role, allowed):
    assert can(users[role], Action.LOCK, semester_instance=world["i"]) is allowed

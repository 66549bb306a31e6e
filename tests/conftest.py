"""Shared fixtures: users per role, and a small programme + semester instance factory.

    make_user(Role.TEACHER, "prof")            -> a user in that role (password "pw")
    users["secretariat"]                      -> one user per role (direction, secretariat, teacher, jury, student)
    make_programme(number=1, ues=2, modules=2) -> a Programme with one Semester, its UEs, modules and ModuleUE rows
    make_semester_instance(students=3)         -> an open SemesterInstance with enrolled students and groups TD1/TD2
    real_programmes                            -> {code: Programme} of the module's `real_programmes` marker, loaded
                                                  from fixtures/ once per module (tests/real_programmes.py)
The browser tests' shared demo is in tests/shared_demo.py and tests/browser/conftest.py (`demo`).
"""
import sys
from itertools import count

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction

from butgmp.roles import Role
from curriculum.models import (
    Programme,
)
from grading.models import AcademicYear, Enrolment, Group, SemesterInstance, Student
from tests import real_programmes as real
from tests import shared_demo, worlds

PASSWORD = "pw"
_serial = count(1)

LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hash test passwords quickly (PBKDF2 takes half a second per user here)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache (the R2 counts of grading.grade_counts live there)."""
    cache.clear()


@pytest.fixture(scope="module", autouse=True)
def _no_shared_demo_left(request):
    """Flush the browser tests' committed demo (tests/shared_demo.py) before a module that does not use it."""
    if shared_demo.state.committed and request.node.get_closest_marker("shared_demo") is None:
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            shared_demo.remove()


@pytest.fixture(scope="module", autouse=True)
def _real_programmes_of_the_module(request):
    """Load the programmes named by the module's `real_programmes` marker once, before its first test, in a
    transaction that its tests' own transactions nest in and that is rolled back after its last test."""
    marker = request.node.get_closest_marker("real_programmes")
    if marker is None:
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    codes = tuple(marker.args)
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
        try:
            real.load(codes)
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield codes
    with blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def real_programmes(_real_programmes_of_the_module, db) -> dict[str, Programme]:
    """The module's real programmes by code, loaded again inside this test if a transactional test flushed them."""
    codes = _real_programmes_of_the_module
    if codes is None:
        pytest.fail("real_programmes: mark the module with pytest.mark.real_programmes(CODE, …)")
    programmes = real.loaded(codes)
    if programmes is None:
        real.load(codes)
        programmes = real.loaded(codes)
    return programmes


@pytest.fixture
def make_user(db):
    def make(role: str | None = None, username: str | None = None, **fields) -> User:
        username = username or f"user{next(_serial)}"
        user = User.objects.create_user(username=username, password=PASSWORD, **fields)
        if role:
            user.groups.add(AuthGroup.objects.get_or_create(name=role)[0])
        return user

    return make


@pytest.fixture
def users(make_user):
    return {
        "direction": make_user(Role.DIRECTION, "direction", first_name="Dora", last_name="Directrice"),
        "secretariat": make_user(Role.SECRETARIAT, "secretariat", first_name="Sacha", last_name="Secrétaire"),
        "teacher": make_user(Role.TEACHER, "enseignant", first_name="Eric", last_name="Enseignant"),
        "jury": make_user(Role.JURY, "jury", first_name="Jules", last_name="Juré"),
        "student": make_user(Role.STUDENT, "etudiant", first_name="Emma", last_name="Étudiante"),
    }


@pytest.fixture
def make_programme(db):
    """Build a programme with one semester: `ues` UEs (competences C1…), `modules` resources feeding every UE."""

    def make(*, number: int = 1, ues: int = 2, modules: int = 2, code: str | None = None) -> Programme:
        level = (number + 1) // 2
        reference = worlds.reference(competences={f"C{i}": (f"Compétence {i}", f"Compétence {i}")
                                                  for i in range(1, ues + 1)},
                                     levels=(level,), label="{code} niveau {level}")
        codes = [f"R{number}.{j:02d}" for j in range(1, modules + 1)]
        semester = {
            "modules": {module: ("resource", worlds.NO_HOURS, f"Ressource {j}") for j, module in enumerate(codes, 1)},
            "ues": [(f"UE{number}.{i}", f"C{i}", level, 15, [(module, 2, worlds.NO_HOURS) for module in codes])
                    for i in range(1, ues + 1)],
        }
        return worlds.build_programme({number: semester}, levels=reference["levels"],
                                      code=code or f"test-{next(_serial)}")

    return make


@pytest.fixture
def make_semester_instance(make_programme):
    """Open a semester of a (new) programme and enrol `students` students, split between groups TD1 and TD2."""

    def make(*, programme: Programme | None = None, number: int = 1, students: int = 3, start_year: int = 2025,
             label: str = "") -> SemesterInstance:
        programme = programme or make_programme(number=number)
        semester = programme.semesters.get(number=number)
        year, _ = AcademicYear.objects.get_or_create(start_year=start_year)
        instance = SemesterInstance.objects.create(semester=semester, academic_year=year, label=label)
        groups = [Group.objects.create(semester_instance=instance, name=n) for n in ("TD1", "TD2")]
        for i in range(students):
            serial = next(_serial)
            student = Student.objects.create(ine=f"{serial:09d}AB", last_name=LAST_NAMES[i % len(LAST_NAMES)],
                                             first_name=f"Prénom{i + 1}")
            enrolment = Enrolment.objects.create(student=student, semester_instance=instance,
                                                 parcours=programme.parcours)
            enrolment.groups.add(groups[i % 2])
        return instance

    return make

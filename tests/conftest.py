"""Shared fixtures: users per role, and a small programme + semester instance factory.

    make_user(Role.TEACHER, "prof")            -> a user in that role (password "pw")
    users["secretariat"]                      -> one user per role (direction, secretariat, teacher, jury, student)
    make_programme(number=1, ues=2, modules=2) -> a Programme with one Semester, its UEs, modules and ModuleUE rows
    make_semester_instance(students=3)         -> an open SemesterInstance with enrolled students and groups TD1/TD2
"""
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.core.cache import cache

from butgmp.roles import Role
from curriculum.models import (
    UE,
    Competence,
    CompetenceLevel,
    Modality,
    Module,
    ModuleKind,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)
from grading.models import AcademicYear, Enrolment, Group, SemesterInstance, Student

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


@pytest.fixture(autouse=True)
def _jury_every_promotion(request):
    """The tests' jury member sits for every promotion (the department's choice), unless a test assigns them
    (the access sweep turns the choice off)."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or marker:
        request.getfixturevalue("db")
    else:
        return
    from grading.models import AccessPolicy
    AccessPolicy.objects.update_or_create(pk=1, defaults={"jury_every_promotion": True})


@pytest.fixture
def make_programme(db):
    """Build a programme with one semester: `ues` UEs (competences C1…), `modules` resources feeding every UE."""

    def make(*, number: int = 1, ues: int = 2, modules: int = 2, code: str | None = None) -> Programme:
        code = code or f"test-{next(_serial)}"
        speciality, _ = Speciality.objects.get_or_create(code="GMP", defaults={"name": "Génie mécanique"})
        parcours, _ = Parcours.objects.get_or_create(speciality=speciality, code="MPI",
                                                     defaults={"name": "Management de process industriel"})
        programme = Programme.objects.create(code=code, title=f"Programme {code}", iut="IUT de test",
                                             speciality=speciality, parcours=parcours, modality=Modality.INITIAL,
                                             first_year=2022)
        semester = Semester.objects.create(programme=programme, number=number)
        level = (number + 1) // 2
        ue_rows = []
        for i in range(1, ues + 1):
            competence, _ = Competence.objects.get_or_create(
                speciality=speciality, code=f"C{i}",
                defaults={"number": i, "short_name": f"Compétence {i}", "name": f"Compétence {i}"})
            competence_level, _ = CompetenceLevel.objects.get_or_create(
                competence=competence, level=level, defaults={"label": f"C{i} niveau {level}"})
            ue_rows.append(UE.objects.create(semester=semester, code=f"UE{number}.{i}", order=i,
                                             competence_level=competence_level, ects=Decimal("15")))
        for j in range(1, modules + 1):
            module = Module.objects.create(semester=semester, code=f"R{number}.{j:02d}", title=f"Ressource {j}",
                                           kind=ModuleKind.RESOURCE, order=j)
            for ue in ue_rows:
                ModuleUE.objects.create(module=module, ue=ue, coefficient=Decimal("2"))
        return programme

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

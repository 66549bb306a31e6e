"""The one builder of test programmes (speciality, parcours, competences and their levels, semesters, modules, UEs
and the coefficient matrix), with the ORM, independent of the YAML fixtures.

`reference` gets or creates the GMP speciality, the MPI parcours and the competences asked for; `build_programme`
takes a compact description of the semesters:

    {3: {"modules": {"R3.01": "resource", "SAE3.01": ("sae", (0, 0, 4, 20))},
         "ues": [("UE3.1", "C1", 2, 15, [("R3.01", 2, (1.5, 10, 4, 0)), ("SAE3.01", None, (0, 0, 4, 20))])]}}

a module is its kind, or (kind, (cm, td, tp, project)) to give its own hours, or (kind, hours, title); a UE is
(code, competence, level, ects, rows) or the same with its title last; a row is (module, coefficient, hours).
Built on it: `small_programme` and `semester_instance` (the fixtures `make_programme`, `make_semester_instance` of
tests/conftest.py), the curriculum tests' `build_programme` (tests/curriculum/conftest.py) and the students' BUT1
year (tests/portal/students_world.py). `user` and `role_users` make the accounts (fixtures `make_user`, `users`);
`module_transaction` holds what a module-scoped fixture builds for its module's tests.
"""
from contextlib import contextmanager
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.db import transaction

from butgmp.roles import Role
from curriculum.models import (
    UE,
    Competence,
    CompetenceLevel,
    HoursMode,
    Modality,
    Module,
    ModuleUE,
    Parcours,
    Programme,
    Semester,
    Speciality,
)
from grading.models import AcademicYear, Enrolment, Group, SemesterInstance, Student

NO_HOURS = (0, 0, 0, 0)
PASSWORD = "pw"
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
              "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"]
_serial = count(1)


def d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def hours(values) -> dict:
    cm, td, tp, project = (d(v) for v in values)
    return {"cm": cm, "td": td, "tp": tp, "project": project}


def reference(*, competences: dict[str, tuple[str, str]], levels=(1, 2, 3), parcours_competences=(),
              label: str = "{short_name} niveau {level}") -> dict:
    """Get or create the speciality GMP, the parcours MPI and `competences` {code: (short name, name)} numbered in
    order, each at `levels` (labelled by `label`, a format of code, short_name and level); those of
    `parcours_competences` belong to MPI. Return {"speciality", "parcours", "levels": {(code, level): level row}}."""
    speciality, _ = Speciality.objects.get_or_create(code="GMP", defaults={"name": "Génie mécanique et productique"})
    parcours, _ = Parcours.objects.get_or_create(speciality=speciality, code="MPI",
                                                 defaults={"name": "Management de process industriel"})
    found = {}
    for number, (code, (short_name, name)) in enumerate(competences.items(), start=1):
        competence, _ = Competence.objects.get_or_create(speciality=speciality, code=code, defaults={
            "number": number, "short_name": short_name, "name": name,
            "parcours": parcours if code in parcours_competences else None})
        for level in levels:
            found[(code, level)], _ = CompetenceLevel.objects.get_or_create(
                competence=competence, level=level,
                defaults={"label": label.format(code=code, short_name=short_name, level=level)})
    return {"speciality": speciality, "parcours": parcours, "levels": found}


def build_programme(semesters: dict, *, levels: dict, code: str, title: str | None = None, iut: str = "IUT de test",
                    modality: str = Modality.INITIAL, first_year: int = 2022, hours_mode: str = HoursMode.SPLIT,
                    notes: str = "", ue_notes: dict | None = None, evaluation_type: str = "") -> Programme:
    """Create the programme `code` and its `semesters` (the description above) on the competence `levels` of
    `reference`; every module gets `evaluation_type`."""
    speciality = next(iter(levels.values())).competence.speciality
    parcours = speciality.parcours.get(code="MPI")
    programme = Programme.objects.create(
        code=code, title=title or f"Programme {code}", iut=iut, speciality=speciality, parcours=parcours,
        modality=modality, first_year=first_year, hours_mode=hours_mode, notes=notes)
    for number, spec in semesters.items():
        semester = Semester.objects.create(programme=programme, number=number)
        modules = {}
        for order, (module_code, kind) in enumerate(spec["modules"].items(), start=1):
            kind, own, module_title = (kind, NO_HOURS, None) if isinstance(kind, str) else (*kind, None)[:3]
            modules[module_code] = Module.objects.create(
                semester=semester, code=module_code, title=module_title or f"Module {module_code}", kind=kind,
                order=order, evaluation_type=evaluation_type, **hours(own))
        for order, (ue_code, competence, level, ects, rows, *ue_title) in enumerate(spec["ues"], start=1):
            ue = UE.objects.create(semester=semester, code=ue_code, title=ue_title[0] if ue_title else "",
                                   order=order, ects=d(ects), competence_level=levels[(competence, level)],
                                   notes=(ue_notes or {}).get(ue_code, ""))
            for module_code, coefficient, row_hours in rows:
                ModuleUE.objects.create(module=modules[module_code], ue=ue, coefficient=d(coefficient),
                                        **hours(row_hours))
    return programme


def small_programme(*, number: int = 1, ues: int = 2, modules: int = 2, code: str | None = None) -> Programme:
    """A programme with one semester: `ues` UEs (competences C1…, 15 ECTS), `modules` resources R<n>.01…
    ("Ressource 1"…) weighing 2 in every UE."""
    level = (number + 1) // 2
    levels = reference(competences={f"C{i}": (f"Compétence {i}", f"Compétence {i}") for i in range(1, ues + 1)},
                       levels=(level,), label="{code} niveau {level}")["levels"]
    codes = [f"R{number}.{j:02d}" for j in range(1, modules + 1)]
    semester = {
        "modules": {module: ("resource", NO_HOURS, f"Ressource {j}") for j, module in enumerate(codes, start=1)},
        "ues": [(f"UE{number}.{i}", f"C{i}", level, 15, [(module, 2, NO_HOURS) for module in codes])
                for i in range(1, ues + 1)],
    }
    return build_programme({number: semester}, levels=levels, code=code or f"test-{next(_serial)}")


def semester_instance(*, programme: Programme | None = None, number: int = 1, students: int = 3,
                      start_year: int = 2025, label: str = "") -> SemesterInstance:
    """Open semester `number` of `programme` (a new `small_programme` by default) and enrol `students` students,
    split between groups TD1 and TD2."""
    programme = programme or small_programme(number=number)
    semester = programme.semesters.get(number=number)
    year, _ = AcademicYear.objects.get_or_create(start_year=start_year)
    instance = SemesterInstance.objects.create(semester=semester, academic_year=year, label=label)
    groups = [Group.objects.create(semester_instance=instance, name=n) for n in ("TD1", "TD2")]
    for i in range(students):
        serial = next(_serial)
        student = Student.objects.create(ine=f"{serial:09d}AB", last_name=LAST_NAMES[i % len(LAST_NAMES)],
                                         first_name=f"Prénom{i + 1}")
        enrolment = Enrolment.objects.create(student=student, semester_instance=instance, parcours=programme.parcours)
        enrolment.groups.add(groups[i % 2])
    return instance


def user(role: str | None = None, username: str | None = None, **fields) -> User:
    """A user (password PASSWORD) in the group of `role`."""
    username = username or f"user{next(_serial)}"
    created = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if role:
        created.groups.add(AuthGroup.objects.get_or_create(name=role)[0])
    return created


def role_users() -> dict[str, User]:
    """One user per role: direction, secretariat, teacher (login `enseignant`), jury, student (`etudiant`)."""
    return {
        "direction": user(Role.DIRECTION, "direction", first_name="Dora", last_name="Directrice"),
        "secretariat": user(Role.SECRETARIAT, "secretariat", first_name="Sacha", last_name="Secrétaire"),
        "teacher": user(Role.TEACHER, "enseignant", first_name="Eric", last_name="Enseignant"),
        "jury": user(Role.JURY, "jury", first_name="Jules", last_name="Juré"),
        "student": user(Role.STUDENT, "etudiant", first_name="Emma", last_name="Étudiante"),
    }


@contextmanager
def module_transaction(blocker):
    """Hold a transaction for a module-scoped fixture (`blocker`: pytest-django's django_db_blocker): what is built
    inside it is seen by the module's tests, whose own transactions nest in it, and rolled back after them."""
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
    try:
        yield
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

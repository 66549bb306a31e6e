"""Small programmes built with the ORM, independent of the YAML fixtures.

`build_programme` takes a compact description:
    {3: {"modules": {"R3.01": "resource", "SAE3.01": "sae"},
         "ues": [("UE3.1", "C1", 2, 15, [("R3.01", 2, (1.5, 10, 4, 0)), ("SAE3.01", None, (0, 0, 4, 20))])]}}
a module kind may be a (kind, (cm, td, tp, project)) pair to give the module's own hours.
"""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User

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
from tests.curriculum.specs import SMALL

COMMON = ("C1", "C2", "C3", "C4")


def d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _hours(values) -> dict:
    cm, td, tp, project = (d(v) for v in values)
    return {"cm": cm, "td": td, "tp": tp, "project": project}


@pytest.fixture
def reference(db):
    speciality = Speciality.objects.create(code="GMP", name="Génie mécanique et productique")
    parcours = Parcours.objects.create(speciality=speciality, code="MPI", name="Management de process industriel")
    levels = {}
    for number, code in enumerate((*COMMON, "MPI"), start=1):
        competence = Competence.objects.create(
            speciality=speciality, code=code, number=number, short_name=f"Compétence {code}", name=f"Intitulé {code}",
            parcours=parcours if code == "MPI" else None)
        for level in (1, 2, 3):
            levels[(code, level)] = CompetenceLevel.objects.create(
                competence=competence, level=level, label=f"{code} niveau {level}")
    return {"speciality": speciality, "parcours": parcours, "levels": levels}


@pytest.fixture
def build_programme(reference):
    def build(semesters: dict, *, code: str = "test-mpi", hours_mode: str = HoursMode.SPLIT, notes: str = "",
              ue_notes: dict | None = None) -> Programme:
        programme = Programme.objects.create(
            code=code, title=f"Programme {code}", iut="IUT de test", speciality=reference["speciality"],
            parcours=reference["parcours"], modality=Modality.WORK_STUDY, first_year=2022, hours_mode=hours_mode,
            notes=notes)
        for number, spec in semesters.items():
            semester = Semester.objects.create(programme=programme, number=number)
            modules = {}
            for order, (module_code, kind) in enumerate(spec["modules"].items()):
                kind, own = kind if isinstance(kind, tuple) else (kind, (0, 0, 0, 0))
                modules[module_code] = Module.objects.create(
                    semester=semester, code=module_code, title=f"Module {module_code}", kind=kind, order=order,
                    evaluation_type="CC", **_hours(own))
            for order, (ue_code, competence, level, ects, rows) in enumerate(spec["ues"]):
                ue = UE.objects.create(semester=semester, code=ue_code, order=order, ects=d(ects),
                                       competence_level=reference["levels"][(competence, level)],
                                       notes=(ue_notes or {}).get(ue_code, ""))
                for module_code, coefficient, hours in rows:
                    ModuleUE.objects.create(module=modules[module_code], ue=ue, coefficient=d(coefficient),
                                            **_hours(hours))
        return programme
    return build


@pytest.fixture
def small_programme(build_programme):
    return build_programme(SMALL, notes="Ligne « TOTAL UE3.2 » : écart de test.",
                           ue_notes={"UE3.1": "Remarque de test sur UE3.1."})


@pytest.fixture
def user_with_role(db):
    def make(role: str) -> User:
        user = User.objects.create_user(username=f"user-{role}", password="pw")
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user
    return make


@pytest.fixture
def direction(client, user_with_role):
    """Dora Directrice (Direction), logged in with `client`."""
    user = user_with_role(Role.DIRECTION)
    user.first_name, user.last_name = "Dora", "Directrice"
    user.save()
    client.force_login(user)
    return user

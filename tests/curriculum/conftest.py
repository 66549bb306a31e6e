"""Small programmes built with the ORM, independent of the YAML fixtures: `build_programme` takes the compact
description of tests/worlds.py, on a reference of competences C1…C4 and MPI at levels 1 to 3.
"""
import pytest
from django.contrib.auth.models import User

from butgmp.roles import Role
from curriculum.models import HoursMode, Modality, Programme
from tests import worlds
from tests.curriculum.specs import SMALL

COMMON = ("C1", "C2", "C3", "C4")


@pytest.fixture
def reference(db):
    return worlds.reference(competences={code: (f"Compétence {code}", f"Intitulé {code}") for code in (*COMMON, "MPI")},
                            parcours_competences=("MPI",), label="{code} niveau {level}")


@pytest.fixture
def build_programme(reference):
    def build(semesters: dict, *, code: str = "test-mpi", hours_mode: str = HoursMode.SPLIT, notes: str = "",
              ue_notes: dict | None = None) -> Programme:
        return worlds.build_programme(semesters, levels=reference["levels"], code=code, modality=Modality.WORK_STUDY,
                                      hours_mode=hours_mode, notes=notes, ue_notes=ue_notes, evaluation_type="CC")
    return build


@pytest.fixture
def small_programme(build_programme):
    return build_programme(SMALL, notes="Ligne « TOTAL UE3.2 » : écart de test.",
                           ue_notes={"UE3.1": "Remarque de test sur UE3.1."})


@pytest.fixture
def user_with_role(make_user):
    def make(role: str) -> User:
        return make_user(role, f"user-{role}")
    return make


@pytest.fixture
def direction(client, user_with_role):
    """Dora Directrice (Direction), logged in with `client`."""
    user = user_with_role(Role.DIRECTION)
    user.first_name, user.last_name = "Dora", "Directrice"
    user.save()
    client.force_login(user)
    return user

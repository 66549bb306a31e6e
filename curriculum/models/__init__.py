"""Reference data: the BUT GMP speciality, its competences, and each IUT's programmes.

One module per concern: the national reference (`reference`), the programmes and their coefficient matrix
(`programmes`), their Apogée codes (`apogee`), the journals of their changes (`changes`). Every model is imported
here, so `from curriculum.models import X` is the one way to import them (Django finds an app's models here).
"""
# Not sorted: the models register in the order they were declared (and the migrations were written).
from curriculum.models.reference import (  # noqa: I001
    Competence,
    CompetenceBlock,
    CompetenceLevel,
    CriticalLearning,
    Parcours,
    Speciality,
)
from curriculum.models.programmes import (
    SAE_POLE_KINDS,
    HoursMode,
    Modality,
    Module,
    ModuleKind,
    ModuleUE,
    Programme,
    Semester,
    UE,
)
from curriculum.models.apogee import ApogeeRcue, ApogeeYear
from curriculum.models.changes import ProgrammeChange, ReferenceChange

__all__ = [
    "SAE_POLE_KINDS", "UE", "ApogeeRcue", "ApogeeYear", "Competence", "CompetenceBlock", "CompetenceLevel",
    "CriticalLearning", "HoursMode", "Modality", "Module", "ModuleKind", "ModuleUE", "Parcours", "Programme",
    "ProgrammeChange", "ReferenceChange", "Semester", "Speciality",
]

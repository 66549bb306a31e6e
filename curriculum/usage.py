"""What grading knows about a programme, reached without importing grading: which semester instances run it
(and whether a jury has locked them), and what an edit of its matrix would change for their students.

Why a dependency inversion: `curriculum` owns reference data and must never import `grading` (house style,
`tests/curriculum/test_layering.py`), yet editing a programme depends on grading-side facts. Reverse relations
(`Semester.instances`) would avoid the import but tie curriculum to grading's field names and could not compute
an impact (that needs the loaders and the engine). So curriculum states the contract here — the plain
dataclasses below and two settings naming the callables that fulfil it — and grading implements it
(`grading/programme_impact.py`):

    PROGRAMME_INSTANCES = "grading.programme_impact.programme_instances"  # (programme_id) -> list[InstanceUse]
    PROGRAMME_IMPACT = "grading.programme_impact.impact"                  # (MatrixProposal) -> ImpactReport

Without these settings (curriculum alone), a programme has no instances and no impact.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class InstanceUse:
    """One semester instance running a semester of the programme."""

    id: int
    semester_number: int
    label: str  # e.g. "S3 dijon-mpi-alternance-2022 2025-2026"
    academic_year: str  # e.g. "2025-2026"
    start_year: int  # e.g. 2025
    is_locked: bool
    students: int  # enrolments, whatever their status


@dataclass(frozen=True)
class ProposedUE:
    """A UE of the edited semester as it would be after the edit."""

    code: str
    competence: str
    level: int
    ects: Decimal
    rcue_coefficient: Decimal
    parcours: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProposedModule:
    """A module of the edited semester after the edit, with its known coefficients (UE code -> coefficient)."""

    code: str
    kind: str
    coefficients: Mapping[str, Decimal]


@dataclass(frozen=True)
class MatrixProposal:
    """The whole edited semester of a programme, as it would be after the edit (nothing saved)."""

    programme_id: int
    semester_number: int
    ues: tuple[ProposedUE, ...]
    modules: tuple[ProposedModule, ...]
    removed_ue_codes: frozenset[str] = frozenset()
    removed_module_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StudentImpact:
    id: int
    name: str
    changes: tuple[str, ...]  # French lines, e.g. "UE1.1 : ADM → AJ", "année 1 : PASD → ADM"


@dataclass(frozen=True)
class InstanceImpact:
    instance: InstanceUse
    students: int  # students enrolled
    ue_code_changed: int  # students for whom a UE code of this semester would change
    year_changed: int  # students whose proposed year decision would change
    changed: int  # students with either change
    details: tuple[StudentImpact, ...] = ()


@dataclass(frozen=True)
class ImpactReport:
    instances: tuple[InstanceImpact, ...]
    students: int = 0  # distinct students over the instances (a student of S3 and S4 counts once)
    changed: int = 0  # distinct students for whom a UE code or a proposed year decision would change
    error: str = ""  # the engine could not compute (shown instead of figures)


def _callable(setting: str):
    path = getattr(settings, setting, "")
    return import_string(path) if path else None


def programme_instances(programme_id: int) -> list[InstanceUse]:
    """Return the semester instances running the programme (none when grading is not wired in)."""
    function = _callable("PROGRAMME_INSTANCES")
    return list(function(programme_id)) if function else []


def locked_instances(programme_id: int) -> list[InstanceUse]:
    """Return the instances of the programme a jury has locked: any one of them freezes the programme."""
    return [use for use in programme_instances(programme_id) if use.is_locked]


def programme_impact(proposal: MatrixProposal) -> ImpactReport:
    """Return what the proposed matrix would change for the students of the programme's instances."""
    function = _callable("PROGRAMME_IMPACT")
    return function(proposal) if function else ImpactReport(instances=())

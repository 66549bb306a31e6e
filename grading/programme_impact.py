"""Grading's side of `curriculum.usage`: the semester instances of a programme, and what an edit of its
coefficient matrix would change for their students.

The impact is computed by the engine on a copy of the matrix, never by saving: the cohort of every instance
of the programme is loaded once (`load_year`), the engine's `CohortInput` is rebuilt with the edited
`UEDef`/`ModuleDef` values (`dataclasses.replace`), and the two `compute` results are compared student by
student: the UE codes of the instance's passage and the proposed decision of its year (R16).
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from types import MappingProxyType

from django.db.models import Count

from curriculum.usage import (
    ImpactReport,
    InstanceImpact,
    InstanceUse,
    MatrixProposal,
    StudentImpact,
)
from grading.engine import compute
from grading.engine.types import CohortInput, CohortResult, ModuleDef, StudentResult, UEDef
from grading.loaders import load_year
from grading.models import Enrolment, SemesterInstance

logger = logging.getLogger(__name__)

ENGINE_FAILED = "Le moteur n'a pas pu calculer l'impact : {error}"
NO_CODE = "—"


def _instances(programme_id: int) -> list[SemesterInstance]:
    return list(SemesterInstance.objects.filter(semester__programme_id=programme_id)
                .named()
                .annotate(student_count=Count("enrolments"))
                .order_by("academic_year__start_year", "semester__number", "label"))


def _use(instance: SemesterInstance) -> InstanceUse:
    return InstanceUse(id=instance.pk, semester_number=instance.semester.number, label=str(instance),
                       academic_year=str(instance.academic_year), start_year=instance.academic_year.start_year,
                       is_locked=instance.is_locked,
                       students=instance.student_count)


def programme_instances(programme_id: int) -> list[InstanceUse]:
    """Return the semester instances of a programme, with their lock and their number of students (1 query)."""
    return [_use(instance) for instance in _instances(programme_id)]


def edited_cohort(cohort: CohortInput, proposal: MatrixProposal) -> CohortInput:
    """Return a copy of the cohort's input whose semester matrix is the proposed one (the cohort is unchanged)."""
    number = proposal.semester_number
    ues = {code: ue for code, ue in cohort.ues.items() if code not in proposal.removed_ue_codes}
    for proposed in proposal.ues:
        base = ues.get(proposed.code)
        if base is not None and base.semester == number:
            ues[proposed.code] = replace(base, ects=proposed.ects, rcue_coef=proposed.rcue_coefficient)
        else:
            ues[proposed.code] = UEDef(code=proposed.code, semester=number, competence=proposed.competence,
                                       level=proposed.level, ects=proposed.ects,
                                       rcue_coef=proposed.rcue_coefficient, parcours=proposed.parcours)
    modules = {code: m for code, m in cohort.modules.items() if code not in proposal.removed_module_codes}
    for proposed in proposal.modules:
        coefficients = MappingProxyType(dict(proposed.coefficients))
        base = modules.get(proposed.code)
        if base is not None and base.semester == number:
            modules[proposed.code] = replace(base, coefficients=coefficients)
        else:
            modules[proposed.code] = ModuleDef(code=proposed.code, semester=number, kind=proposed.kind,
                                               coefficients=coefficients)
    return replace(cohort, ues=ues, modules=modules)


def _ue_codes(result: StudentResult | None, run) -> dict[str, str | None]:
    if result is None:
        return {}
    return {code: ue.decision for p in result.passages if p.run == run for code, ue in p.ues.items()}


def _year(result: StudentResult | None, year: int) -> str | None:
    return result.year_proposals.get(year) if result is not None else None


def _compare(before: CohortResult, after: CohortResult, use: InstanceUse,
             students: list[tuple[int, str]]) -> InstanceImpact:
    year = (use.semester_number + 1) // 2
    ue_changed = year_changed = 0
    details = []
    for student_id, name in students:
        old, new = before.students.get(student_id), after.students.get(student_id)
        old_codes, new_codes = _ue_codes(old, use.id), _ue_codes(new, use.id)
        lines = [f"{code} : {old_codes.get(code) or NO_CODE} → {new_codes.get(code) or NO_CODE}"
                 for code in sorted(set(old_codes) | set(new_codes)) if old_codes.get(code) != new_codes.get(code)]
        ue_changed += bool(lines)
        old_year, new_year = _year(old, year), _year(new, year)
        if old_year != new_year:
            year_changed += 1
            lines.append(f"année {year} : {old_year or NO_CODE} → {new_year or NO_CODE}")
        if lines:
            details.append(StudentImpact(id=student_id, name=name, changes=tuple(lines)))
    return InstanceImpact(instance=use, students=len(students), ue_code_changed=ue_changed,
                          year_changed=year_changed, changed=len(details), details=tuple(details))


def impact(proposal: MatrixProposal) -> ImpactReport:
    """Return, for each instance of the programme, how many students' UE codes or year proposal would change."""
    instances = _instances(proposal.programme_id)
    if not instances:
        return ImpactReport(instances=())
    students = defaultdict(list)  # instance id -> [(student id, name)]
    for instance_id, student_id, last_name, first_name in (
            Enrolment.objects.filter(semester_instance__in=instances)
            .order_by("student__last_name", "student__first_name", "student__ine")
            .values_list("semester_instance_id", "student_id", "student__last_name", "student__first_name")):
        students[instance_id].append((student_id, f"{last_name.upper()} {first_name}"))
    uses = [_use(instance) for instance in instances]
    everyone = {student_id for listed in students.values() for student_id, _ in listed}
    try:
        cohort = load_year(semester_instances=instances)
        before, after = compute(cohort, explain=False), compute(edited_cohort(cohort, proposal), explain=False)
    except Exception as exc:  # the edit must stay possible: show why the figures are missing, log it
        logger.exception("Impact of a programme edit failed (programme %s)", proposal.programme_id)
        empty = tuple(InstanceImpact(instance=use, students=len(students[use.id]), ue_code_changed=0,
                                     year_changed=0, changed=0) for use in uses)
        return ImpactReport(instances=empty, students=len(everyone), error=ENGINE_FAILED.format(error=exc))
    impacts = tuple(_compare(before, after, use, students[use.id]) for use in uses)
    changed = {student.id for item in impacts for student in item.details}
    return ImpactReport(instances=impacts, students=len(everyone), changed=len(changed))

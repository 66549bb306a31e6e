"""Frozen programmes and their new versions.

A programme some of whose semester instances a jury has locked is frozen: what the jury decided was computed
from its matrix, and averages are always recomputed, so the matrix must never change under them (R19). The
matrix page, the admin and `load_programmes` ask `ensure_editable` before writing. Instead, Direction makes a
new version: a copy with its own code and first academic year, that semester instances opened from that year
on use; the old instances keep pointing at the version they ran with.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from curriculum import audit
from curriculum.access import may_edit_programmes
from curriculum.errors import FROZEN, VERSION_CODE_TAKEN, EditRefused, ProgrammeFrozen, locked_semesters_text
from curriculum.models import UE, ApogeeRcue, ApogeeYear, Module, ModuleUE, Programme, Semester
from curriculum.selectors import programme_queryset
from curriculum.usage import locked_instances


def locked_semester_labels(programme_id: int) -> list[str]:
    """Return "S1 2025-2026"-like labels of the programme's locked instances (empty: not frozen)."""
    labels = []
    for use in locked_instances(programme_id):
        label = f"S{use.semester_number} {use.academic_year}"
        if label not in labels:
            labels.append(label)
    return labels


def frozen_message(*, programme_id: int, code: str) -> str:
    """Return why the programme cannot change, or "" when it can."""
    labels = locked_semester_labels(programme_id)
    if not labels:
        return ""
    return FROZEN.format(programme=code, semesters=locked_semesters_text(labels))


def ensure_editable(programme: Programme) -> None:
    """Raise ProgrammeFrozen when a jury has locked one of the programme's semester instances."""
    message = frozen_message(programme_id=programme.pk, code=programme.code)
    if message:
        raise ProgrammeFrozen(message)


def replacement_for(programme: Programme, start_year: int) -> Programme | None:
    """Return the latest version replacing `programme` for semesters opened in `start_year`, or None."""
    found = None
    current = programme
    while True:
        later = (Programme.objects.filter(previous_version=current, first_year__lte=start_year)
                 .order_by("-first_year", "-id").first())
        if later is None:
            return found
        found = current = later


def programme_new_version(*, programme: Programme, code: str, first_year: int, user) -> Programme:
    """Copy a programme (semesters, UEs, modules, coefficients, hours) as a new version; audit both."""
    with transaction.atomic():
        if Programme.objects.filter(code=code).exists():
            raise EditRefused(VERSION_CODE_TAKEN.format(code=code))
        source = programme_queryset().get(pk=programme.pk)
        copy = Programme(
            code=code, title=source.title, iut=source.iut, speciality=source.speciality, parcours=source.parcours,
            modality=source.modality, first_year=first_year, hours_mode=source.hours_mode, source=source.source,
            notes=source.notes, previous_version=source)
        copy.full_clean()
        copy.save()
        _copy_semesters(source, copy)
        audit.record(programme=copy, user=user, source=audit.Source.VERSION, changes=[audit.Change(
            audit.Action.CREATE, code, new=f"nouvelle version de {source.code}, à partir de {first_year}")])
        audit.record(programme=source, user=user, source=audit.Source.VERSION, changes=[audit.Change(
            audit.Action.UPDATE, source.code, field="nouvelle version", new=f"{code} (à partir de {first_year})")])
    return copy


def _copy_semesters(source: Programme, copy: Programme) -> None:
    """Copy the prefetched semesters of `source` into `copy` with bulk inserts (a fixed number of queries)."""
    old_semesters = list(source.semesters.all())
    new_semesters = Semester.objects.bulk_create(
        [Semester(programme=copy, number=s.number, notes=s.notes, apogee_code=s.apogee_code) for s in old_semesters])
    semester_of = {old.pk: new for old, new in zip(old_semesters, new_semesters, strict=True)}

    old_ues = [ue for s in old_semesters for ue in s.ues.all()]
    new_ues = UE.objects.bulk_create([
        UE(semester=semester_of[ue.semester_id], code=ue.code, title=ue.title, competence_level=ue.competence_level,
           ects=ue.ects, rcue_coefficient=ue.rcue_coefficient, order=ue.order, notes=ue.notes,
           apogee_code=ue.apogee_code)
        for ue in old_ues])
    ue_of = {old.pk: new for old, new in zip(old_ues, new_ues, strict=True)}
    UE.parcours.through.objects.bulk_create([
        UE.parcours.through(ue_id=ue_of[ue.pk].pk, parcours_id=parcours.pk)
        for ue in old_ues for parcours in ue.parcours.all()])

    old_modules = [m for s in old_semesters for m in s.modules.all()]
    new_modules = Module.objects.bulk_create([
        Module(semester=semester_of[m.semester_id], code=m.code, title=m.title, kind=m.kind, domain=m.domain,
               domain_coefficient=m.domain_coefficient, code_derived=m.code_derived, cm=m.cm, td=m.td, tp=m.tp,
               project=m.project, evaluation_type=m.evaluation_type, order=m.order, notes=m.notes,
               apogee_code=m.apogee_code)
        for m in old_modules])
    module_of = {old.pk: new for old, new in zip(old_modules, new_modules, strict=True)}
    ModuleUE.objects.bulk_create([
        ModuleUE(module=module_of[m.pk], ue=ue_of[row.ue_id], coefficient=row.coefficient, cm=row.cm, td=row.td,
                 tp=row.tp, project=row.project)
        for m in old_modules for row in m.ue_rows.all()])
    # The Apogée codes follow the copy (Direction changes them on the new version if Apogée has new ones).
    ApogeeYear.objects.bulk_create([ApogeeYear(programme=copy, year=y.year, step=y.step, step_version=y.step_version,
                                               year_element=y.year_element) for y in source.apogee_years.all()])
    ApogeeRcue.objects.bulk_create([ApogeeRcue(programme=copy, competence_level_id=r.competence_level_id, code=r.code)
                                    for r in source.apogee_rcues.all()])


# What the programme page adds for editing: its versions, its instances (locks), its audit.
EDITING_CONTEXT_QUERIES = 3


def editing_context(*, user, programme_id: int, code: str) -> dict:
    """Return what the programme page shows about editing: who may, frozen or not, its versions, its audit."""
    related = list(Programme.objects.filter(Q(pk=programme_id) | Q(previous_version_id=programme_id))
                   .order_by("first_year", "code").values("pk", "code", "first_year", "previous_version__code"))
    return {
        "may_edit_programme": may_edit_programmes(user),
        "frozen": frozen_message(programme_id=programme_id, code=code),
        "previous_version": next((p["previous_version__code"] for p in related if p["pk"] == programme_id), None),
        "later_versions": [p for p in related if p["pk"] != programme_id],
        "programme_changes": audit.programme_changes(programme_id=programme_id),
    }

"""The one builder of test programmes (speciality, parcours, competences and their levels, semesters, modules, UEs
and the coefficient matrix), with the ORM, independent of the YAML fixtures.

`reference` gets or creates the GMP speciality, the MPI parcours and the competences asked for; `build_programme`
takes a compact description of the semesters:

    {3: {"modules": {"R3.01": "resource", "SAE3.01": ("sae", (0, 0, 4, 20))},
         "ues": [("UE3.1", "C1", 2, 15, [("R3.01", 2, (1.5, 10, 4, 0)), ("SAE3.01", None, (0, 0, 4, 20))])]}}

a module is its kind, or (kind, (cm, td, tp, project)) to give its own hours, or (kind, hours, title); a UE is
(code, competence, level, ects, rows) or the same with its title last; a row is (module, coefficient, hours).
The worlds built on it: `make_programme` and `make_semester_instance` (tests/conftest.py), the curriculum tests'
`build_programme` (tests/curriculum/conftest.py) and the students' BUT1 year (tests/students/students_world.py).
"""
from decimal import Decimal

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

NO_HOURS = (0, 0, 0, 0)


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

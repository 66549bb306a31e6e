"""`run_scenario --keep`: write one scenario into the database for good, to see it in the real pages.

The scenario is built by the runner's own builder (`grading.scenarios.run`), then named after its file so that
it cannot collide with the programmes, students or other kept scenarios already there: programme
`scenario-<file>` (then `-2`, `-3`… if kept again), speciality `SCN<id>`, INEs `SC<programme id><n>`.
"""
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from curriculum.models import Programme
from grading.models import SemesterInstance, Student
from grading.scenarios.run import SCENARIO_SPECIALITY, ScenarioError, _build, read_scenario

NO_ATTENDANCE = ("{file} : attendance : un scénario qui règle l'assiduité (R20) ne se garde pas, il réglerait la "
                 "pénalité de tout le département ; lancez-le sans --keep.")

BUILT_PROGRAMME = "scenario"  # the code the builder gives its programme, renamed at once
PASSAGE_PREFIX = "passage "


def keep_scenario_file(path: str) -> dict:
    """Write the scenario for good; return {programme, semester_instances, students} (scenarios.md)."""
    data = read_scenario(path)
    if "attendance" in data:  # the rule is the department's own setting: a kept scenario must not change it
        raise ScenarioError(NO_ATTENDANCE.format(file=path))
    with transaction.atomic():
        names = _build(data)
        programme = Programme.objects.select_related("speciality").get(code=BUILT_PROGRAMME,
                                                                       speciality__code=SCENARIO_SPECIALITY)
        programme.code = _free_code(f"scenario-{slugify(Path(path).stem)}"[:50])
        programme.iut = f"Scénario {Path(path).name}"[:120]
        programme.source = str(path)[:250]
        programme.save(update_fields=["code", "iut", "source"])
        speciality = programme.speciality
        speciality.code = f"SCN{programme.pk}"[:20]
        speciality.name = f"Scénario {Path(path).stem}"[:200]
        speciality.save(update_fields=["code", "name"])
        students = {}
        for index, (student_id, name) in enumerate(sorted(names.items())):
            ine = f"SC{programme.pk:05d}{index:04d}"
            Student.objects.filter(pk=student_id).update(ine=ine)
            students[name] = ine
        rows = list(SemesterInstance.objects.filter(semester__programme=programme).values_list(
            "semester__number", "label", "pk"))
    instances: dict[str, list[int]] = {}
    for number, _label, pk in sorted(rows, key=lambda r: (r[0], _passage_number(r[1]))):
        instances.setdefault(str(number), []).append(pk)
    return {"programme": programme.code, "semester_instances": instances,
            "students": {name: students[name] for name in names.values()}}


def _passage_number(label: str) -> int:
    return int(label.removeprefix(PASSAGE_PREFIX)) if label.startswith(PASSAGE_PREFIX) else 1


def _free_code(base: str) -> str:
    code, n = base, 1
    while Programme.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code

"""A synthetic BUT2 promotion (S3 and S4, four competences) with random grades: tests, benchmarks, demos.

Written in bulk (a 1 000-student promotion takes a few seconds). Options add what a real June jury meets:
a student who left (DEM), an ATT grade, a missing grade (an incomplete evaluation, R2), repeaters.
"""
import random
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.db import transaction

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
from demo.marks import quarter_point
from demo.people import FIRST_NAMES, LAST_NAMES
from grading.engine.codes import EnrolmentStatus, GradeCode
from grading.models import AcademicYear, Enrolment, Evaluation, Grade, Group, SemesterInstance, Student

COMPETENCES = [("C1", "Spécifier"), ("C2", "Développer"), ("C3", "Réaliser"), ("C4", "Exploiter")]

_serial = count(1)


@dataclass
class SyntheticPromotion:
    programme: Programme
    s3: SemesterInstance
    s4: SemesterInstance
    students: list[Student]


@transaction.atomic
def make_promotion(*, students: int, seed: int = 1, start_year: int = 2025, left: int = 0, att: int = 0,
                   missing: int = 0, repeaters: int = 0, mean: float = 11.0) -> SyntheticPromotion:
    """Create a programme's S3–S4 year with `students` students and grades for every evaluation.

    The first `left` students are DEM; the next `att` hold an ATT grade; the next `missing` lack one grade
    (their evaluation is incomplete); the next `repeaters` are marked as repeating.
    """
    rng = random.Random(seed)
    serial = next(_serial)
    speciality, _ = Speciality.objects.get_or_create(code="GMP", defaults={"name": "Génie mécanique et productique"})
    parcours, _ = Parcours.objects.get_or_create(speciality=speciality, code="MPI",
                                                 defaults={"name": "Management de process industriel"})
    programme = Programme.objects.create(
        code=f"promo-{serial}-{seed}-{students}", title=f"BUT GMP parcours MPI (promotion {serial})",
        iut="IUT de démonstration", speciality=speciality, parcours=parcours, modality=Modality.INITIAL,
        first_year=start_year)
    levels = {}
    for number, (code, name) in enumerate(COMPETENCES, start=1):
        competence, _ = Competence.objects.get_or_create(
            speciality=speciality, code=code, defaults={"number": number, "short_name": name, "name": name})
        levels[code], _ = CompetenceLevel.objects.get_or_create(competence=competence, level=2,
                                                                defaults={"label": f"{name} niveau 2"})
    year, _ = AcademicYear.objects.get_or_create(start_year=start_year)
    instances, evaluations = {}, {}
    for number in (3, 4):
        semester = Semester.objects.create(programme=programme, number=number)
        ues = [UE.objects.create(semester=semester, code=f"UE{number}.{i}", order=i, ects=Decimal("7.5"),
                                 competence_level=levels[code], title=f"{name} (S{number})")
               for i, (code, name) in enumerate(COMPETENCES, start=1)]
        modules = [Module.objects.create(semester=semester, code=f"R{number}.{j:02d}", title=f"Ressource {j}",
                                         kind=ModuleKind.RESOURCE, order=j) for j in range(1, 5)]
        modules.append(Module.objects.create(semester=semester, code=f"SAE{number}.01", title="SAÉ", order=5,
                                             kind=ModuleKind.SAE))
        ModuleUE.objects.bulk_create(ModuleUE(module=m, ue=u, coefficient=Decimal(rng.randint(1, 4)))
                                     for m in modules for u in ues)
        instance = SemesterInstance.objects.create(semester=semester, academic_year=year)
        instances[number] = instance
        evaluations[number] = [Evaluation.objects.create(semester_instance=instance, module=m, title=f"DS{k}",
                                                         coefficient=Decimal(k), order=k)
                               for m in modules for k in (1, 2)]
    groups = [Group.objects.create(semester_instance=instances[3], name=name) for name in ("TD1", "TD2")]
    people = Student.objects.bulk_create(
        Student(ine=f"P{serial:03d}{i:07d}", last_name=LAST_NAMES[i % len(LAST_NAMES)],
                first_name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {i + 1}") for i in range(students))
    enrolments = {n: Enrolment.objects.bulk_create(
        Enrolment(student=s, semester_instance=instances[n], parcours=parcours,
                  status=EnrolmentStatus.DEM if i < left and n == 4 else EnrolmentStatus.ENROLLED,
                  is_repeat=left + att + missing <= i < left + att + missing + repeaters)
        for i, s in enumerate(people)) for n in (3, 4)}
    Enrolment.groups.through.objects.bulk_create(
        Enrolment.groups.through(enrolment_id=e.pk, group_id=groups[i % 2].pk) for i, e in enumerate(enrolments[3]))
    grades = []
    for number in (3, 4):
        for i, enrolment in enumerate(enrolments[number]):
            ability = rng.gauss(mean, 2.5)
            for k, evaluation in enumerate(evaluations[number]):
                if left + att <= i < left + att + missing and number == 3 and k == 0:
                    continue  # a missing grade: the evaluation waits (R2)
                code = GradeCode.ATT if left <= i < left + att and number == 4 and k == 0 else ""
                value = None if code else quarter_point(rng.gauss(ability, 3))
                grades.append(Grade(evaluation=evaluation, enrolment=enrolment, value=value, code=code))
    Grade.objects.bulk_create(grades, batch_size=5000)
    return SyntheticPromotion(programme=programme, s3=instances[3], s4=instances[4], students=list(people))

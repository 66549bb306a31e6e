"""Build a benchmark department through the project's own services: a Dijon MPI S3+S4 year, every grade entered.

One department per size: its own academic year, `students` students enrolled in S3 and S4 (groups of 25),
30 evaluations per semester spread over the modules that weigh in a UE, and every grade of both semesters
entered through the spreadsheet-import service (2 % ABS, the rest numbers on the evaluation's maximum).
"""
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from butgmp.roles import Role
from curriculum.models import Module, Programme
from demo.marks import quarter
from grading.models import Enrolment, Evaluation, Group, SemesterInstance
from grading.services.enrolments import StudentRow, students_enrol
from grading.services.evaluations import evaluation_create
from grading.services.grades import grades_import
from grading.services.semesters import semester_instance_create

PROGRAMME = "dijon-mpi-alternance-2022"
EVALUATIONS_PER_SEMESTER = 30
GROUP_SIZE = 25


@dataclass
class Department:
    students: int
    s3: SemesterInstance
    s4: SemesterInstance
    secretariat: User
    student_user: User
    group: Group  # one TD group of 25 in S3
    module: Module  # an S3 module with two evaluations
    evaluation: Evaluation  # its first evaluation


def load_programmes() -> None:
    call_command("load_programmes", verbosity=0, stdout=io.StringIO())


def staff_user(username: str, role: str) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


def free_year(students: int) -> int:
    """Return the academic year of the department of that size a kept database holds, or the first free one."""
    for year in range(2030, 2100):
        held = Enrolment.objects.filter(semester_instance__semester__number=3,
                                        semester_instance__semester__programme__code=PROGRAMME,
                                        semester_instance__academic_year__start_year=year).count()
        if held in (0, students):
            return year
    raise RuntimeError("no free academic year left in the bench database: drop it")


def build(*, students: int, start_year: int, progress=print) -> Department:
    """Create the department of `students` students in the academic year `start_year` (or reuse the one a kept
    database holds already)."""
    rng = random.Random(start_year)
    programme = Programme.objects.get(code=PROGRAMME)
    secretariat = staff_user("bench-secretariat", Role.SECRETARIAT)
    instances = {}
    existing = SemesterInstance.objects.filter(semester__programme=programme, academic_year__start_year=start_year)
    if existing.count() == 2:
        instances = {i.semester.number: i for i in existing.select_related("semester")}
        progress(f"  reusing the department of {start_year} (kept database)")
        return _department(students, instances, secretariat, start_year)
    prefix = f"{start_year % 100:02d}"
    rows = [StudentRow(ine=f"{prefix}{i:08d}B", last_name=f"Nom{i:05d}", first_name=f"Prénom{i}",
                       parcours=programme.parcours, groups=(f"TD{i // GROUP_SIZE + 1:03d}",))
            for i in range(students)]
    for number in (3, 4):
        semester = programme.semesters.get(number=number)
        instance = semester_instance_create(semester=semester, start_year=start_year)
        students_enrol(semester_instance=instance, rows=rows)
        instances[number] = instance
        modules = [m for m in Module.objects.filter(semester=semester).order_by("order", "code")
                   if m.ue_rows.filter(coefficient__gt=0).exists()]
        enrolment_ids = list(Enrolment.objects.filter(semester_instance=instance).order_by("id")
                             .values_list("id", flat=True))
        ability = {e: rng.gauss(11.5, 3) for e in enrolment_ids}
        for k in range(EVALUATIONS_PER_SEMESTER):
            module = modules[k % len(modules)]
            evaluation = evaluation_create(semester_instance=instance, module=module, title=f"Évaluation {k + 1}",
                                           coefficient=Decimal(1 + k % 2), order=k)
            grades = []
            for e in enrolment_ids:
                if rng.random() < 0.02:
                    grades.append((e, "ABS"))
                else:
                    grades.append((e, quarter(rng.gauss(ability[e], 2.5), Decimal("20"))))
            grades_import(evaluation=evaluation, rows=grades, user=secretariat, filename="bench.xlsx")
        progress(f"  S{number} {instance}: {students} students, {EVALUATIONS_PER_SEMESTER} evaluations graded")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum keeps them in production
    return _department(students, instances, secretariat, start_year)


def _department(students: int, instances: dict, secretariat: User, start_year: int) -> Department:
    s3 = instances[3]
    first = Enrolment.objects.filter(semester_instance=s3).order_by("id").first().student
    student_user, _ = User.objects.get_or_create(username=f"bench-student-{start_year}")
    student_user.groups.add(AuthGroup.objects.get(name=Role.STUDENT))
    first.user = student_user
    first.save(update_fields=["user"])
    evaluation = Evaluation.objects.filter(semester_instance=s3).order_by("order").first()
    return Department(students=students, s3=s3, s4=instances[4], secretariat=secretariat, student_user=student_user,
                      group=Group.objects.filter(semester_instance=s3).order_by("name").first(),
                      module=evaluation.module, evaluation=evaluation)

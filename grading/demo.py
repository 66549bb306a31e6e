"""Demo data for `make run`: one user per role and a Dijon MPI year with students and grades.

Created only by `python manage.py load_demo`; never by migrations or the test suite's fixtures.
"""
import random
from decimal import Decimal

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.db import transaction

from butgmp.roles import Role
from curriculum.models import Programme
from grading.engine.codes import GradeCode
from grading.models import (
    AcademicYear,
    Enrolment,
    Evaluation,
    Grade,
    GradeChange,
    Group,
    ModuleResponsible,
    SemesterInstance,
    Student,
)
from grading.validators import grade_display

DEMO_PASSWORD = "demo"
# Demo accounts carry people's names (the pages show names, never logins); the student is the first demo student.
DEMO_USERS = [
    ("direction", "Nicole", "Perrin", Role.DIRECTION),
    ("secretariat", "Sophie", "Gauthier", Role.SECRETARIAT),
    ("enseignant", "Étienne", "Marchal", Role.TEACHER),
    ("jury", "Julien", "Caron", Role.JURY),
    ("etudiant", "Léa", "Bernard", Role.STUDENT),
]
DEMO_PROGRAMME = "dijon-mpi-alternance-2022"
DEMO_YEAR = 2025
LAST_NAMES = ["Bernard", "Dubois", "Durand", "Fontaine", "Garnier", "Girard", "Lambert", "Lefèvre", "Martin",
              "Mercier", "Moreau", "Morel", "Petit", "Robert", "Roux", "Simon", "Thomas", "Vincent", "Bonnet",
              "Chevalier", "Faure", "André", "Rousseau", "Blanc"]
FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Louis", "Emma", "Jules", "Manon", "Lucas", "Inès", "Nathan", "Camille",
               "Théo", "Sarah", "Tom", "Jade", "Enzo", "Lina", "Noah", "Zoé", "Adam", "Anaïs", "Maël", "Clara", "Yanis"]


@transaction.atomic
def load_demo(*, students: int = 24) -> list[str]:
    """Create the demo users and, when the Dijon programme is loaded, a year with grades; return what was done."""
    done = []
    users = {}
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first,
                                                                                 "last_name": last})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.DIRECTION
            user.is_superuser = role == Role.DIRECTION
            user.save()
            done.append(f"utilisateur {username} ({role})")
        elif (user.first_name, user.last_name) != (first, last):
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
            done.append(f"utilisateur {username} : nom mis à jour ({first} {last})")
        user.groups.add(AuthGroup.objects.get(name=role))
        users[role] = user

    programme = Programme.objects.filter(code=DEMO_PROGRAMME).first()
    if programme is None:
        done.append(f"programme {DEMO_PROGRAMME} absent : lancez d'abord load_programmes")
        return done
    year, _ = AcademicYear.objects.get_or_create(start_year=DEMO_YEAR)
    s3 = programme.semesters.get(number=3)
    if SemesterInstance.objects.filter(semester=s3, academic_year=year).exists():
        done.append("données de démonstration déjà présentes")
        return done
    rng = random.Random(2025)
    instance = SemesterInstance.objects.create(semester=s3, academic_year=year)
    s4_instance = SemesterInstance.objects.create(semester=programme.semesters.get(number=4), academic_year=year)
    groups = [Group.objects.create(semester_instance=instance, name=name, kind=Group.Kind.TD) for name in "AB"]
    enrolments = []
    for i in range(students):
        student, _ = Student.objects.get_or_create(
            ine=f"DEMO{i + 1:07d}",
            defaults={"last_name": LAST_NAMES[i % len(LAST_NAMES)], "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
                      "email": f"etudiant{i + 1}@etu.example.fr"})
        if i == 0:
            student.user = users[Role.STUDENT]
            student.save(update_fields=["user"])
        enrolment = Enrolment.objects.create(student=student, semester_instance=instance,
                                             parcours=programme.parcours)
        enrolment.groups.add(groups[i % 2])
        Enrolment.objects.create(student=student, semester_instance=s4_instance, parcours=programme.parcours)
        enrolments.append(enrolment)
    for code in ("R3.01", "R3.07"):
        module = s3.modules.filter(code=code).first()
        if module:
            ModuleResponsible.objects.create(semester_instance=instance, module=module, user=users[Role.TEACHER])

    grades, changes = [], []
    for module in s3.modules.exclude(kind="portfolio"):
        for n, title in enumerate(["Contrôle 1", "Contrôle 2"] if module.kind == "resource" else ["Rendu"]):
            evaluation = Evaluation.objects.create(semester_instance=instance, module=module, title=title,
                                                   coefficient=Decimal(n + 1), order=n,
                                                   is_published=n == 0)  # students see the first ones
            ability = {e.id: rng.gauss(11.5, 3) for e in enrolments}
            for enrolment in enrolments:
                if rng.random() < 0.02:
                    value, code = None, GradeCode.ABS
                else:
                    score = min(20, max(0, rng.gauss(ability[enrolment.id], 2.5)))
                    value, code = Decimal(round(score * 4)) / 4, ""
                grades.append(Grade(evaluation=evaluation, enrolment=enrolment, value=value, code=code,
                                    updated_by=users[Role.SECRETARIAT]))
                changes.append(GradeChange(evaluation=evaluation, enrolment=enrolment, old_value="",
                                           new_value=grade_display(value=value, code=code),
                                           source=GradeChange.Source.SCRIPT, user=users[Role.SECRETARIAT]))
    Grade.objects.bulk_create(grades)
    GradeChange.objects.bulk_create(changes)
    done.append(f"{instance} : {students} étudiants, {len(grades)} notes ; {s4_instance} ouvert sans notes")
    return done

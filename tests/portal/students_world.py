"""Builders of the students' tests: a BUT1 year (S1 and S2, its programme built by tests/worlds.py), two students,
Alice (the `etudiant` user) and Bob.

Programme: competences C1 and C2 at level 1, one UE each per semester (15 ECTS); in each semester two resources:
the first weighs 3 in the C1 UE and 1 in the C2 UE, the second the reverse. One evaluation per resource.

Alice: S1 DS 14,25 · TP 5,75 → UE1.1 (3×14,25 + 5,75)/4 = 12,125 → 12,13 ; UE1.2 (14,25 + 3×5,75)/4 = 7,875 → 7,88
       S2 DS 10,5 · TP 9,5   → UE2.1 (3×10,5 + 9,5)/4 = 10,25 ; UE2.2 (10,5 + 3×9,5)/4 = 9,75
       RCUE C1-1 (12,125 + 10,25)/2 = 11,1875 → 11,19 ADM ; C2-1 (7,875 + 9,75)/2 = 8,8125 → 8,81 AJ
       UE1.1, UE2.1 ADM (30 ECTS) ; UE1.2, UE2.2 AJ ; year: 1 RCUE of 2 validated (R14 not met) → RED.
Bob:   every grade 4 → every UE 4,00, AJ; year RED.
"""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from butgmp.roles import Role
from grading.models import (
    AcademicYear,
    Enrolment,
    Evaluation,
    Grade,
    JuryDecision,
    JurySession,
    SemesterInstance,
    Student,
)
from tests import worlds

EVALUATION_DATES = {1: date(2025, 11, 14), 2: date(2026, 4, 10)}
GRADES = {  # (semester, resource) -> (Alice, Bob)
    (1, 1): ("14.25", "4"), (1, 2): ("5.75", "4"),
    (2, 1): ("10.5", "4"), (2, 2): ("9.5", "4"),
}


def build_year(*, users, make_user) -> SimpleNamespace:
    reference = worlds.reference(competences={"C1": ("Spécifier", "Spécifier les exigences technico-économiques"),
                                              "C2": ("Développer", "Déterminer la solution conceptuelle")},
                                 levels=(1,))
    semesters = {number: {
        "modules": {f"R{number}.0{j}": ("resource", worlds.NO_HOURS, f"Ressource {number}.{j}") for j in (1, 2)},
        "ues": [(f"UE{number}.{i}", code, 1, 15, [(f"R{number}.01", (3, 1)[i - 1], worlds.NO_HOURS),
                                                  (f"R{number}.02", (1, 3)[i - 1], worlds.NO_HOURS)], f"UE {code}")
                for i, code in enumerate(("C1", "C2"), start=1)],
    } for number in (1, 2)}
    programme = worlds.build_programme(semesters, levels=reference["levels"], code="but1-test",
                                       title="BUT1 GMP (test)")
    parcours = reference["parcours"]
    year, _ = AcademicYear.objects.get_or_create(start_year=2025)
    alice = Student.objects.create(ine="12345678901", last_name="Aubert", first_name="Alice",
                                   email="alice@etu.example.fr", user=users["student"])
    bob_user = make_user(Role.STUDENT, "bob")
    bob = Student.objects.create(ine="98765432109", last_name="Boucher", first_name="Bob",
                                 email="bob@etu.example.fr", user=bob_user)
    world = SimpleNamespace(programme=programme, alice=alice, bob=bob, bob_user=bob_user, instances={},
                            evaluations={}, enrolments={}, ues={})
    for number in (1, 2):
        semester = programme.semesters.get(number=number)
        world.ues.update({ue.code: ue for ue in semester.ues.all()})
        instance = SemesterInstance.objects.create(semester=semester, academic_year=year)
        world.instances[number] = instance
        for student in (alice, bob):
            world.enrolments[(student.ine, number)] = Enrolment.objects.create(
                student=student, semester_instance=instance, parcours=parcours)
        for j, title in ((1, "DS"), (2, "TP")):
            evaluation = Evaluation.objects.create(semester_instance=instance, module=semester.modules.get(order=j),
                                                   title=f"{title} S{number}", date=EVALUATION_DATES[number])
            world.evaluations[f"{title}{number}"] = evaluation
            for student, value in zip((alice, bob), GRADES[(number, j)], strict=True):
                Grade.objects.create(evaluation=evaluation, enrolment=world.enrolments[(student.ine, number)],
                                     value=Decimal(value))
    return world


def publish_grades(world) -> None:
    Evaluation.objects.filter(pk__in=[e.pk for e in world.evaluations.values()]).update(is_published=True)


def jury(world, number: int, *, user, published: bool = True, decisions=()) -> JurySession:
    """Hold a closed jury on semester `number`, with decisions [(student, level, subject, code)]."""
    now = timezone.now()
    session = JurySession.objects.create(date=date(2026, 6, 30), president="Mme Présidente", created_by=user,
                                         closed_at=now, closed_by=user,
                                         published_at=now if published else None,
                                         published_by=user if published else None)
    session.semester_instances.add(world.instances[number])
    for student, level, subject, code in decisions:
        JuryDecision.objects.create(enrolment=world.enrolments[(student.ine, number)], level=level, subject=subject,
                                    code=code, reason="Décision du jury", user=user, session=session)
    return session

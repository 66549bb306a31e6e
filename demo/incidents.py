"""What happens to some students in a year, each through the service staff would use: a justified absence (EXC,
on the grid), a grade still to come (ATT), a bonus for sport or association work (R5, the admin), a student who
leaves (DEM, the enrolment list's bulk action).
"""
import random
from decimal import Decimal

from grading.engine.codes import EnrolmentStatus, GradeCode
from grading.models import Bonus, Enrolment, Evaluation, Grade
from grading.services.admin_writes import admin_save
from grading.services.enrolment_bulk import enrolments_set_status
from grading.services.grades import grade_set

EXCUSED_SHARE = 0.4  # of the ABS: a certificate came, the secretariat turns them into EXC
BONUS_REASONS = ["Sportif de haut niveau", "Engagement associatif (BDE)", "Pratique artistique",
                 "Élu au conseil d'IUT"]


def excuse_absences(*, instance, rng: random.Random, user) -> int:
    """Turn a share of the semester's ABS into EXC, as the secretariat does when a certificate arrives."""
    absences = list(Grade.objects.filter(evaluation__semester_instance=instance, code=GradeCode.ABS)
                    .select_related("evaluation__semester_instance").order_by("evaluation_id", "enrolment_id"))
    excused = [g for g in absences if rng.random() < EXCUSED_SHARE]
    for grade in excused:
        grade_set(evaluation=grade.evaluation, enrolment_id=grade.enrolment_id, raw=GradeCode.EXC, user=user)
    return len(excused)


def grade_to_come(*, evaluation: Evaluation, enrolment: Enrolment, user) -> None:
    """Mark one grade ATT: the student sits the test later (R1: the year waits for it)."""
    grade_set(evaluation=evaluation, enrolment=enrolment, raw=GradeCode.ATT, user=user)


def give_bonuses(*, enrolments: list[Enrolment], rng: random.Random, user) -> int:
    """Give these enrolments a semester bonus (R5) through the admin's service."""
    for enrolment in enrolments:
        admin_save(obj=Bonus(enrolment=enrolment, percent=Decimal(rng.choice([2, 3, 4, 5])),
                             reason=rng.choice(BONUS_REASONS)), user=user)
    return len(enrolments)


def leave(*, enrolments: list[Enrolment], user, reason: str) -> None:
    """Record that a student left (DEM) in each of their semesters of the year."""
    for enrolment in enrolments:
        enrolments_set_status(semester_instance=enrolment.semester_instance, enrolments=[enrolment],
                              status=EnrolmentStatus.DEM, user=user, reason=reason)

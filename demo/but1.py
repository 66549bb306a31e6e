"""The demo's BUT2 students hold their BUT1 on record (R15): each one's S1/S2 UEs of the department's programme,
recorded as earlier validations consistent with their profile (a competence they are weak in was compensated)."""
import datetime
from decimal import Decimal

from curriculum.models import UE, Programme
from demo.marks import Profile
from grading.engine.codes import DecisionCode
from grading.models import AuditEntry, Student
from grading.services.external_validations import ValidationRow, external_validations_record

ORIGIN = "BUT1 (validé avant l'application)"
COMPENSATED = Decimal("9.40")  # a weak competence's S1 UE, compensated in its RCUE by the S2 one
PARTNER = Decimal("11.20")


def record_but1(*, programme: Programme, profiles: dict[str, Profile], students: list[Student], date: datetime.date,
                user) -> int:
    """Record every student's BUT1 UEs (S1 and S2 of `programme`): ADM at an average drawn from the profile, or
    CMP in the S1 UE of a competence the profile is weak in; return how many were written."""
    ues = list(UE.objects.filter(semester__programme=programme, semester__number__in=(1, 2))
               .select_related("semester", "competence_level__competence").order_by("semester__number", "code"))
    rows = []
    for student in students:
        profile = profiles[student.ine]
        for ue in ues:
            competence = ue.competence_level.competence.code
            level = profile.ability + profile.offsets.get(competence, 0.0)
            if level < 10 and ue.semester.number == 1:
                rows.append(ValidationRow(student=student, ue=ue, code=DecisionCode.CMP, average=COMPENSATED))
            elif level < 10:
                rows.append(ValidationRow(student=student, ue=ue, code=DecisionCode.ADM, average=PARTNER))
            else:
                average = Decimal(str(round(min(17.5, max(10.5, level)), 2)))
                rows.append(ValidationRow(student=student, ue=ue, code=DecisionCode.ADM, average=average))
    return external_validations_record(rows=rows, origin=ORIGIN, date=date, user=user, source=AuditEntry.Source.SCRIPT)

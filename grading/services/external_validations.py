"""External validations: UEs validated outside this application's grades (an earlier BUT1, another IUT, VAE).

They count as capitalised validations (R11), so that R15 can be known for a student admitted in BUT2. Each one
written is journaled.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from curriculum.models import UE
from grading.engine.codes import UE_VALIDATED, DecisionCode
from grading.models import AuditEntry, ExternalValidation, Student
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError

NOT_A_UE_CODE = "« {code} » n'est pas un code de validation d'UE."
AVERAGE_OUT_OF_RANGE = "La moyenne de {ue} doit être comprise entre 0 et 20 ({average})."


@dataclass(frozen=True)
class ValidationRow:
    student: Student
    ue: UE
    code: str
    average: Decimal | None = None


def external_validations_record(*, rows: list[ValidationRow], origin: str, date: datetime.date | None, user,
                                source: str = AuditEntry.Source.APP) -> int:
    """Record UEs validated before (one per student and UE; one already recorded is left as it is); return how
    many were written."""
    allowed = {str(code) for code in UE_VALIDATED} | {str(DecisionCode.AJ)}
    for row in rows:
        if row.code not in allowed:
            raise ServiceError(NOT_A_UE_CODE.format(code=row.code))
        if row.average is not None and not Decimal(0) <= row.average <= Decimal(20):
            raise ServiceError(AVERAGE_OUT_OF_RANGE.format(ue=row.ue.code, average=row.average))
    with transaction.atomic():
        existing = set(ExternalValidation.objects.filter(student__in=[r.student for r in rows])
                       .values_list("student_id", "ue_id"))
        created = ExternalValidation.objects.bulk_create(
            ExternalValidation(student=r.student, ue=r.ue, code=r.code, average=r.average, origin=origin, date=date)
            for r in rows if (r.student.pk, r.ue.pk) not in existing)
        batch = batch_key("validations")
        journal(audit_row(obj=v, action="create", user=user, source=source, batch=batch, field="code", new=v.code,
                          reason=origin) for v in created)
    return len(created)

"""Settle an incomplete evaluation (R2) in one action: every missing grade set to EXC, ABS or ATT.

Audited like any grade change: one `GradeChange` row per grade written, source "missing", with the reason.
Only the grades still missing are written (a grade entered meanwhile is kept); a locked semester refuses (R19).
"""
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from grading.engine.codes import GradeCode
from grading.loaders import load_cohort
from grading.models import Evaluation, Grade, GradeChange
from grading.selectors.missing import missing_in_cohort
from grading.services.errors import ServiceError, ensure_unlocked

FILL_CODES = (GradeCode.EXC, GradeCode.ABS, GradeCode.ATT)
FILL_CODE_REFUSED = "Choisissez EXC, ABS ou ATT pour compléter les notes manquantes."
FILL_REASON_REQUIRED = "Indiquez le motif : il est enregistré avec chaque note complétée."
FILL_RATTRAPAGE = "Une évaluation de rattrapage n'attend personne : il n'y a pas de note manquante à compléter."
FILL_NOTHING = "Aucune note ne manque à cette évaluation."
FILL_RACE = "Des notes ont été saisies pendant l'opération : rien n'a été enregistré, recommencez."


@dataclass(frozen=True)
class FillResult:
    count: int
    code: str


def missing_grades_fill(*, evaluation: Evaluation, code: str, reason: str, user) -> FillResult:
    """Set every missing grade of the evaluation to `code` (EXC, ABS or ATT), audited with the reason."""
    code = (code or "").upper()
    if code not in FILL_CODES:
        raise ServiceError(FILL_CODE_REFUSED)
    if not reason.strip():
        raise ServiceError(FILL_REASON_REQUIRED)
    if evaluation.is_rattrapage:
        raise ServiceError(FILL_RATTRAPAGE)
    instance = evaluation.semester_instance
    with transaction.atomic():
        ensure_unlocked(instance)
        cohort = load_cohort(semester_instance=instance)
        waiting = set(missing_in_cohort(cohort, [instance.pk], only=evaluation.pk).get(evaluation.pk, ()))
        if not waiting:
            raise ServiceError(FILL_NOTHING)
        enrolment_ids = dict(instance.enrolments.filter(student_id__in=waiting).values_list("id", "student_id"))
        existing = {g.enrolment_id: g for g in Grade.objects.select_for_update()
                    .filter(evaluation=evaluation, enrolment_id__in=list(enrolment_ids))}
        now = timezone.now()
        to_create, to_update = [], []
        for enrolment_id in enrolment_ids:
            grade = existing.get(enrolment_id)
            if grade is None:
                grade = Grade(evaluation=evaluation, enrolment_id=enrolment_id, version=1)
                to_create.append(grade)
            elif grade.value is None and not grade.code:
                grade.version += 1
                to_update.append(grade)
            else:  # entered since the cohort was read: keep it
                continue
            grade.value, grade.code, grade.max_score = None, code, evaluation.max_score
            grade.updated_by, grade.updated_at = user, now
        try:
            with transaction.atomic():
                Grade.objects.bulk_create(to_create)
        except IntegrityError:
            raise ServiceError(FILL_RACE) from None
        Grade.objects.bulk_update(to_update, ["value", "code", "max_score", "version", "updated_at", "updated_by"])
        GradeChange.objects.bulk_create([
            GradeChange(evaluation=evaluation, enrolment_id=g.enrolment_id, old_value="", new_value=code,
                        source=GradeChange.Source.MISSING, user=user, reason=reason.strip())
            for g in to_create + to_update
        ])
    return FillResult(count=len(to_create) + len(to_update), code=code)

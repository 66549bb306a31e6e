"""Evaluations of a module and their weights towards its UEs (R3)."""
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from curriculum.models import UE, Module
from grading.grade_text import format_decimal
from grading.models import (
    Evaluation,
    EvaluationWeight,
    Grade,
    SemesterInstance,
)
from grading.services.errors import (
    MAX_BELOW_GRADES,
    MODULE_NOT_IN_SEMESTER,
    ServiceError,
    ensure_unlocked,
)

# ---------------------------------------------------------------- evaluations


def evaluation_create(*, semester_instance: SemesterInstance, module: Module, title: str, date=None,
                      coefficient: Decimal = Decimal("1"), max_score: Decimal = Decimal("20"),
                      is_immediate: bool = False, is_rattrapage: bool = False, order: int = 0,
                      weights: Mapping[UE, Decimal] | None = None) -> Evaluation:
    """Create an evaluation of a module, with its weight towards each UE the module feeds (R3, default 1)."""
    if module.semester_id != semester_instance.semester_id:
        raise ServiceError(MODULE_NOT_IN_SEMESTER)
    with transaction.atomic():
        ensure_unlocked(semester_instance)
        evaluation = Evaluation(semester_instance=semester_instance, module=module, title=title, date=date,
                                coefficient=coefficient, max_score=max_score, is_immediate=is_immediate,
                                is_rattrapage=is_rattrapage, order=order)
        evaluation.full_clean()
        evaluation.save()
        _set_weights(evaluation=evaluation, weights=weights or {})
    return evaluation


def evaluation_update(*, evaluation: Evaluation, title: str, date=None, coefficient: Decimal, max_score: Decimal,
                      is_immediate: bool, is_rattrapage: bool, order: int = 0,
                      weights: Mapping[UE, Decimal] | None = None) -> Evaluation:
    """Change an evaluation; a lower maximum is refused while a grade exceeds it."""
    with transaction.atomic():
        ensure_unlocked(evaluation.semester_instance)
        ensure_max_covers_grades(evaluation=evaluation, max_score=max_score)
        for name, value in {"title": title, "date": date, "coefficient": coefficient, "max_score": max_score,
                            "is_immediate": is_immediate, "is_rattrapage": is_rattrapage, "order": order}.items():
            setattr(evaluation, name, value)
        evaluation.full_clean()
        evaluation.save()
        Grade.objects.filter(evaluation=evaluation).update(max_score=max_score)
        _set_weights(evaluation=evaluation, weights=weights or {})
    return evaluation


def ensure_max_covers_grades(*, evaluation: Evaluation, max_score: Decimal) -> None:
    """Refuse a maximum below a grade already entered (the pages and the admin alike)."""
    above = (Grade.objects.filter(evaluation=evaluation, value__gt=max_score)
             .order_by("-value").values_list("value", flat=True).first())
    if above is not None:
        raise ServiceError(MAX_BELOW_GRADES.format(max=format_decimal(max_score), value=format_decimal(above)))


def _set_weights(*, evaluation: Evaluation, weights: Mapping[UE, Decimal]) -> None:
    """Store one weight row per UE the module feeds (ModuleUE); missing weights are 1."""
    ues = UE.objects.filter(module_rows__module=evaluation.module)
    EvaluationWeight.objects.filter(evaluation=evaluation).delete()
    EvaluationWeight.objects.bulk_create([
        EvaluationWeight(evaluation=evaluation, ue=ue, weight=weights.get(ue, Decimal("1"))) for ue in ues
    ])

"""Evaluation plans: the same evaluations for several modules at once, or last year's plan copied (R3).

A plan gives each evaluation its title, coefficient, maximum, flags, weights towards the module's UEs (by UE
code; missing weights are 1) and, optionally, its date (a copy from last year leaves the dates to set).
Everything is created in one transaction and journalled as one batch.
"""
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from curriculum.models import UE, Module, ModuleUE
from grading.models import AuditEntry, Evaluation, EvaluationWeight, SemesterInstance
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import MODULE_NOT_IN_SEMESTER, ServiceError, ensure_unlocked

EMPTY_PLAN = "Le plan ne contient aucune évaluation."
NO_MODULE = "Choisissez au moins un module."
SAME_SEMESTER = "On ne copie pas un semestre dans lui-même."
COPY_REASON = "Copie du plan de {source}"


@dataclass(frozen=True)
class PlannedEvaluation:
    """One evaluation of a plan."""

    title: str
    coefficient: Decimal = Decimal("1")
    max_score: Decimal = Decimal("20")
    is_immediate: bool = False
    is_rattrapage: bool = False
    weights: Mapping[str, Decimal] = field(default_factory=dict)  # UE code -> weight (missing: 1)
    date: datetime.date | None = None


@dataclass(frozen=True)
class PlanResult:
    created: list[Evaluation]
    skipped: list[str]  # "R3.01 – DS1": already in the target semester, or module absent from it
    batch: str = ""


def _create(*, semester_instance: SemesterInstance, items: Sequence[tuple[Module, PlannedEvaluation]], user,
            reason: str) -> tuple[list[Evaluation], str]:
    """Create the evaluations (after each module's existing ones) with their weights and journal rows."""
    ensure_unlocked(semester_instance)
    modules = {m.pk for m, _ in items}
    next_order = dict(Evaluation.objects.filter(semester_instance=semester_instance, module_id__in=modules)
                      .values_list("module_id").annotate(top=Max("order")).values_list("module_id", "top"))
    ues_by_module: dict[int, list[UE]] = {}
    for row in ModuleUE.objects.filter(module_id__in=modules).select_related("ue"):
        ues_by_module.setdefault(row.module_id, []).append(row.ue)
    evaluations, weights = [], []
    for module, planned in items:
        order = next_order.get(module.pk)
        next_order[module.pk] = 0 if order is None else order + 1
        evaluation = Evaluation(semester_instance=semester_instance, module=module, title=planned.title,
                                date=planned.date, coefficient=planned.coefficient, max_score=planned.max_score,
                                is_immediate=planned.is_immediate, is_rattrapage=planned.is_rattrapage,
                                order=next_order[module.pk])
        evaluation.full_clean()
        evaluations.append(evaluation)
    Evaluation.objects.bulk_create(evaluations)
    for evaluation, (module, planned) in zip(evaluations, items, strict=True):
        weights += [EvaluationWeight(evaluation=evaluation, ue=ue, weight=planned.weights.get(ue.code, Decimal("1")))
                    for ue in ues_by_module.get(module.pk, [])]
    EvaluationWeight.objects.bulk_create(weights)
    batch = batch_key("plan")
    journal([
        audit_row(obj=e, action="create", source=AuditEntry.Source.APP, field="", old="",
                  new=f"{e.title} (coef. {e.coefficient}, /{e.max_score})",
                  user=user, batch=batch, reason=reason) for e in evaluations])
    return evaluations, batch


def evaluation_plan_create(*, semester_instance: SemesterInstance, modules: Iterable[Module],
                           plan: Sequence[PlannedEvaluation], user) -> PlanResult:
    """Create the same evaluations in each module, after the evaluations it already has."""
    modules = list(modules)
    if not modules:
        raise ServiceError(NO_MODULE)
    if not plan:
        raise ServiceError(EMPTY_PLAN)
    if any(m.semester_id != semester_instance.semester_id for m in modules):
        raise ServiceError(MODULE_NOT_IN_SEMESTER)
    with transaction.atomic():
        created, batch = _create(semester_instance=semester_instance,
                                 items=[(m, p) for m in modules for p in plan], user=user, reason="")
    return PlanResult(created=created, skipped=[], batch=batch)


def previous_plans(*, semester_instance: SemesterInstance):
    """Return the earlier runs of the same semester (same IUT, parcours, modality and number), latest first."""
    programme = semester_instance.semester.programme
    return (SemesterInstance.objects
            .filter(semester__number=semester_instance.semester.number, semester__programme__iut=programme.iut,
                    semester__programme__parcours=programme.parcours_id,
                    semester__programme__modality=programme.modality,
                    academic_year__start_year__lt=semester_instance.academic_year.start_year)
            .named()
            .order_by("-academic_year__start_year", "label"))


def evaluation_plan_copy(*, source: SemesterInstance, target: SemesterInstance, user,
                         module_codes: Iterable[str] | None = None) -> PlanResult:
    """Copy a semester's evaluations (titles, coefficients, maxima, flags, weights) into another; no grades.

    Modules are matched by code and weights by UE code. An evaluation whose module has no match, or whose title
    the target module already has, is skipped. `module_codes` limits the copy (a teacher's own modules).
    """
    if source.pk == target.pk:
        raise ServiceError(SAME_SEMESTER)
    wanted = None if module_codes is None else set(module_codes)
    targets = {m.code: m for m in Module.objects.filter(semester=target.semester)}
    existing = set(Evaluation.objects.filter(semester_instance=target).values_list("module__code", "title"))
    items, skipped = [], []
    for evaluation in (Evaluation.objects.filter(semester_instance=source).select_related("module")
                       .prefetch_related("weights__ue").order_by("module__code", "order", "date", "id")):
        code = evaluation.module.code
        if wanted is not None and code not in wanted:
            continue
        name = f"{code} – {evaluation.title}"
        if code not in targets or (code, evaluation.title) in existing:
            skipped.append(name)
            continue
        items.append((targets[code], PlannedEvaluation(
            title=evaluation.title, coefficient=evaluation.coefficient, max_score=evaluation.max_score,
            is_immediate=evaluation.is_immediate, is_rattrapage=evaluation.is_rattrapage,
            weights={w.ue.code: w.weight for w in evaluation.weights.all()})))
    with transaction.atomic():
        created, batch = (_create(semester_instance=target, items=items, user=user,
                                  reason=COPY_REASON.format(source=source)) if items else ([], ""))
    return PlanResult(created=created, skipped=skipped, batch=batch)

"""Build the engine's input from the database in a fixed number of queries.

Whatever the number of students, a cohort costs the same handful of queries: the students'
enrolments (their whole path), the evaluations and weights of every semester instance on those
paths, the enrolled students and grades of those instances, the programmes' UEs and modules,
external validations and the current jury decisions. The engine then works on plain values.
"""
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, Q

from curriculum.models import UE, Module, ModuleUE
from grading.engine.codes import BonusMode, EnrolmentStatus, JuryLevel
from grading.engine.types import (
    CohortInput,
    EvaluationDef,
    GradeValue,
    ModuleDef,
    Passage,
    PriorValidation,
    SemesterRun,
    StudentInput,
    UEDef,
)
from grading.models import Enrolment, Evaluation, EvaluationWeight, ExternalValidation, Grade, JuryDecision

YEAR_SUBJECT = "year"  # the engine's key for a year decision in Passage.jury


def load_cohort(*, semester_instance, bonus_mode: str = BonusMode.PERCENT) -> CohortInput:
    """Return the engine input for every student enrolled in a semester instance, with their whole path."""
    student_ids = Enrolment.objects.filter(semester_instance=semester_instance).values("student_id")
    return load_students(student_ids=student_ids, bonus_mode=bonus_mode)


def load_year(*, semester_instances: Iterable, bonus_mode: str = BonusMode.PERCENT) -> CohortInput:
    """Return the engine input for every student enrolled in any of the given instances (a year's two semesters)."""
    student_ids = Enrolment.objects.filter(semester_instance__in=list(semester_instances)).values("student_id")
    return load_students(student_ids=student_ids, bonus_mode=bonus_mode)


def load_students(*, student_ids, bonus_mode: str = BonusMode.PERCENT) -> CohortInput:
    """Return the engine input for the given students (ids or a values('student_id') queryset)."""
    enrolments = list(
        Enrolment.objects.filter(student_id__in=student_ids)
        .select_related("semester_instance__semester__programme__parcours", "semester_instance__academic_year",
                        "parcours", "bonus")
        .order_by("student_id", "semester_instance__academic_year__start_year",
                  "semester_instance__semester__number", "semester_instance__label", "id")
    )
    instance_ids = {e.semester_instance_id for e in enrolments}
    semester_ids = {e.semester_instance.semester_id for e in enrolments}
    programme_ids = {e.semester_instance.semester.programme_id for e in enrolments}

    evaluations = list(
        Evaluation.objects.filter(semester_instance_id__in=instance_ids)
        .select_related("module")
        .prefetch_related(Prefetch("weights", queryset=EvaluationWeight.objects.select_related("ue")))
        .order_by("semester_instance_id", "module__code", "order", "date", "id")
    )
    enrolled = defaultdict(dict)  # instance -> student -> parcours code
    for instance_id, student_id, parcours_code, programme_parcours in Enrolment.objects.filter(
        semester_instance_id__in=instance_ids, status=EnrolmentStatus.ENROLLED
    ).values_list("semester_instance_id", "student_id", "parcours__code",
                  "semester_instance__semester__programme__parcours__code"):
        enrolled[instance_id][student_id] = parcours_code or programme_parcours
    grades = defaultdict(lambda: defaultdict(dict))
    for instance_id, evaluation_id, student_id, value, code in Grade.objects.filter(
        evaluation__semester_instance_id__in=instance_ids
    ).values_list("evaluation__semester_instance_id", "evaluation_id", "enrolment__student_id", "value", "code"):
        grades[instance_id][student_id][evaluation_id] = GradeValue(value=value, code=code or None)

    validations = list(
        ExternalValidation.objects.filter(student_id__in=student_ids).select_related(
            "ue__semester", "ue__competence_level__competence"
        )
    )
    ues = _load_ues(programme_ids=programme_ids, extra_ue_ids={v.ue_id for v in validations})
    modules = _load_modules(semester_ids=semester_ids)

    decisions = defaultdict(dict)
    for enrolment_id, level, subject, code in JuryDecision.objects.filter(
        enrolment__in=[e.id for e in enrolments], superseded_by__isnull=True
    ).order_by("at", "id").values_list("enrolment_id", "level", "subject", "code"):
        decisions[enrolment_id][YEAR_SUBJECT if level == JuryLevel.YEAR else subject] = code

    runs = {}
    by_instance = _group(evaluations, key=lambda ev: ev.semester_instance_id)
    for enrolment in enrolments:
        instance = enrolment.semester_instance
        if instance.id in runs:
            continue
        runs[instance.id] = SemesterRun(
            key=instance.id,
            semester=instance.semester.number,
            evaluations=tuple(_evaluation_def(ev) for ev in by_instance.get(instance.id, ())),
            grades={student: dict(per_eval) for student, per_eval in grades[instance.id].items()},
            enrolled=frozenset(enrolled[instance.id]),
            enrolled_parcours=enrolled[instance.id],
        )

    prior = defaultdict(dict)
    for validation in validations:
        prior[validation.student_id][validation.ue.code] = PriorValidation(
            code=validation.code, average=validation.average
        )

    students = []
    for student_id, path in _group(enrolments, key=lambda e: e.student_id).items():
        last = path[-1]
        parcours = last.parcours.code if last.parcours else last.semester_instance.semester.programme.parcours.code
        students.append(
            StudentInput(
                id=student_id,
                parcours=parcours,
                status=last.status,
                prior=prior.get(student_id, {}),
                passages=tuple(
                    Passage(
                        run=e.semester_instance_id,
                        semester=e.semester_instance.semester.number,
                        bonus=_bonus(e),
                        jury=decisions.get(e.id, {}),
                    )
                    for e in path
                ),
            )
        )
    return CohortInput(ues=ues, modules=modules, runs=runs, students=tuple(students), bonus_mode=bonus_mode)


def _load_ues(*, programme_ids, extra_ue_ids) -> dict[str, UEDef]:
    ue_rows = (
        UE.objects.filter(Q(semester__programme_id__in=programme_ids) | Q(id__in=extra_ue_ids))
        .select_related("semester", "competence_level__competence")
        .prefetch_related("parcours")
        .order_by("semester__number", "order", "code")
    )
    ues = {}
    for ue in ue_rows:
        ues.setdefault(
            ue.code,
            UEDef(
                code=ue.code,
                semester=ue.semester.number,
                competence=ue.competence_level.competence.code,
                level=ue.competence_level.level,
                ects=ue.ects,
                rcue_coef=ue.rcue_coefficient,
                parcours=frozenset(p.code for p in ue.parcours.all()),
            ),
        )
    return ues


def _load_modules(*, semester_ids) -> dict[str, ModuleDef]:
    module_rows = (
        Module.objects.filter(semester_id__in=semester_ids)
        .select_related("semester")
        .prefetch_related(Prefetch("ue_rows", queryset=ModuleUE.objects.select_related("ue")))
        .order_by("semester__number", "code")
    )
    modules = {}
    for module in module_rows:
        modules.setdefault(
            module.code,
            ModuleDef(
                code=module.code,
                semester=module.semester.number,
                kind=module.kind,
                # A coefficient the source does not give (None) cannot weigh in an average (R4).
                coefficients={row.ue.code: row.coefficient for row in module.ue_rows.all()
                              if row.coefficient is not None},
            ),
        )
    return modules


def _evaluation_def(evaluation: Evaluation) -> EvaluationDef:
    return EvaluationDef(
        id=evaluation.id,
        module=evaluation.module.code,
        coef=evaluation.coefficient,
        max=evaluation.max_score,
        weights={w.ue.code: w.weight for w in evaluation.weights.all()},
        immediate=evaluation.is_immediate,
        rattrapage=evaluation.is_rattrapage,
    )


def _bonus(enrolment: Enrolment) -> Decimal | None:
    bonus = getattr(enrolment, "bonus", None)
    return bonus.percent if bonus is not None else None


def _group(items, *, key) -> dict:
    grouped = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return grouped

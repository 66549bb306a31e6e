"""A student enrolled after grades were entered: their missing grades marked EXC, audited with the reason (R1, R2).

EXC leaves the evaluation out for that student only, so the evaluation counts again for everybody else.
"""
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from grading.engine.codes import GradeCode
from grading.models import Enrolment, Evaluation, Grade, GradeChange, Group, SemesterInstance
from grading.selectors.missing import newcomer_waits
from grading.services.enrolments import StudentRow, students_enrol
from grading.services.errors import ServiceError, ensure_unlocked
from grading.services.student_lists import student_list_import

NOT_THIS_SEMESTER = "L'évaluation « {evaluation} » n'appartient pas au semestre de cette inscription."
DEFAULT_REASON = "Inscription tardive : évaluation passée avant l'arrivée de l'étudiant."


def missing_grades_excuse(*, enrolment: Enrolment, evaluations: Iterable[Evaluation], user,
                          reason: str = DEFAULT_REASON) -> list[Evaluation]:
    """Mark EXC the enrolment's missing grades in these evaluations; return the evaluations changed.

    A grade or code already entered is kept. Each new EXC gets a GradeChange row with the reason.
    """
    evaluations = list(evaluations)
    for evaluation in evaluations:
        if evaluation.semester_instance_id != enrolment.semester_instance_id:
            raise ServiceError(NOT_THIS_SEMESTER.format(evaluation=evaluation))
    with transaction.atomic():
        ensure_unlocked(enrolment.semester_instance)
        existing = {g.evaluation_id: g for g in Grade.objects.select_for_update()
                    .filter(enrolment=enrolment, evaluation__in=evaluations)}
        to_create, to_update, changed, changes = [], [], [], []
        for evaluation in evaluations:
            grade = existing.get(evaluation.pk)
            if grade is not None and (grade.value is not None or grade.code):
                continue
            if grade is None:
                to_create.append(Grade(evaluation=evaluation, enrolment=enrolment, code=GradeCode.EXC,
                                       max_score=evaluation.max_score, updated_by=user, version=1))
            else:
                grade.code, grade.updated_by, grade.version = GradeCode.EXC, user, grade.version + 1
                grade.updated_at = timezone.now()
                to_update.append(grade)
            changed.append(evaluation)
            changes.append(GradeChange(evaluation=evaluation, enrolment=enrolment, old_value="",
                                       new_value=GradeCode.EXC, source=GradeChange.Source.LATE_ENROLMENT,
                                       user=user, reason=reason[:250]))
        Grade.objects.bulk_create(to_create)
        Grade.objects.bulk_update(to_update, ["code", "updated_by", "version", "updated_at"])
        GradeChange.objects.bulk_create(changes)
    return changed


def student_enrol_late(*, semester_instance: SemesterInstance, row: StudentRow, groups: Iterable[Group] = (),
                       excused: Iterable[Evaluation] = (), user, reason: str = DEFAULT_REASON) -> Enrolment:
    """Enrol one student and mark EXC their grades in the evaluations chosen, all or nothing."""
    with transaction.atomic():
        enrolment = students_enrol(semester_instance=semester_instance, rows=[row], groups=groups,
                                   update_existing=False)[0]
        missing_grades_excuse(enrolment=enrolment, evaluations=excused, user=user, reason=reason)
    return enrolment


def student_list_import_late(*, semester_instance: SemesterInstance, rows, user, filename: str,
                             new_groups=(), expected: list | None = None, excuse: bool = False,
                             reason: str = DEFAULT_REASON):
    """Import a checked student list and, when asked, mark EXC the newcomers' missing grades: one transaction.

    The evaluations excused for a newcomer are those that would otherwise wait for them (R2): the ordinary
    evaluations of the modules their parcours takes that already hold a grade or a code.
    """
    with transaction.atomic():
        result = student_list_import(semester_instance=semester_instance, rows=rows, user=user, filename=filename,
                                     new_groups=new_groups, expected=expected)
        excused = 0
        if excuse:
            newcomers = list(Enrolment.objects.filter(semester_instance=semester_instance,
                                                      student__ine__in=[item.ine for item in result.plan.new])
                             .select_related("parcours", "semester_instance__semester__programme__parcours"))
            waits: dict = {}
            for enrolment in newcomers:
                if enrolment.parcours_id not in waits:
                    waits[enrolment.parcours_id] = [w.evaluation for w in newcomer_waits(
                        semester_instance=semester_instance, parcours=enrolment.parcours)]
                excused += len(missing_grades_excuse(enrolment=enrolment, evaluations=waits[enrolment.parcours_id],
                                                     user=user, reason=reason or DEFAULT_REASON))
    return result, excused

"""Writes of the grading app, one module per concern.

Each service takes keyword-only arguments, runs in one transaction, uses bulk operations, and records an
audit row for every grade it changes. Grade input always goes through `grading.grade_text.parse_grade` (R1);
a locked semester refuses every change (R19). New code imports from the submodules; the names below are the
grade-entry services' public surface, kept here for the callers written before the split.
"""
from grading.services.enrolments import StudentRow, enrolment_update, students_enrol
from grading.services.errors import (
    CONFLICT,
    IMPORT_INVALID,
    LOCKED,
    NOT_ENROLLED,
    NOT_LOCKED,
    UNDO_CHANGED_SINCE,
    GradeConflict,
    GradeInvalid,
    ImportInvalid,
    SemesterLocked,
    ServiceError,
    UndoRefused,
)
from grading.services.evaluations import evaluation_create, evaluation_update
from grading.services.grades import (
    GradeDiff,
    GradeSaved,
    ImportResult,
    grade_set,
    grades_diff,
    grades_import,
    import_undo,
)
from grading.services.semesters import (
    group_create,
    group_delete,
    responsible_add,
    responsible_remove,
    semester_instance_create,
    semester_lock,
    semester_unlock,
)

__all__ = [
    "CONFLICT", "IMPORT_INVALID", "LOCKED", "NOT_ENROLLED", "NOT_LOCKED", "UNDO_CHANGED_SINCE",
    "GradeConflict", "GradeDiff", "GradeInvalid", "GradeSaved", "ImportInvalid", "ImportResult", "SemesterLocked",
    "ServiceError", "StudentRow", "UndoRefused", "enrolment_update", "evaluation_create", "evaluation_update",
    "grade_set", "grades_diff", "grades_import", "group_create", "group_delete", "import_undo", "responsible_add",
    "responsible_remove", "semester_instance_create", "semester_lock", "semester_unlock", "students_enrol",
]

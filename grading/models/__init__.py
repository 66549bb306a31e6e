"""Students' enrolments, evaluations, grades, bonuses and jury decisions.

Averages are never stored: the engine (grading.engine) recomputes them from these rows.
Decisions are stored, dated and signed, and superseded rather than changed (R19).

One module per concern; every model is re-exported here, so `from grading.models import X` stays the one
way to import them. The modules are imported in the order the models were first declared.
"""
# Not sorted: the models register in the order they were declared (and the migrations were written).
from grading.models.semesters import (  # noqa: I001
    AcademicYear,
    SemesterInstance,
    SemesterLockEvent,
    iut_place,
    random_results_version,
)
from grading.models.enrolments import Bonus, Enrolment, Group, Student
from grading.models.grades import Evaluation, EvaluationWeight, Grade, GradeChange, ImportBatch, ModuleResponsible
from grading.models.jury import ExternalValidation, JuryDecision, JurySession, JurySessionEvent
from grading.models.audit import AuditEntry
from grading.models.bulletins import BulletinBatch, BulletinSettings, StoredBulletin
from grading.models.apogee import ApogeeExport, ApogeeExportSettings, ApogeeTranslation
from grading.models.jury_records import JuryRecord, JuryRecordDocument, JuryRecordStudent
from grading.models.promotions import AccessPolicy, JuryPromotion
from grading.models.reads import StaffRead
from grading.models.attendance import (
    AttendanceAlert,
    AttendanceMark,
    AttendanceSettings,
    AttendanceSlot,
    Justification,
    PromotionAttendanceContact,
)
from grading.models.institution import InstitutionIdentity

__all__ = [
    "AccessPolicy",
    "AcademicYear",
    "ApogeeExport",
    "ApogeeExportSettings",
    "ApogeeTranslation",
    "AttendanceAlert",
    "AttendanceMark",
    "AttendanceSettings",
    "AttendanceSlot",
    "AuditEntry",
    "Bonus",
    "BulletinBatch",
    "BulletinSettings",
    "StoredBulletin",
    "Enrolment",
    "Evaluation",
    "EvaluationWeight",
    "ExternalValidation",
    "Grade",
    "GradeChange",
    "Group",
    "ImportBatch",
    "InstitutionIdentity",
    "JuryDecision",
    "Justification",
    "JuryRecord",
    "JuryRecordDocument",
    "JuryRecordStudent",
    "JuryPromotion",
    "JurySession",
    "JurySessionEvent",
    "ModuleResponsible",
    "PromotionAttendanceContact",
    "SemesterInstance",
    "SemesterLockEvent",
    "StaffRead",
    "Student",
    "iut_place",
    "random_results_version",
]

"""Django admin for the grading models. A grade edited here goes through the service (audit source admin)."""
from django.contrib import admin

from grading import services
from grading.forms import GradeAdminForm
from grading.jury import admin as jury_admin  # noqa: F401 - registers the jury's records
from grading.models import (
    AcademicYear,
    Bonus,
    Enrolment,
    Evaluation,
    EvaluationWeight,
    ExternalValidation,
    Grade,
    GradeChange,
    Group,
    ImportBatch,
    ModuleResponsible,
    SemesterInstance,
    SemesterLockEvent,
    Student,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records are written by the services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_year"]


@admin.register(SemesterInstance)
class SemesterInstanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "semester", "academic_year", "label", "is_locked"]
    list_filter = ["academic_year", "semester__programme", "semester__number", "is_locked"]
    search_fields = ["label", "semester__programme__code"]
    readonly_fields = ["is_locked"]  # locking goes through the service, which records it (R19)


@admin.register(SemesterLockEvent)
class SemesterLockEventAdmin(ReadOnlyAdmin):
    list_display = ["semester_instance", "locked", "user", "at", "reason"]
    list_filter = ["locked", "semester_instance"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "ine", "email", "user"]
    search_fields = ["last_name", "first_name", "ine", "email"]
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "semester_instance"]
    list_filter = ["kind", "semester_instance"]
    search_fields = ["name"]


class BonusInline(admin.StackedInline):
    model = Bonus
    extra = 0


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["student", "semester_instance", "parcours", "status", "is_repeat"]
    list_filter = ["semester_instance", "status", "is_repeat", "parcours"]
    search_fields = ["student__last_name", "student__first_name", "student__ine"]
    raw_id_fields = ["student"]
    filter_horizontal = ["groups"]
    inlines = [BonusInline]


@admin.register(ModuleResponsible)
class ModuleResponsibleAdmin(admin.ModelAdmin):
    list_display = ["module", "user", "semester_instance"]
    list_filter = ["semester_instance"]
    search_fields = ["module__code", "user__username", "user__last_name"]


class EvaluationWeightInline(admin.TabularInline):
    model = EvaluationWeight
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "semester_instance", "date", "coefficient", "max_score", "is_immediate",
                    "is_rattrapage"]
    list_filter = ["semester_instance", "is_immediate", "is_rattrapage"]
    search_fields = ["title", "module__code", "module__title"]
    inlines = [EvaluationWeightInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    form = GradeAdminForm
    list_display = ["enrolment", "evaluation", "display", "version", "updated_at", "updated_by"]
    list_filter = ["evaluation__semester_instance", "code", "evaluation__module"]
    search_fields = ["enrolment__student__last_name", "enrolment__student__ine", "evaluation__title"]
    list_select_related = ["enrolment__student", "evaluation__module", "updated_by"]
    raw_id_fields = ["evaluation", "enrolment"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    @admin.display(description="note")
    def display(self, obj):
        return obj.display

    def save_model(self, request, obj, form, change):
        """Save through the service: parsed (R1), lock-checked (R19), audited with source admin."""
        saved = services.grade_set(evaluation=form.cleaned_data["evaluation"],
                                   enrolment=form.cleaned_data["enrolment"], raw=form.cleaned_data["entry"],
                                   user=request.user, source=GradeChange.Source.ADMIN)
        if saved.grade is not None:
            obj.pk = saved.grade.pk
            obj.__dict__.update({k: v for k, v in saved.grade.__dict__.items() if not k.startswith("_")})

    def has_delete_permission(self, request, obj=None):
        return False  # clear a grade instead (an empty entry), which is audited


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["filename", "evaluation", "user", "at", "undone_at"]
    list_filter = ["evaluation__semester_instance"]
    search_fields = ["filename", "evaluation__title"]


@admin.register(GradeChange)
class GradeChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "enrolment", "evaluation", "old_value", "new_value", "source", "user", "batch"]
    list_filter = ["source", "evaluation__semester_instance"]
    search_fields = ["enrolment__student__last_name", "enrolment__student__ine", "evaluation__title"]
    list_select_related = ["enrolment__student", "evaluation__module", "user", "batch"]


@admin.register(ExternalValidation)
class ExternalValidationAdmin(admin.ModelAdmin):
    list_display = ["student", "ue", "code", "average", "origin", "date"]
    list_filter = ["code"]
    search_fields = ["student__last_name", "student__ine", "ue__code"]

"""Django admin for the grading models, held to the pages' rules.

A grade edited here goes through the grade service (audit source admin). The other objects go through
`grading.services.admin_writes`: a locked semester's evaluations, enrolments, bonuses, groups and responsibles
are read-only (R19), an evaluation's maximum cannot drop below a grade, and every change is journaled
(`AuditEntry`, source admin).
"""
import copy

from django import forms
from django.contrib import admin
from django.forms.models import construct_instance

from butgmp.admin_readonly import ReadOnlyAdmin
from grading.admin_choices import NamedSemestersAdmin, ProgrammeFilter, SemesterInstanceFilter
from grading.forms.grades import GradeAdminForm
from grading.models import (
    AcademicYear,
    AuditEntry,
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
    StaffRead,
    Student,
)
from grading.models.semesters import name_related
from grading.services.admin_writes import (
    admin_audit_many,
    admin_delete,
    admin_save,
    locked_semester,
    semester_ids,
    stored_ids,
)
from grading.services.audit_entries import batch_key
from grading.services.errors import LOCKED, ServiceError
from grading.services.evaluations import ensure_max_covers_grades
from grading.services.grades import grade_set


class RulesAdminForm(forms.ModelForm):
    """Refuse in the form what the services refuse: a change to a locked semester, a maximum below a grade."""

    def clean(self):
        data = super().clean()
        candidate = construct_instance(self, copy.copy(self.instance))
        locked = locked_semester(semester_ids(candidate) | stored_ids(self.instance))
        if locked is not None:
            raise forms.ValidationError(LOCKED.format(semester=locked), code="locked")
        if isinstance(self.instance, Evaluation) and self.instance.pk and "max_score" in self.changed_data \
                and data.get("max_score") is not None:
            try:
                ensure_max_covers_grades(evaluation=self.instance, max_score=data["max_score"])
            except ServiceError as exc:
                self.add_error("max_score", exc.message)
        return data


class RulesAdmin(NamedSemestersAdmin):
    """Save and delete through the admin services (lock, checks, journal); a locked semester's rows are read-only."""

    form = RulesAdminForm

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)

    def _batch(self, request) -> str:
        if not hasattr(request, "_admin_audit_batch"):
            request._admin_audit_batch = batch_key("admin")
        return request._admin_audit_batch

    def save_model(self, request, obj, form, change):
        admin_save(obj=obj, user=request.user, batch=self._batch(request))

    def delete_model(self, request, obj):
        admin_delete(obj=obj, user=request.user, batch=self._batch(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            admin_delete(obj=obj, user=request.user, batch=self._batch(request))

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            admin_delete(obj=obj, user=request.user, batch=self._batch(request))
        for obj in instances:
            admin_save(obj=obj, user=request.user, batch=self._batch(request))
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        many = [f.name for f in form.instance._meta.many_to_many if f.name in form.cleaned_data]
        before = {name: _names(getattr(form.instance, name).all()) if change else "" for name in many}
        super().save_related(request, form, formsets, change)
        for name in many:
            admin_audit_many(obj=form.instance, field_name=name, old=before[name],
                             new=_names(getattr(form.instance, name).all()), user=request.user,
                             batch=self._batch(request))


class RulesInline:
    """An inline whose rows are read-only when the parent's semester is locked."""

    form = RulesAdminForm

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


def _locked(obj) -> bool:
    return obj is not None and locked_semester(semester_ids(obj)) is not None


def _names(objects) -> str:
    return ", ".join(sorted(str(o) for o in objects))


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_year"]


@admin.register(SemesterInstance)
class SemesterInstanceAdmin(RulesAdmin):
    list_display = ["__str__", "semester", "academic_year", "label", "is_locked"]
    list_filter = ["academic_year", ("semester__programme", ProgrammeFilter), "semester__number", "is_locked"]
    list_select_related = name_related()
    search_fields = ["label", "semester__programme__code"]
    readonly_fields = ["is_locked"]  # locking goes through the service, which records it (R19)


@admin.register(SemesterLockEvent)
class SemesterLockEventAdmin(ReadOnlyAdmin):
    list_display = ["semester_instance", "locked", "user", "at", "reason"]
    list_filter = ["locked", ("semester_instance", SemesterInstanceFilter)]
    list_select_related = ["user", *name_related("semester_instance")]


@admin.register(Student)
class StudentAdmin(RulesAdmin):
    list_display = ["last_name", "first_name", "ine", "email", "user"]
    search_fields = ["last_name", "first_name", "ine", "email"]
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(RulesAdmin):
    list_display = ["name", "kind", "semester_instance"]
    list_filter = ["kind", ("semester_instance", SemesterInstanceFilter)]
    list_select_related = name_related("semester_instance")
    search_fields = ["name"]


class BonusInline(RulesInline, admin.StackedInline):
    model = Bonus
    extra = 0


@admin.register(Enrolment)
class EnrolmentAdmin(RulesAdmin):
    list_display = ["student", "semester_instance", "parcours", "status", "is_repeat"]
    list_filter = [("semester_instance", SemesterInstanceFilter), "status", "is_repeat", "parcours"]
    list_select_related = ["student", "parcours", *name_related("semester_instance")]
    search_fields = ["student__last_name", "student__first_name", "student__ine"]
    raw_id_fields = ["student"]
    filter_horizontal = ["groups"]
    inlines = [BonusInline]


@admin.register(ModuleResponsible)
class ModuleResponsibleAdmin(RulesAdmin):
    list_display = ["module", "user", "semester_instance"]
    list_filter = [("semester_instance", SemesterInstanceFilter)]
    list_select_related = ["module", "user", *name_related("semester_instance")]
    search_fields = ["module__code", "user__username", "user__last_name"]


class EvaluationWeightInline(RulesInline, admin.TabularInline):
    model = EvaluationWeight
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(RulesAdmin):
    list_display = ["title", "module", "semester_instance", "date", "coefficient", "max_score", "is_immediate",
                    "is_rattrapage"]
    list_filter = [("semester_instance", SemesterInstanceFilter), "is_immediate", "is_rattrapage"]
    list_select_related = ["module", *name_related("semester_instance")]
    search_fields = ["title", "module__code", "module__title"]
    inlines = [EvaluationWeightInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    form = GradeAdminForm
    list_display = ["enrolment", "evaluation", "display", "version", "updated_at", "updated_by"]
    list_filter = [("evaluation__semester_instance", SemesterInstanceFilter), "code", "evaluation__module"]
    search_fields = ["enrolment__student__last_name", "enrolment__student__ine", "evaluation__title"]
    list_select_related = ["enrolment__student", *name_related("enrolment__semester_instance"), "evaluation__module",
                           "updated_by"]
    raw_id_fields = ["evaluation", "enrolment"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    @admin.display(description="note")
    def display(self, obj):
        return obj.display

    def save_model(self, request, obj, form, change):
        """Save through the service: parsed (R1), lock-checked (R19), audited with source admin."""
        saved = grade_set(evaluation=form.cleaned_data["evaluation"],
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
    list_filter = [("evaluation__semester_instance", SemesterInstanceFilter)]
    list_select_related = ["evaluation__module", "user"]
    search_fields = ["filename", "evaluation__title"]


@admin.register(GradeChange)
class GradeChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "enrolment", "evaluation", "old_value", "new_value", "source", "user", "batch"]
    list_filter = ["source", ("evaluation__semester_instance", SemesterInstanceFilter)]
    search_fields = ["enrolment__student__last_name", "enrolment__student__ine", "evaluation__title"]
    list_select_related = ["enrolment__student", *name_related("enrolment__semester_instance"), "evaluation__module",
                           "user", "batch"]


@admin.register(ExternalValidation)
class ExternalValidationAdmin(RulesAdmin):
    """Through the admin services: refused when it would change a locked (closed jury's) semester (R19)."""

    list_display = ["student", "ue", "code", "average", "origin", "date"]
    list_filter = ["code"]
    search_fields = ["student__last_name", "student__ine", "ue__code"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "source", "object_type", "object_repr", "action", "field", "old_value",
                    "new_value", "batch"]
    list_filter = ["source", "object_type", "action"]
    search_fields = ["object_repr", "batch", "field"]


@admin.register(StaffRead)
class StaffReadAdmin(ReadOnlyAdmin):
    """The journal of staff reads (RGPD: who opened which student's page or which listing), read-only."""

    list_display = ["at", "user", "page", "student", "scope"]
    list_filter = ["page"]
    list_select_related = ["user", "student"]
    search_fields = ["student__last_name", "student__ine", "user__username", "user__last_name"]
    date_hierarchy = "at"

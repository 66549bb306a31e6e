"""Admin of the jury's records: a decision added here goes through `decision_record` (same checks as the pages:
subject of the student's programme and parcours, open jury, unlocked semester); none is ever changed or deleted
(R19). A closed jury is read-only; closing and reopening happen in the jury's pages, where they are recorded."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from butgmp.admin_readonly import ReadOnlyAdmin
from grading.admin_choices import NamedSemestersAdmin, SemesterInstanceFilter
from grading.models import JuryDecision, JurySession, JurySessionEvent
from grading.models.semesters import name_related
from jury.decisions import check_decision, check_session, decision_record

ADMIN_LOCKED = "Le semestre de cette inscription est verrouillé : aucune décision ne peut y être enregistrée."


class JuryDecisionAdminForm(forms.ModelForm):
    class Meta:
        model = JuryDecision
        fields = ["enrolment", "level", "subject", "code", "reason", "session"]

    def clean(self):
        data = super().clean()
        enrolment = data.get("enrolment")
        if enrolment is None or not all(data.get(k) for k in ("level", "subject", "code")):
            return data
        try:
            check_decision(enrolment=enrolment, level=data["level"], subject=data["subject"], code=data["code"],
                           user=self.request_user, reason=data.get("reason", ""))
            check_session(session=data.get("session"), enrolment=enrolment)
        except ValidationError as exc:
            self.add_error(None, exc)
        if enrolment.semester_instance.is_locked:
            self.add_error(None, ADMIN_LOCKED)
        return data


@admin.register(JuryDecision)
class JuryDecisionAdmin(admin.ModelAdmin):
    form = JuryDecisionAdminForm
    list_display = ["enrolment", "level", "subject", "code", "user", "at", "session"]
    list_filter = ["level", "code", ("enrolment__semester_instance", SemesterInstanceFilter)]
    search_fields = ["enrolment__student__last_name", "enrolment__student__ine", "subject"]
    list_select_related = ["enrolment__student", *name_related("enrolment__semester_instance"), "user", "session"]
    raw_id_fields = ["enrolment", "session"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        """Record through the service: the decision in force is superseded, not changed (R19)."""
        data = form.cleaned_data
        saved = decision_record(enrolment=data["enrolment"], level=data["level"], subject=data["subject"],
                                code=data["code"], reason=data.get("reason", ""), user=request.user,
                                session=data.get("session"))
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def has_change_permission(self, request, obj=None):
        return False  # a decision is superseded by a new one, never changed (R19)

    def has_delete_permission(self, request, obj=None):
        return False


class JurySessionEventInline(admin.TabularInline):
    model = JurySessionEvent
    extra = 0
    fields = ["action", "user", "at", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JurySession)
class JurySessionAdmin(NamedSemestersAdmin):
    list_display = ["__str__", "date", "president", "closed_at", "published_at"]
    list_filter = ["date"]
    filter_horizontal = ["semester_instances"]
    readonly_fields = ["created_by", "created_at", "closed_at", "closed_by", "published_at", "published_by"]
    inlines = [JurySessionEventInline]
    MEMBERS = ["member_users", "members"]  # chosen on the jury's page among those sitting for the promotion

    def get_readonly_fields(self, request, obj=None):
        return [*self.MEMBERS, *super().get_readonly_fields(request, obj)] if obj is not None else \
            super().get_readonly_fields(request, obj)

    def get_exclude(self, request, obj=None):
        return self.MEMBERS if obj is None else super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_closed  # a closed jury is read-only; Direction reopens it in its page

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JurySessionEvent)
class JurySessionEventAdmin(ReadOnlyAdmin):
    list_display = ["session", "action", "user", "at", "reason"]
    list_filter = ["action"]

"""The admin's side of programme editing: refuse changes to a frozen programme, audit every change.

A frozen programme (`curriculum.versions`) shows read-only in the admin with a warning naming the locked
semester; a form that would add something to it (a UE, a module, a coefficient row) is refused with the
same message. Its labels (a UE's or a module's title) stay editable: they change no figure, and a closed jury's
record keeps the labels it printed (R19). Every change saved through the admin writes `ProgrammeChange` rows
(source "admin"); a competence's texts changed in the admin write `ReferenceChange` rows (source "admin").
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction

from curriculum import audit
from curriculum.audit import Action, Change, semester_number_of, subject_of
from curriculum.models import UE, Competence, CompetenceLevel, Module, ModuleUE, Programme, ReferenceChange, Semester
from curriculum.versions import frozen_message

# How to reach the programme from an object of each model.
PROGRAMME_PATHS = {Programme: "", Semester: "programme", UE: "semester.programme", Module: "semester.programme",
                   ModuleUE: "ue.semester.programme"}


# What stays editable on a frozen programme: labels, which no figure depends on (R19).
LABEL_FIELDS = {UE: ("title",), Module: ("title",)}


def label_fields(obj) -> tuple[str, ...]:
    return LABEL_FIELDS.get(type(obj), ())


def programme_of(obj) -> Programme | None:
    """Return the programme an object belongs to (None for reference data or an incomplete new object)."""
    path = PROGRAMME_PATHS.get(type(obj))
    if path is None:
        return None
    try:
        for name in filter(None, path.split(".")):
            obj = getattr(obj, name)
    except ObjectDoesNotExist:
        return None
    return obj if isinstance(obj, Programme) and obj.pk else None


def frozen_reason(obj) -> str:
    programme = programme_of(obj)
    return frozen_message(programme_id=programme.pk, code=programme.code) if programme else ""


def _value(obj, field: models.Field) -> str:
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(obj, field.name).all())) if obj.pk else ""
    return audit.show(getattr(obj, field.name))


def form_changes(form, old) -> list[Change]:
    """Return the changes a saved model form makes to `old` (the object as stored; None when it is new)."""
    obj = form.instance
    number = semester_number_of(obj)
    if old is None:
        return [Change(Action.CREATE, subject_of(obj), new=str(obj), semester_number=number)]
    changes = []
    for name in form.changed_data:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            new = ", ".join(sorted(str(item) for item in form.cleaned_data[name]))
        else:
            new = audit.show(getattr(obj, name))
        old_value = _value(old, field)
        if old_value != new:
            changes.append(Change(Action.UPDATE, subject_of(obj), str(field.verbose_name), old_value, new, number))
    return changes


class FrozenProgrammeFormMixin:
    """Refuse a model form whose object would belong to a frozen programme (an add, or a move into one)."""

    def _post_clean(self):
        super()._post_clean()
        reason = frozen_reason(self.instance)
        labels_only = self.instance.pk and set(self.changed_data) <= set(label_fields(self.instance))
        if reason and not labels_only:
            self.add_error(None, reason)


class ProgrammeGuardAdminMixin:
    """For the admins of programmes and their parts: frozen objects are read-only, changes are audited."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (FrozenProgrammeFormMixin, form), {})

    def has_change_permission(self, request, obj=None):
        if obj is not None and not label_fields(obj) and frozen_reason(obj):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """On a frozen programme only the labels stay editable."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and label_fields(obj) and frozen_reason(obj):
            form_fields = [f.name for f in obj._meta.get_fields() if getattr(f, "editable", False)
                           and not f.auto_created and f.concrete]
            readonly += [name for name in form_fields if name not in label_fields(obj) and name not in readonly]
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and frozen_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        reason = frozen_reason(obj) if obj is not None else ""
        if reason and request.method == "GET":
            messages.warning(request, reason)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        old = type(obj).objects.get(pk=obj.pk) if change else None
        changes = form_changes(form, old)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _record(obj, changes, request.user)

    def delete_model(self, request, obj):
        programme = programme_of(obj)
        change = Change(Action.DELETE, subject_of(obj), semester_number=semester_number_of(obj))
        with transaction.atomic():
            super().delete_model(request, obj)
            if programme is not None and not isinstance(obj, Programme):
                audit.record(programme=programme, changes=[change], user=request.user, source=audit.Source.ADMIN)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        changes = []
        # A fresh read: the formset's own objects already carry the submitted values.
        stored = formset.model.objects.in_bulk([f.instance.pk for f in formset.forms if f.instance.pk])
        for inline_form in formset.forms:
            obj = inline_form.instance
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            changes += form_changes(inline_form, stored.get(obj.pk) if obj.pk else None)
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                obj = inline_form.instance
                changes.append(Change(Action.DELETE, subject_of(obj), semester_number=semester_number_of(obj)))
        super().save_formset(request, form, formset, change)
        _record(form.instance, changes, request.user)


class ProgrammeGuardInlineMixin:
    """For inlines under a programme's part: read-only when the parent's programme is frozen."""

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and frozen_reason(obj)) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and frozen_reason(obj)) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and frozen_reason(obj)) and super().has_delete_permission(request, obj)


def _record(obj, changes: list[Change], user) -> None:
    programme = programme_of(obj)
    if programme is not None and changes:
        audit.record(programme=programme, changes=changes, user=user, source=audit.Source.ADMIN)


# What stays editable on a competence (or level) a frozen programme uses: its texts; its code, number, level
# and parcours make the RCUEs (R8) and the jury's subjects, so they stay as the jury decided on them (R19).
TEXT_FIELDS = {Competence: ("short_name", "name", "situations", "essential_components"), CompetenceLevel: ("label",)}


def competence_frozen_reason(obj) -> str:
    """Return why a competence's (or level's) structure cannot change: a frozen programme uses it; or ""."""
    competence = obj.competence if isinstance(obj, CompetenceLevel) else obj
    if not isinstance(competence, Competence) or not competence.pk:
        return ""
    used = (UE.objects.filter(competence_level__competence=competence)
            .values_list("semester__programme_id", "semester__programme__code").distinct())
    return next((m for m in (frozen_message(programme_id=pk, code=code) for pk, code in used) if m), "")


def _structure_fields(obj) -> list[str]:
    texts = TEXT_FIELDS.get(type(obj), ())
    return [f.name for f in obj._meta.get_fields() if getattr(f, "editable", False) and not f.auto_created
            and f.concrete and f.name not in texts]


class FrozenCompetenceInlineMixin:
    """For the levels under a competence a frozen programme uses: their labels only (no level added or removed)."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and competence_frozen_reason(obj):
            readonly += [name for name in _structure_fields(self.model()) if name not in (self.fk_name or "competence",)
                         and name not in readonly]
        return readonly

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and competence_frozen_reason(obj)) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and competence_frozen_reason(obj)) and super().has_delete_permission(request, obj)


class ReferenceJournalAdminMixin:
    """For the admins of a competence and its levels: every change is journaled (`ReferenceChange`, source admin).
    Their texts stay editable whatever uses them: a closed jury's record keeps the labels it printed (R19); what
    makes the RCUEs (code, number, level, parcours) is read-only while a frozen programme uses them."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and competence_frozen_reason(obj):
            readonly += [name for name in _structure_fields(obj) if name not in readonly]
        return readonly

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and competence_frozen_reason(obj)) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        old = type(obj).objects.get(pk=obj.pk) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _reference_record(obj, _named(form_changes(form, old), obj), request.user)

    def save_formset(self, request, form, formset, change):
        stored = formset.model.objects.in_bulk([f.instance.pk for f in formset.forms if f.instance.pk])
        changes = [c for f in formset.forms if f.has_changed() and f not in formset.deleted_forms
                   for c in _named(form_changes(f, stored.get(f.instance.pk) if f.instance.pk else None), f.instance)]
        changes += [Change(Action.DELETE, _reference_subject(f.instance)) for f in formset.deleted_forms
                    if f.instance.pk]
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            _reference_record(form.instance, changes, request.user)


def _reference_subject(obj) -> str:
    if isinstance(obj, CompetenceLevel):
        return f"{obj.competence.short_name} niveau {obj.level}"
    return getattr(obj, "short_name", "") or str(obj)


def _named(changes: list[Change], obj) -> list[Change]:
    return [Change(c.action, _reference_subject(obj), c.field, c.old, c.new) for c in changes]


def _reference_record(obj, changes: list[Change], user) -> None:
    competence = obj.competence if isinstance(obj, CompetenceLevel) else obj
    if not changes or not isinstance(competence, Competence):
        return
    audit.reference_record(speciality_id=competence.speciality_id, changes=changes, user=user,
                           source=ReferenceChange.Source.ADMIN)

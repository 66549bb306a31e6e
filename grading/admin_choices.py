"""The admin's filter and form choices of semester instances and programmes, named in one query.

A semester instance's name reads its semester, programme, parcours and year (SemesterInstance.__str__), a
programme's its parcours: a list filter or a form's select of every row would otherwise cost queries per row.
"""
from django.contrib import admin

from grading.models import SemesterInstance
from grading.models.semesters import NAME_RELATED


class NamedRelatedFilter(admin.RelatedFieldListFilter):
    """Filter by a related row: list the rows with what their names read (`related`) in the same query."""

    related: tuple[str, ...] = ()

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = field.related_model._default_manager.select_related(*self.related)
        return [(row.pk, str(row)) for row in (rows.order_by(*ordering) if ordering else rows)]


class SemesterInstanceFilter(NamedRelatedFilter):
    related = NAME_RELATED


class ProgrammeFilter(NamedRelatedFilter):
    related = ("parcours",)


class NamedSemestersAdmin(admin.ModelAdmin):
    """Offer semester instances in the forms' lists with their names read in one query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is SemesterInstance and "queryset" not in kwargs:
            kwargs["queryset"] = SemesterInstance.objects.named()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is SemesterInstance and "queryset" not in kwargs:
            kwargs["queryset"] = SemesterInstance.objects.named()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

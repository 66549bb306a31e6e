"""Admin of the reference data, for a head of department: French labels, search, filters, inlines.

A programme, its semesters, UEs, modules and coefficients go through `curriculum.admin_guard`: read-only while
the programme is frozen (a jury has locked one of its semester instances), and every change audited.

The programme pages show each programme's checks (curriculum.findings): a count in the list, the
findings in a read-only field of the change page.
"""
from django.contrib import admin
from django.template.loader import render_to_string

from butgmp.admin_readonly import ReadOnlyAdmin
from curriculum.admin_guard import (
    FrozenCompetenceInlineMixin,
    ProgrammeGuardAdminMixin,
    ProgrammeGuardInlineMixin,
    ReferenceJournalAdminMixin,
)
from curriculum.findings import check_programme, count_findings
from curriculum.models import (
    UE,
    Competence,
    CompetenceBlock,
    CompetenceLevel,
    CriticalLearning,
    Module,
    ModuleUE,
    Parcours,
    Programme,
    ProgrammeChange,
    ReferenceChange,
    Semester,
    Speciality,
)
from curriculum.selectors import build_programme_summary, programme_queryset


def _parent_id(request) -> str | None:
    """Return the id of the object a change page edits (to narrow its inlines' choices)."""
    match = getattr(request, "resolver_match", None)
    return match.kwargs.get("object_id") if match else None


class ParcoursInline(admin.TabularInline):
    model = Parcours
    extra = 0


@admin.register(Speciality)
class SpecialityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rncp"]
    search_fields = ["code", "name", "rncp"]
    inlines = [ParcoursInline]


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "speciality"]
    list_filter = ["speciality"]
    search_fields = ["code", "name"]


class CompetenceLevelInline(FrozenCompetenceInlineMixin, admin.TabularInline):
    model = CompetenceLevel
    extra = 0


@admin.register(Competence)
class CompetenceAdmin(ReferenceJournalAdminMixin, admin.ModelAdmin):
    list_display = ["code", "number", "short_name", "name", "parcours"]
    list_display_links = ["code", "short_name"]
    list_filter = ["speciality", "parcours"]
    list_select_related = ["parcours"]
    search_fields = ["code", "short_name", "name"]
    inlines = [CompetenceLevelInline]


class CriticalLearningInline(admin.TabularInline):
    model = CriticalLearning
    extra = 0


@admin.register(CompetenceLevel)
class CompetenceLevelAdmin(ReferenceJournalAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "competence", "level"]
    list_filter = ["level", "competence__parcours", "competence"]
    list_select_related = ["competence"]
    search_fields = ["label", "competence__code", "competence__short_name"]
    inlines = [CriticalLearningInline]


@admin.register(CriticalLearning)
class CriticalLearningAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "level"]
    list_filter = ["level__level", "level__competence"]
    list_select_related = ["level__competence"]
    search_fields = ["code", "text"]


@admin.register(CompetenceBlock)
class CompetenceBlockAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "competence"]
    list_filter = ["speciality"]
    list_select_related = ["competence"]
    search_fields = ["code", "title", "skills"]


class SemesterInline(ProgrammeGuardInlineMixin, admin.TabularInline):
    model = Semester
    extra = 0
    fields = ["number", "notes"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeGuardAdminMixin, admin.ModelAdmin):
    list_display = ["code", "iut", "parcours", "modality", "first_year", "hours_mode", "findings_count"]
    list_filter = ["iut", "parcours", "modality", "first_year", "hours_mode"]
    search_fields = ["code", "title", "iut", "notes"]
    readonly_fields = ["findings"]
    fieldsets = [
        (None, {"fields": ["code", "title", "iut", "speciality", "parcours", "modality", "first_year"]}),
        ("Source", {"fields": ["hours_mode", "source", "notes"]}),
        ("Vérifications", {"fields": ["findings"]}),
    ]
    inlines = [SemesterInline]

    def get_queryset(self, request):
        # Everything the checks read, prefetched: a fixed number of queries for the whole list.
        return programme_queryset()

    def _findings(self, obj):
        if not hasattr(obj, "_findings_cache"):
            obj._findings_cache = check_programme(build_programme_summary(obj))
        return obj._findings_cache

    @admin.display(description="constats")
    def findings_count(self, obj) -> str:
        counts = count_findings(self._findings(obj))
        if not counts["total"]:
            return "aucun"
        return f"{counts['total']} ({counts['errors']} erreur(s), {counts['warnings']} avertissement(s))"

    @admin.display(description="constats des vérifications")
    def findings(self, obj) -> str:
        if obj.pk is None:
            return "Enregistrez le programme pour le vérifier."
        return render_to_string("curriculum/_findings.html", {"findings": self._findings(obj)})


class UEInline(ProgrammeGuardInlineMixin, admin.TabularInline):
    model = UE
    extra = 0
    fields = ["order", "code", "title", "competence_level", "ects", "rcue_coefficient"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competence_level":
            kwargs["queryset"] = CompetenceLevel.objects.select_related("competence")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ModuleInline(ProgrammeGuardInlineMixin, admin.TabularInline):
    model = Module
    extra = 0
    fields = ["order", "code", "title", "kind", "cm", "td", "tp", "project", "evaluation_type"]
    show_change_link = True


@admin.register(Semester)
class SemesterAdmin(ProgrammeGuardAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "programme", "number"]
    list_filter = ["programme", "number", "programme__parcours"]
    list_select_related = ["programme__parcours"]
    search_fields = ["programme__code", "programme__title", "notes"]
    inlines = [UEInline, ModuleInline]


class ModuleUEForUEInline(ProgrammeGuardInlineMixin, admin.TabularInline):
    """The coefficient row of each module in this UE (the modules of the UE's semester only)."""

    model = ModuleUE
    fk_name = "ue"
    extra = 0
    fields = ["module", "coefficient", "cm", "td", "tp", "project"]
    verbose_name = "coefficient d'un module dans cette UE"
    verbose_name_plural = "coefficients des modules dans cette UE"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "module":
            queryset = Module.objects.all()
            ue_id = _parent_id(request)
            if ue_id:
                queryset = queryset.filter(semester__ues__pk=ue_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(UE)
class UEAdmin(ProgrammeGuardAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "semester", "competence_level", "ects", "rcue_coefficient"]
    list_filter = ["semester__programme", "semester__number", "competence_level__competence",
                   "competence_level__level", "parcours"]
    list_select_related = ["semester__programme__parcours", "competence_level__competence"]
    search_fields = ["code", "title", "notes", "competence_level__competence__code"]
    filter_horizontal = ["parcours"]
    inlines = [ModuleUEForUEInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competence_level":
            kwargs["queryset"] = CompetenceLevel.objects.select_related("competence")
        elif db_field.name == "semester":
            kwargs["queryset"] = Semester.objects.select_related("programme__parcours")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ModuleUEForModuleInline(ProgrammeGuardInlineMixin, admin.TabularInline):
    """The UEs this module feeds, with its coefficient and the hours listed under each."""

    model = ModuleUE
    fk_name = "module"
    extra = 0
    fields = ["ue", "coefficient", "cm", "td", "tp", "project"]
    verbose_name = "UE alimentée (coefficient et heures)"
    verbose_name_plural = "UE alimentées (coefficients et heures)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "ue":
            queryset = UE.objects.all()
            module_id = _parent_id(request)
            if module_id:
                queryset = queryset.filter(semester__modules__pk=module_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Module)
class ModuleAdmin(ProgrammeGuardAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "kind", "semester", "cm", "td", "tp", "project", "evaluation_type"]
    list_filter = ["semester__programme", "semester__number", "kind", "semester__programme__parcours"]
    list_select_related = ["semester__programme__parcours"]
    search_fields = ["code", "title", "domain", "notes"]
    inlines = [ModuleUEForModuleInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "semester":
            kwargs["queryset"] = Semester.objects.select_related("programme__parcours")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ModuleUE)
class ModuleUEAdmin(ProgrammeGuardAdminMixin, admin.ModelAdmin):
    list_display = ["module", "ue", "coefficient", "cm", "td", "tp", "project"]
    list_filter = ["ue__semester__programme", "ue__semester__number", "module__kind",
                   "ue__semester__programme__parcours"]
    list_select_related = ["module", "ue"]
    search_fields = ["module__code", "module__title", "ue__code"]
    autocomplete_fields = ["module", "ue"]


@admin.register(ProgrammeChange)
class ProgrammeChangeAdmin(ReadOnlyAdmin):
    """The audit of programme changes: read only."""

    list_display = ["at", "programme", "semester_number", "subject", "field", "old_value", "new_value", "user",
                    "source"]
    list_filter = ["source", "action", "programme"]
    list_select_related = ["programme", "user"]
    search_fields = ["subject", "field", "old_value", "new_value", "programme__code"]


@admin.register(ReferenceChange)
class ReferenceChangeAdmin(ReadOnlyAdmin):
    """The audit of the référentiel's texts (import of Orébut's file): read only."""

    list_display = ["at", "subject", "field", "old_value", "new_value", "user", "source"]
    list_filter = ["source", "action"]
    list_select_related = ["user"]
    search_fields = ["subject", "field", "old_value", "new_value"]

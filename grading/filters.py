"""Filters of the enrolment and results tables (django-filter): the query string goes through these forms.

Each filter set also checks the table's sort key (`tri`) against the sortable columns it is given; the table,
not the filter, does the sorting.
"""
import django_filters
from django import forms
from django.db.models import Q

from curriculum.models import Parcours
from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, Group, SemesterInstance
from grading.tables import ORDER_KEY


def name_or_ine(text: str, *, prefix: str = "") -> Q:
    """Match students whose last name, first name, INE or NIP contains each word of `text` (any order, any case)."""
    query = Q()
    for word in text.split():
        query &= (Q(**{f"{prefix}last_name__icontains": word}) | Q(**{f"{prefix}first_name__icontains": word})
                  | Q(**{f"{prefix}ine__icontains": word}) | Q(**{f"{prefix}nip__contains": word}))
    return query


def sort_choices(names) -> list[tuple[str, str]]:
    """Return the accepted sort keys for these column names: each name, ascending or descending."""
    return [(key, key) for name in names for key in (name, f"-{name}")]


class _SemesterEnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou INE", method="filter_name")
    groupe = django_filters.ModelChoiceFilter(label="Groupe", field_name="groups", queryset=Group.objects.none(),
                                              empty_label="Tous les groupes")
    statut = django_filters.ChoiceFilter(label="Statut", field_name="status", choices=EnrolmentStatus.choices(),
                                         empty_label="Tous les statuts")
    tri = django_filters.ChoiceFilter(label="Tri", method="keep_order", widget=forms.HiddenInput)

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def __init__(self, data=None, *args, semester_instance: SemesterInstance, sortable=(), **kwargs):
        super().__init__(data, *args, queryset=kwargs.pop("queryset"), **kwargs)
        self.form.fields["groupe"].queryset = Group.objects.filter(semester_instance=semester_instance)
        self.form.fields[ORDER_KEY].choices = sort_choices(sortable)

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_or_ine(value, prefix="student__"))

    def keep_order(self, queryset, name, value):
        return queryset  # the table sorts (its columns know how); the filter only checks the key

    def order_by(self) -> str | None:
        """Return the checked sort key, or None (invalid or none given)."""
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get(ORDER_KEY) or None


class EnrolmentFilter(_SemesterEnrolmentFilter):
    """The enrolment list's filters: name or INE, group, status, parcours."""

    parcours = django_filters.ModelChoiceFilter(label="Parcours", queryset=Parcours.objects.none(),
                                                empty_label="Tous les parcours")

    def __init__(self, data=None, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(data, *args, semester_instance=semester_instance, **kwargs)
        programme = semester_instance.semester.programme
        self.form.fields["parcours"].queryset = Parcours.objects.filter(speciality_id=programme.speciality_id)


class ResultsFilter(_SemesterEnrolmentFilter):
    """The results table's filters: name or INE, group, status."""

"""The form of the promotion's flow page: which semester's students to follow (a first-year one, first)."""
from django import forms

from grading.models import SemesterInstance


class CohortForm(forms.Form):
    semestre = forms.ModelChoiceField(
        queryset=SemesterInstance.objects.none(), label="Promotion (un semestre et ses inscrits)", empty_label=None,
        error_messages={"invalid_choice": "Ce semestre n'existe pas ou n'a pas d'inscrits."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # S1 first (a promotion from its start), the latest year first
        self.fields["semestre"].queryset = (
            SemesterInstance.objects.named().filter(enrolments__isnull=False).distinct()
            .order_by("semester__number", "-academic_year__start_year", "semester__programme__code", "label"))

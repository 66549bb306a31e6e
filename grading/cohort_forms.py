"""The form of the promotion's flow page: which first-year semester to follow."""
from django import forms

from grading.models import SemesterInstance


class CohortForm(forms.Form):
    semestre = forms.ModelChoiceField(
        queryset=SemesterInstance.objects.none(), label="Promotion (semestre de BUT1)", empty_label=None,
        error_messages={"invalid_choice": "Ce semestre n'est pas un semestre de première année avec des inscrits."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["semestre"].queryset = (
            SemesterInstance.objects.named().filter(semester__number__lte=2, enrolments__isnull=False).distinct())

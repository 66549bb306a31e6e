"""Forms that set a semester up: the instance itself, its groups, its module responsibles, its lock (R19)."""
from django import forms
from django.contrib.auth import get_user_model

from butgmp.people import person_name
from butgmp.roles import Role
from curriculum.models import Module, Semester
from curriculum.selectors import version_labels
from curriculum.versions import replacement_for
from grading.models import Group, SemesterInstance

PROGRAMME_REPLACED = ("Le programme {old} est remplacé à partir de {year} par sa nouvelle version {new} : choisissez "
                      "le semestre S{number} de {new}.")


class SemesterInstanceForm(forms.Form):
    semester = forms.ModelChoiceField(label="Semestre du programme",
                                      queryset=Semester.objects.select_related("programme__parcours"))
    start_year = forms.IntegerField(label="Année universitaire (année de début)", min_value=2000, max_value=2100,
                                    help_text="Ex. 2025 pour 2025-2026.")
    label = forms.CharField(label="Libellé", max_length=60, required=False,
                            help_text="Pour distinguer deux sessions du même semestre la même année.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = version_labels()  # two versions of a programme told apart by their label
        self.fields["semester"].label_from_instance = lambda s: f"{s} · {labels.get(s.programme_id, '')}"

    def clean(self):
        # A programme replaced by a new version from that year on is not opened again (curriculum.versions).
        data = super().clean()
        semester, start_year = data.get("semester"), data.get("start_year")
        newer = replacement_for(semester.programme, start_year) if semester and start_year else None
        if newer is not None:
            raise forms.ValidationError(PROGRAMME_REPLACED.format(
                old=semester.programme.code, new=newer.code, year=f"{newer.first_year}-{newer.first_year + 1}",
                number=semester.number))
        return data


class GroupForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=30)
    kind = forms.ChoiceField(label="Type", choices=Group.Kind.choices)


class ResponsibleForm(forms.Form):
    module = forms.ModelChoiceField(label="Module", queryset=Module.objects.none())
    user = forms.ModelChoiceField(label="Enseignant", queryset=get_user_model().objects.none())

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(semester=semester_instance.semester)
        self.fields["user"].queryset = (get_user_model().objects.filter(groups__name=Role.TEACHER)
                                        .order_by("last_name", "first_name", "username"))
        self.fields["user"].label_from_instance = person_name


class LockForm(forms.Form):
    reason = forms.CharField(label="Motif", max_length=500, required=False, widget=forms.TextInput)


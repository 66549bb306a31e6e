"""Inputs of the students' pages and of the staff actions about them (publication, bulletins, accounts)."""
from django import forms

from curriculum.models import Module
from grading.models import Enrolment, Evaluation, SemesterInstance


class PublicationForm(forms.Form):
    """Publish or withdraw one evaluation, every evaluation of a module, or of the whole semester."""

    TARGETS = [("evaluation", "une évaluation"), ("module", "un module"), ("semester", "tout le semestre")]

    target = forms.ChoiceField(choices=TARGETS)
    evaluation = forms.ModelChoiceField(queryset=Evaluation.objects.none(), required=False)
    module = forms.ModelChoiceField(queryset=Module.objects.none(), required=False)
    published = forms.TypedChoiceField(choices=[("1", "publier"), ("0", "retirer")], coerce=lambda v: v == "1")

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.semester_instance = semester_instance
        self.fields["evaluation"].queryset = (Evaluation.objects.filter(semester_instance=semester_instance)
                                              .select_related("module"))
        self.fields["module"].queryset = Module.objects.filter(semester=semester_instance.semester)

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == "evaluation" and not data.get("evaluation"):
            self.add_error("evaluation", "Choisissez l'évaluation à publier.")
        if target == "module" and not data.get("module"):
            self.add_error("module", "Choisissez le module dont publier les évaluations.")
        return data

    def module_of_target(self) -> Module | None:
        """Return the module the action is limited to (None: the whole semester)."""
        data = self.cleaned_data
        if data["target"] == "evaluation":
            return data["evaluation"].module
        return data["module"] if data["target"] == "module" else None

    def evaluations(self):
        data = self.cleaned_data
        qs = Evaluation.objects.filter(semester_instance=self.semester_instance)
        if data["target"] == "evaluation":
            return qs.filter(pk=data["evaluation"].pk)
        if data["target"] == "module":
            return qs.filter(module=data["module"])
        return qs


class BulletinVersionForm(forms.Form):
    """Which version of a bulletin staff want: the published one (default) or a working document."""

    version = forms.ChoiceField(choices=[("publiee", "version publiée (celle de l'étudiant)"),
                                         ("travail", "document de travail (notes non publiées comprises)")],
                                required=False, label="Version")

    @property
    def draft(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("version") == "travail"


class StudentAccountsForm(forms.Form):
    """Create student accounts: the enrolments ticked in the list, or the whole semester."""

    scope = forms.ChoiceField(choices=[("selection", "les étudiants cochés"), ("all", "tout le semestre")])
    enrolments = forms.ModelMultipleChoiceField(queryset=Enrolment.objects.none(), required=False)

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.semester_instance = semester_instance
        self.fields["enrolments"].queryset = Enrolment.objects.filter(semester_instance=semester_instance)

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selection" and not data.get("enrolments"):
            raise forms.ValidationError("Cochez au moins un étudiant, ou choisissez tout le semestre.")
        return data

    def students(self):
        data = self.cleaned_data
        enrolments = (data["enrolments"] if data["scope"] == "selection"
                      else Enrolment.objects.filter(semester_instance=self.semester_instance))
        return [e.student for e in enrolments.select_related("student")]


class NoticePreferenceForm(forms.Form):
    results_notices = forms.BooleanField(required=False, label="Recevoir un courriel quand des notes ou des "
                                                               "décisions me concernant sont publiées")

"""Forms of the grade-entry pages: a grade cell, an evaluation, a module grid's filter, missing grades, and the
admin's grade."""
from decimal import Decimal

from django import forms

from grading.grade_text import parse_grade
from grading.models import Evaluation, Grade, Group, SemesterInstance

ADMIN_LOCKED = "Semestre verrouillé : la direction doit le déverrouiller avant toute modification de note."

ADMIN_EMPTY = "Saisissez une note ou un code."

VALUE_MISSING = "Champ « value » absent : envoyez la saisie, vide pour effacer la note."


class GroupFilterForm(forms.Form):
    """The group filter of the grids (a GET form)."""

    groupe = forms.ModelChoiceField(label="Groupe", queryset=Group.objects.none(), required=False,
                                    empty_label="Tous les étudiants")

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = Group.objects.filter(semester_instance=semester_instance)

    def group(self) -> Group | None:
        return self.cleaned_data.get("groupe") if self.is_valid() else None


class GridAveragesForm(GroupFilterForm):
    """Which rows of a grid need their averages again (a GET query string): one enrolment, or the whole grid
    (every student, or a group's) when `inscription` is absent."""

    inscription = forms.IntegerField(min_value=1, required=False)


class GradeCellForm(forms.Form):
    """One cell saved by the grid: the enrolment, the text typed, and the version displayed."""

    enrolment = forms.IntegerField(min_value=1)
    value = forms.CharField(required=False, max_length=20, strip=True)
    version = forms.IntegerField(min_value=0)

    def clean_value(self):
        if "value" not in self.data:  # an empty value clears the grade; a missing one is a broken request
            raise forms.ValidationError(VALUE_MISSING, code="required")
        return self.cleaned_data["value"]


class EvaluationForm(forms.Form):
    """An evaluation, with one weight field per UE its module feeds (default 1)."""

    title = forms.CharField(label="Intitulé", max_length=200)
    date = forms.DateField(label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    coefficient = forms.DecimalField(label="Coefficient", min_value=0, max_digits=6, decimal_places=2,
                                     initial=Decimal("1"), localize=True)
    max_score = forms.DecimalField(label="Note maximale", min_value=Decimal("0.01"), max_digits=6, decimal_places=2,
                                   initial=Decimal("20"), localize=True)
    is_immediate = forms.BooleanField(label="Prise en compte immédiate (compte même si incomplète)", required=False)
    is_rattrapage = forms.BooleanField(label="Rattrapage", required=False)
    order = forms.IntegerField(label="Ordre", min_value=0, initial=0, required=False)

    def __init__(self, *args, ues, evaluation: Evaluation | None = None, **kwargs):
        if evaluation is not None:
            weights = {w.ue_id: w.weight for w in evaluation.weights.all()}
            kwargs.setdefault("initial", {
                "title": evaluation.title, "date": evaluation.date, "coefficient": evaluation.coefficient,
                "max_score": evaluation.max_score, "is_immediate": evaluation.is_immediate,
                "is_rattrapage": evaluation.is_rattrapage, "order": evaluation.order,
                **{f"weight_{ue.pk}": weights.get(ue.pk, Decimal("1")) for ue in ues},
            })
        super().__init__(*args, **kwargs)
        self.ues = list(ues)
        for ue in self.ues:
            self.fields[f"weight_{ue.pk}"] = forms.DecimalField(
                label=f"Poids vers {ue.code}", min_value=0, max_digits=6, decimal_places=2, initial=Decimal("1"),
                localize=True)

    def weight_fields(self):
        return [self[f"weight_{ue.pk}"] for ue in self.ues]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"], "date": data["date"], "coefficient": data["coefficient"],
            "max_score": data["max_score"], "is_immediate": data["is_immediate"],
            "is_rattrapage": data["is_rattrapage"], "order": data["order"] or 0,
            "weights": {ue: data[f"weight_{ue.pk}"] for ue in self.ues},
        }


class GradeAdminForm(forms.ModelForm):
    """The admin edits a grade as text, parsed like everywhere else (R1)."""

    entry = forms.CharField(label="Note ou code", required=False, max_length=20,
                            help_text="Nombre de 0 à la note maximale (12,5 ou 12.5), ABS, EXC, ATT, ou vide.")

    class Meta:
        model = Grade
        fields = ["evaluation", "enrolment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["entry"].initial = self.instance.display
            self.fields["evaluation"].disabled = True
            self.fields["enrolment"].disabled = True

    def clean(self):
        data = super().clean()
        evaluation = data.get("evaluation")
        if evaluation is not None:
            parsed = parse_grade(data.get("entry", ""), max_score=evaluation.max_score)
            if not parsed.ok:
                self.add_error("entry", parsed.error)
            elif not self.instance.pk and not parsed.display:
                self.add_error("entry", ADMIN_EMPTY)
            if evaluation.semester_instance.is_locked:
                self.add_error(None, ADMIN_LOCKED)
            enrolment = data.get("enrolment")
            if enrolment is not None and enrolment.semester_instance_id != evaluation.semester_instance_id:
                self.add_error("enrolment", "Cet étudiant n'est pas inscrit au semestre de cette évaluation.")
        return data


class MissingGradesForm(forms.Form):
    """Settle an incomplete evaluation (R2): every missing grade set to one code, with a reason."""

    code = forms.ChoiceField(label="Mettre les notes manquantes à",
                             choices=[("EXC", "EXC – excusé"), ("ABS", "ABS – absence (0)"),
                                      ("ATT", "ATT – en attente")])
    reason = forms.CharField(label="Motif", max_length=500)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


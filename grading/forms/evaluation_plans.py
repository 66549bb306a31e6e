"""Inputs of the evaluation-plan page: one plan for several modules, or the copy of an earlier semester's plan."""
from decimal import Decimal

from django import forms

from curriculum.models import Module
from grading.models import SemesterInstance
from grading.services.evaluation_plans import PlannedEvaluation

PLAN_ROWS = 4


class PlanModulesForm(forms.Form):
    modules = forms.ModelMultipleChoiceField(label="Modules", queryset=Module.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = modules
        self.fields["modules"].label_from_instance = lambda m: f"{m.code} – {m.title}"


class PlanRowForm(forms.Form):
    """One evaluation of the plan; a row left without a title is ignored."""

    title = forms.CharField(label="Intitulé", max_length=200, required=False)
    coefficient = forms.DecimalField(label="Coefficient", min_value=0, max_digits=6, decimal_places=2,
                                     initial=Decimal("1"), localize=True)
    max_score = forms.DecimalField(label="Note maximale", min_value=Decimal("0.01"), max_digits=6, decimal_places=2,
                                   initial=Decimal("20"), localize=True)
    is_immediate = forms.BooleanField(label="Immédiate", required=False)
    is_rattrapage = forms.BooleanField(label="Rattrapage", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the rows show their labels once, in the table's header: each input is named for screen readers (RGAA)
        row = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}, ligne {int(row) + 1}" if row.isdigit() else field.label

    def planned(self) -> PlannedEvaluation | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return PlannedEvaluation(title=data["title"], coefficient=data["coefficient"], max_score=data["max_score"],
                                 is_immediate=data["is_immediate"], is_rattrapage=data["is_rattrapage"])


PlanRowFormSet = forms.formset_factory(PlanRowForm, extra=PLAN_ROWS, max_num=20)


class PlanCopyForm(forms.Form):
    source = forms.ModelChoiceField(label="Copier le plan de", queryset=SemesterInstance.objects.none(),
                                    empty_label=None)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources

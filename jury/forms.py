"""Every input of the jury's pages: the report's filters and sort (a GET form), sessions, decisions."""
import datetime

from django import forms

from grading.engine.codes import DecisionCode
from grading.models import SemesterInstance
from grading.selectors.institution import institution_identity
from jury.decisions import OVERRIDE_CODES
from jury.next_year import Targets
from jury.report import ReportRow
from jury.subjects import Subjects

ANY = ""
NONE = "aucune"
CODE_LEVEL_REFUSED = "Le code {code} ne peut pas être donné à ce sujet : choisissez {allowed}."


class ReportFilterForm(forms.Form):
    """Filters and sort of the report, validated like any input (the choices come from the report)."""

    parcours = forms.ChoiceField(label="Parcours", required=False)
    groupe = forms.ChoiceField(label="Groupe", required=False)
    proposition = forms.ChoiceField(label="Proposition", required=False)
    decision = forms.ChoiceField(label="Décision enregistrée", required=False)
    examiner = forms.BooleanField(label="À examiner", required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, rows: list[ReportRow], sort_columns: list[str]):
        super().__init__(data)
        everyone = [(ANY, "Tous")]
        self.fields["parcours"].choices = everyone + [(p, p) for p in sorted({r.parcours for r in rows})]
        groups = sorted({g.strip() for r in rows for g in r.groups.split(",") if g.strip()})
        self.fields["groupe"].choices = everyone + [(g, g) for g in groups]
        self.fields["proposition"].choices = everyone + [(c, c) for c in sorted({r.proposal or "ATT" for r in rows})]
        self.fields["decision"].choices = everyone + [(NONE, "Aucune")] + [(c.value, c.value) for c in DecisionCode]
        self.fields["sort"].choices = [(ANY, "")] + [(f"{sign}{c}", c) for c in sort_columns for sign in ("", "-")]

    def apply(self, rows: list[ReportRow]) -> list[ReportRow]:
        """Return the rows the filters keep (every row when the form is invalid)."""
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        kept = []
        for row in rows:
            if data["parcours"] and row.parcours != data["parcours"]:
                continue
            if data["groupe"] and data["groupe"] not in [g.strip() for g in row.groups.split(",")]:
                continue
            if data["proposition"] and (row.proposal or "ATT") != data["proposition"]:
                continue
            if data["decision"] == NONE and row.recorded:
                continue
            if data["decision"] not in (ANY, NONE) and row.recorded != data["decision"]:
                continue
            if data["examiner"] and not row.to_review:
                continue
            kept.append(row)
        return kept

    def sort_order(self) -> str:
        return self.cleaned_data.get("sort", ANY) if self.is_valid() else ANY


class SessionForm(forms.Form):
    date = forms.DateField(label="Date du jury", initial=datetime.date.today,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    # prefilled with the institution's default president of juries (the IUT director or a delegate)
    president = forms.CharField(label="Président(e)", max_length=200,
                                initial=lambda: institution_identity().president_name)
    members = forms.CharField(label="Membres (un nom par ligne)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class OverrideForm(forms.Form):
    """The jury's own decision on one subject, always with a reason (R16)."""

    subject = forms.ChoiceField(label="Objet")
    code = forms.ChoiceField(label="Décision")
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, subjects: Subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects.choices()
        codes = dict.fromkeys(code for level in OVERRIDE_CODES.values() for code in level)
        self.fields["code"].choices = [(c.value, DecisionCode.labels()[c.value]) for c in codes]

    def clean(self):
        data = super().clean()
        if "subject" in data and "code" in data:
            level, _, subject = data["subject"].partition(":")
            allowed = OVERRIDE_CODES.get(level, [])
            if data["code"] not in allowed:
                self.add_error("code", CODE_LEVEL_REFUSED.format(code=data["code"], allowed=", ".join(allowed)))
            data["level"], data["subject_code"] = level, subject
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Motif de la réouverture", widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class NextYearForm(forms.Form):
    """Where the promotion goes next year: the semesters of the next year, and those of the repeat."""

    next_odd = forms.ModelChoiceField(label="Année suivante – semestre impair", queryset=None, required=False)
    next_even = forms.ModelChoiceField(label="Année suivante – semestre pair", queryset=None, required=False)
    repeat_odd = forms.ModelChoiceField(label="Redoublement – semestre impair", queryset=None, required=False)
    repeat_even = forms.ModelChoiceField(label="Redoublement – semestre pair", queryset=None, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        odd = 2 * scope.year - 1
        later = (SemesterInstance.objects.select_related("semester__programme", "academic_year")
                 .filter(semester__programme__speciality_id=scope.programme.speciality_id,
                         academic_year__start_year__gt=scope.academic_year.start_year)
                 .order_by("academic_year__start_year", "semester__programme__code", "label"))
        for name, number in (("next_odd", odd + 2), ("next_even", odd + 3), ("repeat_odd", odd),
                             ("repeat_even", odd + 1)):
            self.fields[name].queryset = later.filter(semester__number=number)
            self.fields[name].empty_label = "— aucun —"

    def targets(self) -> Targets:
        data = self.cleaned_data
        return Targets(next_odd=data.get("next_odd"), next_even=data.get("next_even"),
                       repeat_odd=data.get("repeat_odd"), repeat_even=data.get("repeat_even"))

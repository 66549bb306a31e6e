"""Every input of the jury's pages: the report's filters and sort (a GET form), sessions, decisions."""
import datetime

from django import forms
from django.contrib.auth import get_user_model

from curriculum.models import Semester
from grading.engine.codes import DecisionCode
from grading.forms.semesters import SemesterInstanceForm
from grading.selectors.institution import institution_identity
from jury.decisions import OVERRIDE_CODES
from jury.report import ReportRow
from jury.sessions import member_choices, member_name
from jury.subjects import Subjects

ANY = ""
NONE = "aucune"
COMPACT = "compacte"
CODE_LEVEL_REFUSED = "Le code {code} ne peut pas être donné à ce sujet : choisissez {allowed}."


class ReportFilterForm(forms.Form):
    """Filters and sort of the report, validated like any input (the choices come from the report)."""

    parcours = forms.ChoiceField(label="Parcours", required=False)
    groupe = forms.ChoiceField(label="Groupe", required=False)
    proposition = forms.ChoiceField(label="Proposition", required=False)
    decision = forms.ChoiceField(label="Décision enregistrée", required=False)
    examiner = forms.BooleanField(label="À examiner", required=False)
    vue = forms.ChoiceField(label="Vue", required=False, choices=[("", "complète (moyennes et codes)"),
                                                                  (COMPACT, "compacte (codes, moyennes au survol)")])
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

    def compact(self) -> bool:
        """Whether the compact view is asked for (codes first, averages on demand)."""
        return self.is_valid() and self.cleaned_data.get("vue") == COMPACT

    def sort_order(self) -> str:
        return self.cleaned_data.get("sort", ANY) if self.is_valid() else ANY


class SessionForm(forms.Form):
    date = forms.DateField(label="Date du jury", initial=datetime.date.today,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    # prefilled with the institution's default president of juries (the IUT director or a delegate)
    president = forms.CharField(label="Président(e)", max_length=200,
                                initial=lambda: institution_identity().president_name)
    members = forms.ModelMultipleChoiceField(
        label="Membres", required=False, queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les membres de jury que la direction a affectés à la promotion.")

    def __init__(self, *args, instances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = member_choices(instances)
        self.fields["members"].label_from_instance = member_name
        self.fields["members"].error_messages["invalid_choice"] = MEMBER_REFUSED


MEMBER_REFUSED = ("Un membre choisi ne siège pas au jury de cette promotion : choisissez parmi les membres que la "
                  "direction y a affectés.")


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


class NextYearOpenForm(forms.Form):
    """Open a missing target semester of the next year: the programme's version chosen among those that have it,
    checked as the semester form checks it (a programme replaced by a newer version that year is refused)."""

    semester = forms.ModelChoiceField(label="Semestre à ouvrir", queryset=None, empty_label=None)

    def __init__(self, *args, semesters: list[Semester], start_year: int, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_year, self.label = start_year, label
        self.fields["semester"].queryset = Semester.objects.filter(pk__in=[s.pk for s in semesters]).select_related(
            "programme").order_by("number", "programme__code")
        self.fields["semester"].label_from_instance = lambda s: (
            f"S{s.number} {start_year}-{start_year + 1} de {s.programme.code} ({s.programme.iut}, "
            f"{s.programme.get_modality_display()}, version {s.programme.first_year})")

    def clean(self):
        data = super().clean()
        if data.get("semester") is not None:
            same = SemesterInstanceForm({"semester": data["semester"].pk, "start_year": self.start_year,
                                         "label": self.label})
            if not same.is_valid():
                raise forms.ValidationError([e for errors in same.errors.values() for e in errors])
        return data

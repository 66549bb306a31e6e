"""Forms of attendance: a roll call's slot (group, module, date, times), a student's absence over several days,
a justification (upload or staff), the scolarité's decision, and the department's settings."""
import datetime

from django import forms

from grading.models import AttendanceSettings

ALL_STUDENTS = "tous"
MODULE_REQUIRED = "Choisissez le module de votre cours."


class SlotForm(forms.Form):
    group = forms.ChoiceField(label="Groupe")
    module = forms.ModelChoiceField(label="Module", queryset=None, required=False, empty_label="— sans module —")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="Début", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, groups, modules, module_required: bool, everyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(g.pk), str(g)) for g in groups]
        if everyone:
            choices.insert(0, (ALL_STUDENTS, "Tous les étudiants du semestre"))
        self.fields["group"].choices = choices
        self.fields["module"].queryset = modules
        self.fields["module"].required = module_required
        if module_required:
            self.fields["module"].empty_label = None
        self._groups = {str(g.pk): g for g in groups}

    def clean_group(self):
        value = self.cleaned_data["group"]
        return None if value == ALL_STUDENTS else self._groups[value]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "L'heure de fin doit suivre l'heure de début.")
        return data


class DayRangeForm(forms.Form):
    first_day = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="Au (inclus)", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", "La date de fin précède la date de début.")
        return data


class JustificationUploadForm(DayRangeForm):
    motive = forms.CharField(label="Motif", max_length=300, required=False)
    document = forms.FileField(label="Justificatif (PDF, PNG ou JPEG, 5 Mo au plus)")


class StaffJustificationForm(DayRangeForm):
    motive = forms.CharField(label="Motif", max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accepter"), ("refuse", "Refuser")], widget=forms.RadioSelect)
    reason = forms.CharField(label="Motif (obligatoire pour un refus)", max_length=300, required=False)


class AttendanceSettingsForm(forms.ModelForm):
    class Meta:
        model = AttendanceSettings
        fields = ["split_time", "review_threshold", "penalty_enabled", "penalty_threshold", "penalty_points"]
        widgets = {"split_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        localized_fields = ["penalty_points"]  # « 0,25 »


def default_slot(now: datetime.datetime) -> dict:
    """The slot a roll call starts from: today, from the current hour to two hours later."""
    start = now.replace(minute=0, second=0, microsecond=0)
    end = min(start + datetime.timedelta(hours=2), start.replace(hour=23, minute=0))
    return {"date": now.date(), "start": start.time(), "end": end.time() if end > start else start.time()}


class PromotionContactForm(forms.Form):
    """The address a promotion's attendance alerts go to (empty: none)."""

    promotion = forms.ChoiceField(label="Promotion")
    email = forms.EmailField(label="Courriel des alertes", required=False)

    def __init__(self, *args, promotions, **kwargs):
        super().__init__(*args, **kwargs)
        self.promotions = {f"{p.pk}-{y.pk}": (p, y) for p, y in promotions}
        self.fields["promotion"].choices = [(key, f"{p.code} {y}") for key, (p, y) in self.promotions.items()]

    def clean_promotion(self):
        return self.promotions[self.cleaned_data["promotion"]]

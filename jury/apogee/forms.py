"""Forms of the Apogée pages: a maquette, a sheet of codes, a programme's codes, the translation table."""
from django import forms

from grading.engine.codes import DecisionCode
from grading.models.apogee import SemesterCode, SemesterElement


class MaquetteForm(forms.Form):
    file = forms.FileField(label="Maquette Apogée de l'étape (fichier texte téléchargé d'Apogée)")


class CodeSheetForm(forms.Form):
    file = forms.FileField(label="Feuille à deux colonnes : objet, code (.xlsx ou .csv)")


class ProgrammeCodesForm(forms.Form):
    """One text field per object of the programme (its name as label)."""

    def __init__(self, *args, objects, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = objects
        for index, obj in enumerate(objects):
            self.fields[f"o{index}"] = forms.CharField(label=obj.name, required=False, max_length=20,
                                                       initial=obj.code, help_text=obj.label)

    def codes(self) -> dict[str, str]:
        return {obj.name: self.cleaned_data[f"o{i}"].strip() for i, obj in enumerate(self.objects)}

    def rows(self):
        return [(obj, self[f"o{i}"]) for i, obj in enumerate(self.objects)]


class ApogeeSettingsForm(forms.Form):
    semester_element = forms.ChoiceField(label="Note des éléments semestre", choices=SemesterElement.choices)
    semester_code = forms.ChoiceField(label="Résultat des éléments semestre", choices=SemesterCode.choices)

    def __init__(self, *args, translations: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = DecisionCode.labels()
        for code, value in translations.items():
            self.fields[f"t_{code}"] = forms.CharField(label=labels.get(code, code), required=False, max_length=8,
                                                       initial=value)

    def translations(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("t_")}

    def translation_fields(self):
        return [self[name] for name in self.fields if name.startswith("t_")]

"""Upload forms: a spreadsheet of grades or of students, bounded in size and type, and the confirmation of its
preview."""
from django import forms

from grading.spreadsheet_reading import MAX_UPLOAD_BYTES

FILE_TOO_BIG = "Fichier trop volumineux (5 Mo au plus)."

FILE_EXTENSION = "Format non pris en charge : déposez un fichier {extensions}."


class _UploadForm(forms.Form):
    extensions: tuple[str, ...] = (".xlsx",)
    file = forms.FileField(label="Fichier")

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG)
        if not file.name.lower().endswith(self.extensions):
            raise forms.ValidationError(FILE_EXTENSION.format(extensions=" ou ".join(self.extensions)))
        return file


class GradesUploadForm(_UploadForm):
    file = forms.FileField(label="Fichier de notes (.xlsx)")


class StudentListUploadForm(_UploadForm):
    extensions = (".xlsx", ".csv")
    file = forms.FileField(label="Liste d'étudiants (.xlsx ou .csv)",
                           help_text="Colonnes : INE, Nom, Prénom, Courriel, Parcours, Groupe (plusieurs groupes "
                                     "séparés par des virgules). Une case vide garde la valeur enregistrée.")
    create_groups = forms.BooleanField(label="Créer les groupes manquants", required=False,
                                       help_text="Sinon, un groupe inconnu du semestre est une erreur.")


class ImportConfirmForm(forms.Form):
    """Confirm a previewed import; for grades, tick the conflicts (changed since the download) to overwrite."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    accept = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=(),
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, conflicts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conflicts is None:  # the token alone (to find the pending import), or an import without conflicts
            del self.fields["accept"]
        else:
            self.fields["accept"].choices = [(e, e) for e in conflicts]


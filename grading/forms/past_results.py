"""Forms of the page importing results from before."""
from django import forms


class PastResultsUploadForm(forms.Form):
    file = forms.FileField(label="Fichier : tableur (.xlsx, .csv) ou JSON decisions_jury de ScoDoc (.json)")
    programme = forms.ChoiceField(label="Programme dont prendre les UE", required=False,
                                  help_text="Vide : celui où chaque étudiant est inscrit. Obligatoire pour ScoDoc.")

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—")] + [(p.code, str(p)) for p in programmes]


class TokenForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)

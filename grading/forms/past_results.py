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


class MappingForm(forms.Form):
    """The ue_id -> UE mapping of a ScoDoc file, corrected by hand on the preview (one field `ue_<ue_id>` each)."""

    def __init__(self, *args, ue_ids, **kwargs):
        super().__init__(*args, **kwargs)
        for ue_id in ue_ids:
            self.fields[f"ue_{ue_id}"] = forms.CharField(label=ue_id, required=False, max_length=20)

    def overrides(self) -> dict[str, str]:
        """Return the UE given by hand to each ue_id (an emptied field goes back to the proposed one)."""
        return {name[3:]: value.strip() for name, value in self.cleaned_data.items() if value.strip()}

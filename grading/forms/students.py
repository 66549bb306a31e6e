"""Inputs about one student: the staff search box and the identity form."""
from django import forms

from grading.enrolment_keys import is_valid_ine
from grading.forms.enrolments import INE_FORMAT
from grading.models.enrolments import NIP_INVALID, NIP_PATTERN

SEARCH_TOO_SHORT = "Tapez au moins 2 caractères (nom, prénom, INE ou NIP)."


class StudentSearchForm(forms.Form):
    """The search box of every staff page (a POST form: names stay out of access logs)."""

    q = forms.CharField(label="Rechercher un étudiant", max_length=100, min_length=2, strip=True,
                        error_messages={"min_length": SEARCH_TOO_SHORT, "required": SEARCH_TOO_SHORT},
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom, INE ou NIP",
                                                      "autocomplete": "off"}))


class StudentIdentityForm(forms.Form):
    last_name = forms.CharField(label="Nom", max_length=100)
    first_name = forms.CharField(label="Prénom", max_length=100)
    email = forms.EmailField(label="Courriel", required=False)
    ine = forms.CharField(label="INE", max_length=11, min_length=11)
    nip = forms.RegexField(label="NIP (numéro étudiant)", regex=NIP_PATTERN, required=False, max_length=12,
                           error_messages={"invalid": NIP_INVALID})
    postal_address = forms.CharField(label="Adresse postale (pour les lettres de décision)", max_length=500,
                                     required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="Motif de la modification", max_length=250, required=False)

    def clean_ine(self):
        ine = self.cleaned_data["ine"].strip().upper()
        if not is_valid_ine(ine):
            raise forms.ValidationError(INE_FORMAT)
        return ine

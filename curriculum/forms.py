from django import forms

INVALID_SEMESTER = "Le semestre « %(value)s » n'existe pas dans ce programme ; choisissez parmi : %(choices)s."


class SemesterChoiceForm(forms.Form):
    """Pick one of a programme's semesters (the `semestre` query parameter: `3` or `S3`)."""

    semestre = forms.CharField(label="Semestre", max_length=3)

    def __init__(self, *args, semester_numbers: tuple[int, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.semester_numbers = semester_numbers
        self.fields["semestre"].widget = forms.Select(choices=[(str(n), f"S{n}") for n in semester_numbers])

    def clean_semestre(self) -> int:
        raw = self.cleaned_data["semestre"].strip()
        digits = raw[1:] if raw[:1] in ("S", "s") else raw
        if not digits.isdigit() or int(digits) not in self.semester_numbers:
            choices = ", ".join(f"S{n}" for n in self.semester_numbers) or "aucun semestre"
            raise forms.ValidationError(INVALID_SEMESTER, code="invalid_choice",
                                        params={"value": raw, "choices": choices})
        return int(digits)


class NewVersionForm(forms.Form):
    """The code and first academic year of a new version of a programme."""

    code = forms.SlugField(label="Code de la nouvelle version", max_length=60,
                           help_text="Lettres, chiffres et tirets, ex. dijon-mpi-alternance-2026.")
    first_year = forms.IntegerField(label="Première année universitaire", min_value=2000, max_value=2100,
                                    help_text="Année de début : 2026 pour 2026-2027. Les semestres ouverts à partir "
                                              "de cette année utiliseront la nouvelle version.")


class ReferentielUploadForm(forms.Form):
    """The XML file of the référentiel de compétences, as Orébut exports it."""

    file = forms.FileField(label="Fichier XML du référentiel (export d'Orébut)")


class ReferentielConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)

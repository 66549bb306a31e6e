"""Every input of the grading pages, query strings and uploads included."""
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from butgmp.people import person_name
from butgmp.roles import Role
from curriculum.models import Module, Parcours, Semester
from curriculum.versions import replacement_for
from grading.engine.codes import EnrolmentStatus
from grading.models import Evaluation, Grade, Group, SemesterInstance
from grading.spreadsheet_reading import MAX_UPLOAD_BYTES
from grading.validators import is_valid_ine, parse_grade

FILE_TOO_BIG = "Fichier trop volumineux (5 Mo au plus)."
FILE_EXTENSION = "Format non pris en charge : déposez un fichier {extensions}."
INE_FORMAT = "L'INE compte 11 caractères (chiffres et lettres)."
ADMIN_LOCKED = "Semestre verrouillé : la direction doit le déverrouiller avant toute modification de note."
ADMIN_EMPTY = "Saisissez une note ou un code."
VALUE_MISSING = "Champ « value » absent : envoyez la saisie, vide pour effacer la note."
PROGRAMME_REPLACED = ("Le programme {old} est remplacé à partir de {year} par sa nouvelle version {new} : choisissez "
                      "le semestre S{number} de {new}.")


class SemesterInstanceForm(forms.Form):
    semester = forms.ModelChoiceField(label="Semestre du programme",
                                      queryset=Semester.objects.select_related("programme__parcours"))
    start_year = forms.IntegerField(label="Année universitaire (année de début)", min_value=2000, max_value=2100,
                                    help_text="Ex. 2025 pour 2025-2026.")
    label = forms.CharField(label="Libellé", max_length=60, required=False,
                            help_text="Pour distinguer deux sessions du même semestre la même année.")

    def clean(self):
        # A programme replaced by a new version from that year on is not opened again (curriculum.versions).
        data = super().clean()
        semester, start_year = data.get("semester"), data.get("start_year")
        newer = replacement_for(semester.programme, start_year) if semester and start_year else None
        if newer is not None:
            raise forms.ValidationError(PROGRAMME_REPLACED.format(
                old=semester.programme.code, new=newer.code, year=f"{newer.first_year}-{newer.first_year + 1}",
                number=semester.number))
        return data


class GroupFilterForm(forms.Form):
    """The group filter of the grids (a GET form)."""

    groupe = forms.ModelChoiceField(label="Groupe", queryset=Group.objects.none(), required=False,
                                    empty_label="Tous les étudiants")

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = Group.objects.filter(semester_instance=semester_instance)

    def group(self) -> Group | None:
        return self.cleaned_data.get("groupe") if self.is_valid() else None


class GridAveragesForm(GroupFilterForm):
    """Which rows of a grid need their averages again (a GET query string): one enrolment, or the whole grid
    (every student, or a group's) when `inscription` is absent."""

    inscription = forms.IntegerField(min_value=1, required=False)


class GradeCellForm(forms.Form):
    """One cell saved by the grid: the enrolment, the text typed, and the version displayed."""

    enrolment = forms.IntegerField(min_value=1)
    value = forms.CharField(required=False, max_length=20, strip=True)
    version = forms.IntegerField(min_value=0)

    def clean_value(self):
        if "value" not in self.data:  # an empty value clears the grade; a missing one is a broken request
            raise forms.ValidationError(VALUE_MISSING, code="required")
        return self.cleaned_data["value"]


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


class LateListForm(forms.Form):
    """At the confirmation of a student list: mark EXC the newcomers' missing grades (R2), with a reason."""

    excuse = forms.BooleanField(label="Marquer EXC les notes manquantes des nouveaux inscrits pour ces évaluations",
                                required=False)
    reason = forms.CharField(label="Motif", max_length=250, required=False,
                             initial="Inscription tardive : évaluation passée avant l'arrivée de l'étudiant.")


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


class _ParcoursAndGroupsForm(forms.Form):
    """Parcours of the programme's speciality and groups of the semester instance."""

    parcours = forms.ModelChoiceField(label="Parcours", queryset=Parcours.objects.none(), required=False)
    groups = forms.ModelMultipleChoiceField(label="Groupes", queryset=Group.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        programme = semester_instance.semester.programme
        self.fields["parcours"].queryset = Parcours.objects.filter(speciality_id=programme.speciality_id)
        self.fields["groups"].queryset = Group.objects.filter(semester_instance=semester_instance)


class EnrolStudentForm(_ParcoursAndGroupsForm):
    ine = forms.CharField(label="INE", max_length=11, min_length=11)
    last_name = forms.CharField(label="Nom", max_length=100)
    first_name = forms.CharField(label="Prénom", max_length=100)
    email = forms.EmailField(label="Courriel", required=False)
    field_order = ["ine", "last_name", "first_name", "email", "parcours", "groups"]

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, semester_instance=semester_instance, **kwargs)
        self.fields["parcours"].initial = semester_instance.semester.programme.parcours_id

    def clean_ine(self):
        ine = self.cleaned_data["ine"].strip().upper()
        if not is_valid_ine(ine):
            raise forms.ValidationError(INE_FORMAT)
        return ine


class EnrolmentForm(_ParcoursAndGroupsForm):
    status = forms.ChoiceField(label="Statut", choices=EnrolmentStatus.choices())
    is_repeat = forms.BooleanField(label="Redoublement", required=False)
    field_order = ["parcours", "status", "is_repeat", "groups"]


class GroupForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=30)
    kind = forms.ChoiceField(label="Type", choices=Group.Kind.choices)


class ResponsibleForm(forms.Form):
    module = forms.ModelChoiceField(label="Module", queryset=Module.objects.none())
    user = forms.ModelChoiceField(label="Enseignant", queryset=get_user_model().objects.none())

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(semester=semester_instance.semester)
        self.fields["user"].queryset = (get_user_model().objects.filter(groups__name=Role.TEACHER)
                                        .order_by("last_name", "first_name", "username"))
        self.fields["user"].label_from_instance = person_name


class EvaluationForm(forms.Form):
    """An evaluation, with one weight field per UE its module feeds (default 1)."""

    title = forms.CharField(label="Intitulé", max_length=200)
    date = forms.DateField(label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    coefficient = forms.DecimalField(label="Coefficient", min_value=0, max_digits=6, decimal_places=2,
                                     initial=Decimal("1"), localize=True)
    max_score = forms.DecimalField(label="Note maximale", min_value=Decimal("0.01"), max_digits=6, decimal_places=2,
                                   initial=Decimal("20"), localize=True)
    is_immediate = forms.BooleanField(label="Prise en compte immédiate (compte même si incomplète)", required=False)
    is_rattrapage = forms.BooleanField(label="Rattrapage", required=False)
    order = forms.IntegerField(label="Ordre", min_value=0, initial=0, required=False)

    def __init__(self, *args, ues, evaluation: Evaluation | None = None, **kwargs):
        if evaluation is not None:
            weights = {w.ue_id: w.weight for w in evaluation.weights.all()}
            kwargs.setdefault("initial", {
                "title": evaluation.title, "date": evaluation.date, "coefficient": evaluation.coefficient,
                "max_score": evaluation.max_score, "is_immediate": evaluation.is_immediate,
                "is_rattrapage": evaluation.is_rattrapage, "order": evaluation.order,
                **{f"weight_{ue.pk}": weights.get(ue.pk, Decimal("1")) for ue in ues},
            })
        super().__init__(*args, **kwargs)
        self.ues = list(ues)
        for ue in self.ues:
            self.fields[f"weight_{ue.pk}"] = forms.DecimalField(
                label=f"Poids vers {ue.code}", min_value=0, max_digits=6, decimal_places=2, initial=Decimal("1"),
                localize=True)

    def weight_fields(self):
        return [self[f"weight_{ue.pk}"] for ue in self.ues]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"], "date": data["date"], "coefficient": data["coefficient"],
            "max_score": data["max_score"], "is_immediate": data["is_immediate"],
            "is_rattrapage": data["is_rattrapage"], "order": data["order"] or 0,
            "weights": {ue: data[f"weight_{ue.pk}"] for ue in self.ues},
        }


class LockForm(forms.Form):
    reason = forms.CharField(label="Motif", max_length=500, required=False, widget=forms.TextInput)


class GradeAdminForm(forms.ModelForm):
    """The admin edits a grade as text, parsed like everywhere else (R1)."""

    entry = forms.CharField(label="Note ou code", required=False, max_length=20,
                            help_text="Nombre de 0 à la note maximale (12,5 ou 12.5), ABS, EXC, ATT, ou vide.")

    class Meta:
        model = Grade
        fields = ["evaluation", "enrolment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["entry"].initial = self.instance.display
            self.fields["evaluation"].disabled = True
            self.fields["enrolment"].disabled = True

    def clean(self):
        data = super().clean()
        evaluation = data.get("evaluation")
        if evaluation is not None:
            parsed = parse_grade(data.get("entry", ""), max_score=evaluation.max_score)
            if not parsed.ok:
                self.add_error("entry", parsed.error)
            elif not self.instance.pk and not parsed.display:
                self.add_error("entry", ADMIN_EMPTY)
            if evaluation.semester_instance.is_locked:
                self.add_error(None, ADMIN_LOCKED)
            enrolment = data.get("enrolment")
            if enrolment is not None and enrolment.semester_instance_id != evaluation.semester_instance_id:
                self.add_error("enrolment", "Cet étudiant n'est pas inscrit au semestre de cette évaluation.")
        return data


class MissingGradesForm(forms.Form):
    """Settle an incomplete evaluation (R2): every missing grade set to one code, with a reason."""

    code = forms.ChoiceField(label="Mettre les notes manquantes à",
                             choices=[("EXC", "EXC – excusé"), ("ABS", "ABS – absence (0)"),
                                      ("ATT", "ATT – en attente")])
    reason = forms.CharField(label="Motif", max_length=500)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

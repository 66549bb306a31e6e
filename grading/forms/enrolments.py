"""Forms of the enrolment list: enrolling one student or a late list, editing an enrolment, the late-enrolment
choice (R2) and the bulk actions."""
from django import forms

from curriculum.models import Parcours
from grading.engine.codes import EnrolmentStatus
from grading.enrolment_keys import is_valid_ine
from grading.models import Enrolment, Evaluation, Group, SemesterInstance
from grading.services.late_enrolment import DEFAULT_REASON

BULK_STATUS = "status"
BULK_GROUP_ADD = "group_add"
BULK_GROUP_REMOVE = "group_remove"
BULK_NONE_SELECTED = "Cochez au moins un étudiant."
BULK_STATUS_REQUIRED = "Choisissez le nouveau statut."
BULK_GROUP_REQUIRED = "Choisissez le groupe."


class LateEnrolmentForm(forms.Form):
    """Which evaluations already graded get EXC for the newcomer, and why (shown only when some would wait, R2)."""

    late_confirmed = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    excused = forms.ModelMultipleChoiceField(
        label="Mettre EXC (excusé) au nouvel inscrit pour ces évaluations", queryset=Evaluation.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)
    late_reason = forms.CharField(label="Motif", max_length=250, initial=DEFAULT_REASON)

    def __init__(self, *args, waits, **kwargs):
        super().__init__(*args, **kwargs)
        self.waits = waits
        field = self.fields["excused"]
        field.queryset = Evaluation.objects.filter(pk__in=[w.evaluation.pk for w in waits])
        field.initial = [w.evaluation.pk for w in waits]
        labels = {w.evaluation.pk: w for w in waits}
        field.label_from_instance = lambda e: (
            f"{e.module.code} – {e.title}" + (" (déjà incomplète)" if labels[e.pk].already_incomplete
                                                 else " (deviendra incomplète)"))


class EnrolmentBulkForm(forms.Form):
    """A bulk action on the students ticked in the enrolment list."""

    enrolments = forms.ModelMultipleChoiceField(queryset=Enrolment.objects.none(), required=False,
                                                widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(label="Pour les étudiants cochés", choices=[
        (BULK_STATUS, "changer le statut"), (BULK_GROUP_ADD, "ajouter au groupe"),
        (BULK_GROUP_REMOVE, "retirer du groupe")])
    status = forms.ChoiceField(label="Statut", choices=[("", "—"), *EnrolmentStatus.choices()], required=False)
    group = forms.ModelChoiceField(label="Groupe", queryset=Group.objects.none(), required=False)
    reason = forms.CharField(label="Motif", max_length=250, required=False)

    def __init__(self, *args, semester_instance: SemesterInstance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = (Enrolment.objects.filter(semester_instance=semester_instance)
                                              .select_related("student"))
        self.fields["group"].queryset = Group.objects.filter(semester_instance=semester_instance)

    def clean(self):
        data = super().clean()
        if not data.get("enrolments"):
            self.add_error(None, BULK_NONE_SELECTED)
        action = data.get("action")
        if action == BULK_STATUS and not data.get("status"):
            self.add_error("status", BULK_STATUS_REQUIRED)
        if action in (BULK_GROUP_ADD, BULK_GROUP_REMOVE) and not data.get("group"):
            self.add_error("group", BULK_GROUP_REQUIRED)
        return data


INE_FORMAT = "L'INE compte 11 caractères (chiffres et lettres)."


class LateListForm(forms.Form):
    """At the confirmation of a student list: mark EXC the newcomers' missing grades (R2), with a reason."""

    excuse = forms.BooleanField(label="Marquer EXC les notes manquantes des nouveaux inscrits pour ces évaluations",
                                required=False)
    reason = forms.CharField(label="Motif", max_length=250, required=False,
                             initial="Inscription tardive : évaluation passée avant l'arrivée de l'étudiant.")


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


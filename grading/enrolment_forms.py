"""Inputs of the enrolment list beyond enrolling one student: the late-enrolment choice and the bulk actions."""
from django import forms

from grading.engine.codes import EnrolmentStatus
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

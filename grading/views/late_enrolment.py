"""Enrolling one student by hand: warn first when evaluations already graded would wait for them (R2)."""
from django.contrib import messages

from grading.forms.enrolments import EnrolStudentForm, LateEnrolmentForm
from grading.models import Enrolment, SemesterInstance
from grading.selectors.missing import newcomer_waits
from grading.services.enrolments import StudentRow
from grading.services.errors import ServiceError
from grading.services.late_enrolment import student_enrol_late

STUDENT_ENROLLED = "{student} inscrit."
STUDENT_ENROLLED_EXCUSED = "{student} inscrit ; EXC (excusé) saisi pour {count} évaluation(s) déjà notée(s)."


def enrol_one(request, *, instance: SemesterInstance, form: EnrolStudentForm
              ) -> tuple[Enrolment | None, LateEnrolmentForm | None]:
    """Enrol the student of a valid form, unless evaluations would wait for them and nobody has chosen yet.

    Return the enrolment (None when not enrolled) and the late-enrolment form to show (None when not needed).
    """
    data = form.cleaned_data
    waits = newcomer_waits(semester_instance=instance, parcours=data["parcours"])
    late_form, excused, reason = None, [], ""
    if waits:
        late_form = LateEnrolmentForm(request.POST if "late_confirmed" in request.POST else None, waits=waits)
        if not late_form.is_valid():
            return None, late_form
        excused, reason = list(late_form.cleaned_data["excused"]), late_form.cleaned_data["late_reason"]
    row = StudentRow(ine=data["ine"], last_name=data["last_name"], first_name=data["first_name"],
                     email=data["email"], parcours=data["parcours"])
    try:
        enrolment = student_enrol_late(semester_instance=instance, row=row, groups=data["groups"], excused=excused,
                                       user=request.user, reason=reason)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return None, late_form
    text = STUDENT_ENROLLED_EXCUSED if excused else STUDENT_ENROLLED
    messages.success(request, text.format(student=enrolment.student, count=len(excused)))
    return enrolment, None

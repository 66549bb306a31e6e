"""Find a student from any staff page, see their semesters, and correct their identity (journalled)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from butgmp.roles import is_staff_member
from grading.access import Action, can, check_access, lookup_instance_ids, lookup_scope
from grading.forms.students import StudentIdentityForm, StudentSearchForm
from grading.selectors.roster import student_journal, student_record, student_search
from grading.services.errors import ServiceError
from grading.services.students import IDENTITY_LABELS, student_identity_update

IDENTITY_SAVED = "Identité de {student} enregistrée ({count} champ(s) modifié(s))."
IDENTITY_UNCHANGED = "Aucun changement."


@login_required
@require_http_methods(["GET", "POST"])
def student_search_view(request):
    """Search by name or INE, sent as a POST so that names never land in access logs; a single match opens the
    student's record."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    form = StudentSearchForm(request.POST or None)
    students = None
    if form.is_valid():
        students = student_search(text=form.cleaned_data["q"], instances=lookup_scope(request.user))
        if len(students) == 1:
            return redirect("grading:student_record", students[0].pk)
    return render(request, "grading/student_search.html", {"search_form": form, "students": students})


def _record_or_404(request, pk):
    if not is_staff_member(request.user):
        raise PermissionDenied
    student = student_record(student_id=pk)
    if student is None:
        raise Http404("Étudiant inconnu.")
    allowed = lookup_instance_ids(request.user)
    if allowed is not None:
        student.visible_enrolments = [e for e in student.enrolments.all() if e.semester_instance_id in allowed]
        if not student.visible_enrolments:
            raise Http404("Étudiant inconnu.")
    else:
        student.visible_enrolments = list(student.enrolments.all())
    return student


@login_required
@require_GET
def student_record_view(request, pk):
    """A student's semesters, each with a link to its grades and averages the user may see."""
    student = _record_or_404(request, pk)
    user = request.user
    for enrolment in student.visible_enrolments:
        instance = enrolment.semester_instance
        enrolment.may_results = can(user, Action.RESULTS, semester_instance=instance)
        enrolment.may_browse = can(user, Action.BROWSE, semester_instance=instance)
    may_edit = can(user, Action.SETUP, semester_instance=None)
    journal = list(student_journal(student=student)) if may_edit else []
    for entry in journal:
        entry.field_label = IDENTITY_LABELS.get(entry.field, entry.field)
    return render(request, "grading/student_record.html", {"student": student, "may_edit": may_edit,
                                                           "journal": journal})


@login_required
@require_http_methods(["GET", "POST"])
def student_identity_edit(request, pk):
    check_access(request.user, Action.SETUP, semester_instance=None)
    student = _record_or_404(request, pk)
    initial = {"last_name": student.last_name, "first_name": student.first_name, "email": student.email,
               "ine": student.ine, "nip": student.nip, "postal_address": student.postal_address}
    form = StudentIdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = student_identity_update(student=student, user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            student.refresh_from_db()
            messages.success(request, IDENTITY_SAVED.format(student=student, count=len(changed)) if changed
                             else IDENTITY_UNCHANGED)
            return redirect("grading:student_record", student.pk)
    return render(request, "grading/student_identity.html", {"student": student, "form": form})

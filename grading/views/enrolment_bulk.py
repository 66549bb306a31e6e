"""The enrolment list page (filters, sortable table, head count) and its bulk actions on ticked students."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grading.access import Action, instance_or_404
from grading.filters import EnrolmentFilter
from grading.forms.enrolments import BULK_GROUP_ADD, BULK_STATUS, EnrolmentBulkForm, EnrolStudentForm
from grading.forms.uploads import StudentListUploadForm
from grading.selectors.grade_entry import enrolments
from grading.selectors.roster import head_count
from grading.services.enrolment_bulk import enrolments_set_group, enrolments_set_status
from grading.services.errors import ServiceError
from grading.tables import EnrolmentTable

BULK_DONE = "{count} inscription(s) modifiée(s)."
BULK_NOTHING = "Aucune inscription ne change."
SORTABLE = ("ine", "student", "email", "parcours", "status", "is_repeat")


def enrolment_page(request, instance, *, form, late_form=None, bulk_form=None):
    """Render the enrolment list: enrol form (and late-enrolment choice), filters, table, bulk actions."""
    filterset = EnrolmentFilter(request.GET or None, semester_instance=instance, sortable=SORTABLE,
                                queryset=enrolments(semester_instance=instance))
    table = EnrolmentTable(filterset.qs, semester_instance=instance)
    table.order_by = filterset.order_by()
    return render(request, "grading/enrolment_list.html", {
        "instance": instance, "form": form, "late_form": late_form, "table": table, "filter": filterset,
        "count": head_count(semester_instance=instance), "upload_form": StudentListUploadForm(),
        "bulk_form": bulk_form or EnrolmentBulkForm(semester_instance=instance),
    })


@login_required
@require_POST
def enrolment_bulk(request, pk):
    """Apply one status or one group change to every ticked enrolment, as one journal batch."""
    instance = instance_or_404(request, pk, Action.SETUP)
    form = EnrolmentBulkForm(request.POST, semester_instance=instance)
    if form.is_valid():
        data = form.cleaned_data
        enrolments = list(data["enrolments"])
        try:
            if data["action"] == BULK_STATUS:
                done = enrolments_set_status(semester_instance=instance, enrolments=enrolments,
                                              status=data["status"], user=request.user, reason=data["reason"])
            else:
                done = enrolments_set_group(semester_instance=instance, enrolments=enrolments, group=data["group"],
                                             add=data["action"] == BULK_GROUP_ADD, user=request.user,
                                             reason=data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, BULK_DONE.format(count=done.changed) if done.changed else BULK_NOTHING)
        return redirect("grading:enrolment_list", instance.pk)
    return enrolment_page(request, instance, form=EnrolStudentForm(semester_instance=instance), bulk_form=form)

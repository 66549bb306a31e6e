"""A student's justifications of absence: the list of their own with their state, the upload of a new one, and their
own documents (another student's id gives 404)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grading.forms.attendance import JustificationUploadForm
from grading.models import Justification
from grading.services import justifications as service
from grading.services.errors import ServiceError
from grading.views.justifications import document_response
from portal.access import own_student

SUBMITTED = "Justificatif déposé : la scolarité l'examinera."


@login_required
@require_http_methods(["GET", "POST"])
def my_justifications(request):
    student = own_student(request.user)
    if student is None:
        raise Http404
    form = JustificationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = service.read_upload(form.cleaned_data["document"])
            service.justification_submit(student=student, first_day=form.cleaned_data["first_day"],
                                         last_day=form.cleaned_data["last_day"], motive=form.cleaned_data["motive"],
                                         upload=upload, user=request.user)
        except ServiceError as exc:
            form.add_error("document", exc.message)
        else:
            messages.success(request, SUBMITTED)
            return redirect("portal:my_justifications")
    own = Justification.objects.filter(student=student).defer("document").order_by("-submitted_at", "-id")
    return render(request, "portal/my_justifications.html", {"form": form, "justifications": own},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def my_justification_document(request, pk):
    student = own_student(request.user)
    if student is None:
        raise Http404
    return document_response(get_object_or_404(Justification, pk=pk, student=student, document__isnull=False))

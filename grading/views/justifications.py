"""The scolarité's side of justifications: the list to decide (accept, or refuse with a reason), the documents
(served to the scolarité and the student only), and a justification without a document from a student's page;
Direction's attendance rules (R20, thresholds) and the promotions' alert addresses."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from butgmp.spreadsheets import attachment
from grading.access import Action, check_department, check_office, instance_or_404
from grading.forms.attendance import (
    AttendanceSettingsForm,
    DecisionForm,
    PromotionContactForm,
    StaffJustificationForm,
)
from grading.models import (
    AttendanceSettings,
    Enrolment,
    Justification,
)
from grading.selectors.attendance import justifications_to_decide, open_promotions, promotion_contacts
from grading.services import justifications as service
from grading.services.attendance import attendance_settings_update
from grading.services.attendance_alerts import CONTACT_SET, promotion_contact_set
from grading.services.errors import ServiceError

DECIDED = "Justificatif de {student} {status}."
JUSTIFIED = "Absences du {first:%d/%m/%Y} au {last:%d/%m/%Y} justifiées."
DECIDED_SHOWN = 100
SETTINGS_SAVED = "Règles d'assiduité enregistrées."


@login_required
@require_GET
def justification_list(request):
    """Pending justifications first (oldest first), then the latest decided ones."""
    check_office(request.user)
    pending, decided = justifications_to_decide(decided_shown=DECIDED_SHOWN)
    return render(request, "grading/justification_list.html", {
        "pending": [(j, DecisionForm(prefix=f"j{j.pk}")) for j in pending], "decided": decided})


@login_required
@require_POST
def justification_decide(request, pk):
    check_office(request.user)
    justification = get_object_or_404(Justification.objects.select_related("student").defer("document"), pk=pk)
    form = DecisionForm(request.POST, prefix=f"j{pk}")
    if not form.is_valid():
        messages.error(request, "Choisissez d'accepter ou de refuser.")
        return redirect("grading:justification_list")
    try:
        decided = service.justification_decide(justification=justification,
                                               accept=form.cleaned_data["decision"] == "accept",
                                               reason=form.cleaned_data["reason"], user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DECIDED.format(student=decided.student, status=decided.get_status_display()))
    return redirect("grading:justification_list")


@login_required
@require_GET
def justification_document(request, pk):
    check_office(request.user)
    return document_response(get_object_or_404(Justification, pk=pk, document__isnull=False))


def document_response(justification: Justification) -> HttpResponse:
    """The document as a download, of the type read from its content when it was received."""
    response = HttpResponse(bytes(justification.document), content_type=justification.content_type)
    response["Content-Disposition"] = attachment(justification.filename or "justificatif")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def student_justify(request, pk, enrolment_pk):
    """Staff justify a student's absences without a document (from the student's absences page)."""
    instance = instance_or_404(request, pk, Action.SETUP)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student"), pk=enrolment_pk,
                                  semester_instance=instance)
    form = StaffJustificationForm(request.POST)
    if form.is_valid():
        try:
            done = service.justification_by_staff(student=enrolment.student, user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, JUSTIFIED.format(first=done.first_day, last=done.last_day))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("grading:student_absence", instance.pk, enrolment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_settings(request):
    """Direction sets the department's attendance rules (split time, « à examiner » threshold, R20), journaled."""
    check_department(request.user)
    current = AttendanceSettings.current()
    form = AttendanceSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_settings_update(user=request.user, **{name: form.cleaned_data[name] for name in form.fields})
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("grading:attendance_settings")
    return render(request, "grading/attendance_settings.html", {
        "form": form, "contact_form": PromotionContactForm(promotions=open_promotions()),
        "contacts": promotion_contacts()}, status=400 if form.errors else 200)


@login_required
@require_POST
def attendance_contact(request):
    """Direction sets the address a promotion's attendance alerts go to, besides the student."""
    check_department(request.user)
    form = PromotionContactForm(request.POST, promotions=open_promotions())
    if form.is_valid():
        (programme, year), email = form.cleaned_data["promotion"], form.cleaned_data["email"]
        promotion_contact_set(programme=programme, academic_year=year, email=email, user=request.user)
        messages.success(request, CONTACT_SET.format(promotion=f"{programme.code} {year}", email=email or "aucune"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("grading:attendance_settings")

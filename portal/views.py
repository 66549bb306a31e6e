"""A student's own pages: « Mes résultats », their bulletins as PDF and JSON, their notice preference.

Every route takes at most a semester instance id and looks it up among the logged-in student's own
enrolments: another id, anyone else's, gives 404.
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from butgmp.spreadsheets import attachment
from grading.attendance_counts import student_semester_counts
from portal.access import own_semester_or_404, own_student
from portal.bulletins import student_copy
from portal.forms import NoticePreferenceForm
from portal.progress import chart
from portal.results import student_results
from portal.serializers import bulletin_json, semesters_json
from portal.statistics import with_class_statistics

NO_STUDENT_RECORD = "Aucun dossier étudiant n'est lié à votre compte : contactez le secrétariat."
NO_ENROLMENT = "Vous n'êtes encore inscrit(e) à aucun semestre."
NOTICES_ON = "Vous recevrez un courriel quand des notes ou des décisions vous concernant seront publiées."
NOTICES_OFF = "Vous ne recevrez plus de courriel de publication."
API_LOGIN_REQUIRED = "Authentification requise."


def api_login_required(view):
    """Answer 401 in JSON, not a redirect to the login page, to a portal that is not logged in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"erreur": API_LOGIN_REQUIRED}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@require_GET
def my_results(request):
    """Show a student their own results, and nobody else's: the record linked to their account."""
    student = own_student(request.user)
    if student is None:
        return render(request, "portal/my_results.html", {"empty_message": NO_STUDENT_RECORD})
    results = with_class_statistics(student_results(student=student))
    return render(request, "portal/my_results.html", {
        "results": results, "empty_message": NO_ENROLMENT, "chart": chart(results.competences) if results else None,
        "notice_form": NoticePreferenceForm(initial={"results_notices": student.results_notices}),
        "absences": student_semester_counts(
            student_id=student.pk, instance_ids=[s.instance_id for s in results.semesters] if results else [])})


@login_required
@require_GET
def my_bulletin_pdf(request, instance_pk):
    results, semester = own_semester_or_404(request.user, instance_pk)
    response = HttpResponse(student_copy(results=results, semester=semester), content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"bulletin-S{semester.number}-{results.student.ine}.pdf")
    return response


@login_required
@require_POST
def my_notices(request):
    student = own_student(request.user)
    if student is None:
        raise Http404
    form = NoticePreferenceForm(request.POST)
    if form.is_valid():
        student.results_notices = form.cleaned_data["results_notices"]
        student.save(update_fields=["results_notices"])
        messages.success(request, NOTICES_ON if student.results_notices else NOTICES_OFF)
    return redirect(reverse("portal:my_results") + "#avis")


@api_login_required
@require_GET
def api_semesters(request):
    """List the logged-in student's semesters (JSON)."""
    student = own_student(request.user)
    results = student_results(student=student) if student is not None else None
    if results is None:
        raise Http404

    def url_of(instance_id):
        return request.build_absolute_uri(reverse("portal:api_bulletin", args=[instance_id]))

    return JsonResponse(semesters_json(results, url_of=url_of), json_dumps_params={"ensure_ascii": False})


@api_login_required
@require_GET
def api_bulletin(request, instance_pk):
    """Return one of the logged-in student's bulletins (JSON)."""
    results, semester = own_semester_or_404(request.user, instance_pk)
    url = request.build_absolute_uri(reverse("portal:api_bulletin", args=[instance_pk]))
    return JsonResponse(bulletin_json(results, semester, url=url), json_dumps_params={"ensure_ascii": False})

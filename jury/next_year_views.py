"""The next year's page of a year jury: the targets of each decision, the missing semesters to open, the preview
of every student, one confirmation that enrols those who have a target, and the preview as .xlsx.
Each view: access check, form, one service call, redirect or render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from butgmp.spreadsheets import attachment
from grading.services.errors import ServiceError
from jury.access import JuryAction
from jury.forms import NextYearOpenForm
from jury.next_year import next_year_enrol, next_year_open, next_year_plan, open_choices
from jury.next_year_exports import plan_filename, plan_workbook
from jury.scope import scope_of_session
from jury.session_views import session_or_404
from jury.views import XLSX

ENROLLED = "{students} étudiant(s) inscrit(s) ({created} inscription(s))."
NOBODY_NEW = "Personne de plus à inscrire : chacun est déjà inscrit là où sa décision l'envoie."
LEFT_ASIDE = "{count} étudiant(s) sans inscription prévue : voyez la liste ci-dessous et son export."
OPENED = "Semestre {instance} ouvert."


def _session_and_scope(request, pk):
    session = session_or_404(request, pk, JuryAction.ENROL)
    return session, scope_of_session(session)  # an odd-semester jury decides no year (R13): it sends nobody


def _open_form(plan, scope, data=None):
    return NextYearOpenForm(data, semesters=open_choices(plan), start_year=plan.next_start, label=scope.first.label)


@login_required
@require_http_methods(["GET", "POST"])
def next_year(request, pk):
    """Preview where the promotion goes next year (GET), then enrol those who have a target (POST)."""
    session, scope = _session_and_scope(request, pk)
    if request.method == "POST":
        try:
            result = next_year_enrol(scope=scope, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            if result.created:
                messages.success(request, ENROLLED.format(students=result.students, created=result.created))
            else:
                messages.info(request, NOBODY_NEW)
            left = len(next_year_plan(scope=scope).without_target)
            if left:
                messages.warning(request, LEFT_ASIDE.format(count=left))
        return redirect("jury:next_year", session.pk)
    plan = next_year_plan(scope=scope)
    return render(request, "jury/next_year.html", {
        "session": session, "scope": scope, "plan": plan, "open_form": _open_form(plan, scope)})


@login_required
@require_POST
def next_year_semester_open(request, pk):
    """Open a target semester of the next year that is missing, from the programme version chosen."""
    session, scope = _session_and_scope(request, pk)
    form = _open_form(next_year_plan(scope=scope), scope, request.POST)
    if form.is_valid():
        try:
            instance = next_year_open(scope=scope, semester=form.cleaned_data["semester"], user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, OPENED.format(instance=instance))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("jury:next_year", session.pk)


@login_required
@require_GET
def next_year_export(request, pk):
    """The preview as .xlsx: every student, their targets or « sans inscription prévue » and why."""
    session, scope = _session_and_scope(request, pk)
    response = HttpResponse(plan_workbook(plan=next_year_plan(scope=scope), scope=scope), content_type=XLSX)
    response["Content-Disposition"] = attachment(plan_filename(scope))
    return response

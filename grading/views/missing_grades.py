"""Incomplete evaluations (R2): a read-only view anyone reading results may open, and the action that sets
every missing grade of an evaluation to EXC, ABS or ATT at once (staff who may enter its grades)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from grading.access import Action, can, check_access, evaluation_or_404
from grading.forms.grades import MissingGradesForm
from grading.selectors.grade_entry import evaluations_for_pages, grid
from grading.selectors.missing import evaluation_missing
from grading.services.errors import ServiceError
from grading.services.missing_grades import missing_grades_fill

FILLED = "{count} note(s) manquante(s) mise(s) à {code}."


@login_required
@require_GET
def evaluation_incomplete(request, pk):
    """Show who is missing in an evaluation; to those who may grade it, its grades read-only and the action settling
    the missing ones."""
    evaluation = get_object_or_404(evaluations_for_pages(), pk=pk)
    instance = evaluation.semester_instance
    check_access(request.user, Action.MISSING, semester_instance=instance)
    may_grade = can(request.user, Action.GRADE, semester_instance=instance, module=evaluation.module)
    # whoever may not grade the evaluation sees who is missing, never the grades (need-to-know)
    rows = grid(semester_instance=instance, evaluations=[evaluation]) if may_grade else []
    missing = evaluation_missing(evaluation=evaluation)
    may_fill = may_grade and not instance.is_locked
    return render(request, "grading/evaluation_incomplete.html", {
        "evaluation": evaluation, "instance": instance, "rows": rows, "missing": missing,
        "missing_ids": {e.pk for e in missing}, "may_fill": may_fill and bool(missing), "may_grade": may_grade,
        "form": MissingGradesForm() if may_fill else None,
    })


@login_required
@require_POST
def missing_grades(request, pk):
    """Set every missing grade of the evaluation to one code, audited with the reason."""
    evaluation = evaluation_or_404(request, pk)
    form = MissingGradesForm(request.POST)
    if form.is_valid():
        try:
            result = missing_grades_fill(evaluation=evaluation, code=form.cleaned_data["code"],
                                         reason=form.cleaned_data["reason"], user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, FILLED.format(count=result.count, code=result.code))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    target = form.cleaned_data.get("next", "") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("grading:evaluation_incomplete", evaluation.pk)

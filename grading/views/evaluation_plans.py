"""Evaluation plans: the same evaluations for several modules at once, or an earlier semester's plan copied."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from grading.access import Action, can, instance_or_404, responsible_module_ids
from grading.forms.evaluation_plans import PlanCopyForm, PlanModulesForm, PlanRowFormSet
from grading.selectors.grade_entry import semester_modules
from grading.services import evaluation_plans as plans
from grading.services.errors import ServiceError

PLAN_CREATED = "{count} évaluation(s) créée(s)."
PLAN_COPIED = "{count} évaluation(s) copiée(s) de {source}."
PLAN_SKIPPED = "Non copiées (déjà présentes, ou module absent de ce semestre) : {names}."


def _modules(user, instance):
    """Return the modules whose evaluations the user may create: all for the secretariat, their own for a teacher."""
    owned = None if can(user, Action.SETUP, semester_instance=instance) else responsible_module_ids(user, instance)
    return semester_modules(semester_instance=instance, module_ids=owned)


def _page(request, instance, *, modules_form=None, rows=None, copy_form=None):
    modules = _modules(request.user, instance)
    return render(request, "grading/evaluation_plan.html", {
        "instance": instance,
        "modules_form": modules_form or PlanModulesForm(modules=modules),
        "rows": rows or PlanRowFormSet(prefix="plan"),
        "copy_form": copy_form or PlanCopyForm(sources=plans.previous_plans(semester_instance=instance)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_plan(request, pk):
    """Show both forms; on POST create the plan's evaluations in every module ticked."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    if request.method == "GET":
        return _page(request, instance)
    modules_form = PlanModulesForm(request.POST, modules=_modules(request.user, instance))
    rows = PlanRowFormSet(request.POST, prefix="plan")
    if modules_form.is_valid() and rows.is_valid():
        plan = [p for p in (row.planned() for row in rows) if p is not None]
        try:
            result = plans.evaluation_plan_create(semester_instance=instance, plan=plan, user=request.user,
                                                  modules=modules_form.cleaned_data["modules"])
        except ServiceError as exc:
            modules_form.add_error(None, exc.message)
        else:
            messages.success(request, PLAN_CREATED.format(count=len(result.created)))
            return redirect("grading:semester_detail", instance.pk)
    return _page(request, instance, modules_form=modules_form, rows=rows)


@login_required
@require_POST
def evaluation_plan_copy(request, pk):
    """Copy an earlier run's evaluations (a teacher copies those of their own modules only)."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    form = PlanCopyForm(request.POST, sources=plans.previous_plans(semester_instance=instance))
    if not form.is_valid():
        return _page(request, instance, copy_form=form)
    source = form.cleaned_data["source"]
    codes = None
    if not can(request.user, Action.SETUP, semester_instance=instance):
        codes = [module.code for module in _modules(request.user, instance)]
    try:
        result = plans.evaluation_plan_copy(source=source, target=instance, user=request.user, module_codes=codes)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _page(request, instance, copy_form=form)
    messages.success(request, PLAN_COPIED.format(count=len(result.created), source=source))
    if result.skipped:
        messages.warning(request, PLAN_SKIPPED.format(names=", ".join(result.skipped)))
    return redirect("grading:semester_detail", instance.pk)

"""Evaluations and grade grids: create, edit, the keyboard grid, one cell's save and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from curriculum.models import Module
from grading.access import (
    Action,
    can,
    evaluation_or_404,
    instance_or_404,
)
from grading.attendance_counts import enrolment_count
from grading.forms.grades import EvaluationForm, GradeCellForm, GridAveragesForm, GroupFilterForm
from grading.forms.uploads import GradesUploadForm
from grading.grid_script import grid_script_data
from grading.models import Enrolment
from grading.selectors import grade_entry
from grading.selectors.grade_entry import (
    evaluation_imports,
    grid_with_averages,
    module_evaluations,
    module_ues,
    student_grades,
    ue_titles,
)
from grading.selectors.live_results import live_results
from grading.services import evaluations as evaluation_writes
from grading.services.errors import GradeConflict, SemesterLocked, ServiceError
from grading.services.evaluations import evaluation_update
from grading.services.grades import grade_set
from grading.tables import GradeChangeTable, ImportBatchTable
from grading.views.statistics import evaluation_block, module_block

SAVED_EVALUATION = "Évaluation « {title} » enregistrée."


# ---------------------------------------------------------------- evaluations


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request, pk, module_pk):
    module = get_object_or_404(Module, pk=module_pk)
    instance = instance_or_404(request, pk, Action.GRADE, module=module)
    if module.semester_id != instance.semester_id:
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, ues=module_ues(module=module))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluation_writes.evaluation_create(semester_instance=instance, module=module,
                                                              **form.service_kwargs())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SAVED_EVALUATION.format(title=evaluation.title))
            return redirect("grading:evaluation_grid", evaluation.pk)
    return render(request, "grading/evaluation_form.html", {"instance": instance, "module": module, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk):
    evaluation = evaluation_or_404(request, pk)
    form = EvaluationForm(request.POST or None, ues=module_ues(module=evaluation.module),
                          evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_update(evaluation=evaluation, **form.service_kwargs())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SAVED_EVALUATION.format(title=evaluation.title))
            return redirect("grading:evaluation_grid", evaluation.pk)
    return render(request, "grading/evaluation_form.html", {
        "instance": evaluation.semester_instance, "module": evaluation.module, "form": form,
        "evaluation": evaluation})


@login_required
@require_GET
def evaluation_grid(request, pk):
    evaluation = evaluation_or_404(request, pk)
    instance = evaluation.semester_instance
    filter_form = GroupFilterForm(request.GET or None, semester_instance=instance)
    ues = [w.ue for w in evaluation.weights.all()]
    ue_codes = [ue.code for ue in ues]
    rows, live = grid_with_averages(semester_instance=instance, evaluations=[evaluation],
                                              module=evaluation.module, ue_codes=ue_codes, group=filter_form.group())
    imports = ImportBatchTable(evaluation_imports(evaluation=evaluation))
    return render(request, "grading/evaluation_grid.html", {
        "evaluation": evaluation, "instance": instance, "rows": rows, "filter_form": filter_form,
        "ue_codes": ue_codes, "ue_columns": [(ue.code, ue.title) for ue in ues], "live": live, "imports": imports,
        "evaluations": [evaluation],
        "upload_form": GradesUploadForm(), "incomplete": evaluation.pk in live.incomplete,
        "script_data": grid_script_data(),
        **evaluation_block(evaluation),
    })


@login_required
@require_GET
def module_grid(request, pk, module_pk):
    module = get_object_or_404(Module, pk=module_pk)
    instance = instance_or_404(request, pk, Action.GRADE, module=module)
    filter_form = GroupFilterForm(request.GET or None, semester_instance=instance)
    evaluations = module_evaluations(semester_instance=instance, module=module)
    ues = module_ues(module=module)
    ue_codes = [ue.code for ue in ues]
    rows, live = grid_with_averages(semester_instance=instance, evaluations=evaluations, module=module,
                                              ue_codes=ue_codes, group=filter_form.group())
    return render(request, "grading/module_grid.html", {
        "module": module, "instance": instance, "rows": rows, "filter_form": filter_form,
        "evaluations": evaluations, "ue_codes": ue_codes, "ue_columns": [(ue.code, ue.title) for ue in ues],
        "live": live, "script_data": grid_script_data(),
        **module_block(semester_instance=instance, module=module, evaluations=evaluations),
    })


@login_required
@require_GET
def grid_averages(request, pk, module_pk):
    """The averages beside a grid's rows, as JSON, for the grid to refresh them after a save: one row's
    (`inscription`), or every row of the grid (its group filter) once R2 completeness changed."""
    module = get_object_or_404(Module, pk=module_pk)
    instance = instance_or_404(request, pk, Action.GRADE, module=module)
    form = GridAveragesForm(request.GET, semester_instance=instance)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": "Requête invalide.", "fields": form.errors}, status=400)
    averages = grade_entry.grid_averages(semester_instance=instance, module=module, group=form.group(),
                                       enrolment_id=form.cleaned_data["inscription"])
    return JsonResponse({"ok": averages.available, "error": averages.error, "averages": averages.rows,
                         "incomplete": averages.incomplete})


@login_required
@require_POST
def grade_save(request, pk):
    """Save one grid cell; answer JSON: saved (200), refused (400), conflict (409) or locked (423)."""
    evaluation = evaluation_or_404(request, pk, weights=False)
    form = GradeCellForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": "Requête invalide.", "fields": form.errors}, status=400)
    try:
        saved = grade_set(evaluation=evaluation, enrolment_id=form.cleaned_data["enrolment"],
                                   raw=form.cleaned_data["value"], expected_version=form.cleaned_data["version"],
                                   user=request.user)
    except GradeConflict as exc:
        return JsonResponse({"ok": False, "conflict": True, "error": exc.message, "current": exc.current,
                             "yours": exc.yours, "version": exc.version}, status=409)
    except SemesterLocked as exc:
        return JsonResponse({"ok": False, "locked": True, "error": exc.message}, status=423)
    except ServiceError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    return JsonResponse({"ok": True, "changed": saved.changed, "value": saved.new,
                         "version": saved.grade.version if saved.grade else 0})


@login_required
@require_GET
def grade_history(request, pk, enrolment_pk):
    evaluation = evaluation_or_404(request, pk)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student"), pk=enrolment_pk,
                                  semester_instance_id=evaluation.semester_instance_id)
    table = GradeChangeTable(grade_entry.grade_history(evaluation=evaluation, enrolment=enrolment))
    template = ("grading/_grade_history.html" if request.headers.get("X-Requested-With") == "fetch"
                else "grading/grade_history.html")
    return render(request, template, {"evaluation": evaluation, "enrolment": enrolment, "table": table})


@login_required
@require_GET
def student_detail(request, pk, enrolment_pk):
    instance = instance_or_404(request, pk, Action.RESULTS)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student", "parcours"), pk=enrolment_pk,
                                  semester_instance=instance)
    live = live_results(semester_instance=instance, student_ids=[enrolment.student_id])
    titles = ue_titles(semester_instance=instance)
    return render(request, "grading/student_detail.html", {
        "instance": instance, "enrolment": enrolment,
        "modules": student_grades(enrolment=enrolment), "live": live,
        "ue_results": [(code, titles.get(code, ""), average, decision)
                       for code, (average, decision) in live.ues.get(enrolment.student_id, {}).items()],
        "module_results": live.modules.get(enrolment.student_id, {}),
        "attendance": enrolment_count(enrolment.pk),
        "may_setup": can(request.user, Action.SETUP, semester_instance=instance),
    })

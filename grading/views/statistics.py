"""The statistics blocks under the grade grids, as the grids draw them again after a save (HTML fragments)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from curriculum.models import Module
from grading.access import Action, evaluation_or_404, instance_or_404
from grading.selectors.grade_entry import module_evaluations
from grading.selectors.statistics import evaluation_statistics, module_statistics


def evaluation_block(evaluation) -> dict:
    """Return the context of an evaluation's statistics block."""
    return {"shown": evaluation_statistics(evaluation=evaluation), "evaluation": evaluation,
            "statistics_url": reverse("grading:evaluation_statistics", args=[evaluation.pk])}


def module_block(*, semester_instance, module, evaluations) -> dict:
    """Return the context of a module grid's statistics block."""
    return {"statistics_rows": module_statistics(semester_instance=semester_instance, evaluations=evaluations),
            "statistics_url": reverse("grading:module_statistics", args=[semester_instance.pk, module.pk])}


@login_required
@require_GET
def evaluation_statistics_block(request, pk):
    evaluation = evaluation_or_404(request, pk, weights=False)
    return render(request, "grading/_evaluation_statistics.html", evaluation_block(evaluation))


@login_required
@require_GET
def module_statistics_block(request, pk, module_pk):
    module = get_object_or_404(Module, pk=module_pk)
    instance = instance_or_404(request, pk, Action.GRADE, module=module)
    evaluations = module_evaluations(semester_instance=instance, module=module)
    return render(request, "grading/_module_statistics.html",
                  module_block(semester_instance=instance, module=module, evaluations=evaluations))

"""Access helpers shared by the grading pages."""

from django.shortcuts import get_object_or_404

from grading import selectors
from grading.models import SemesterInstance
from grading.permissions import (
    Action,
    check_access,
)


def instance_or_404(request, pk: int, action: Action, *, module=None) -> SemesterInstance:
    instance = get_object_or_404(SemesterInstance.objects.named(), pk=pk)
    check_access(request.user, action, semester_instance=instance, module=module)
    return instance


def evaluation_or_404(request, pk: int, *, weights: bool = True):
    """Return the evaluation if the user may grade it; `weights=False` skips reading its weights (a cell's save)."""
    queryset = selectors.evaluations_for_pages()
    if not weights:
        queryset = queryset.prefetch_related(None)
    evaluation = get_object_or_404(queryset, pk=pk)
    check_access(request.user, Action.GRADE, semester_instance=evaluation.semester_instance,
                 module=evaluation.module)
    return evaluation

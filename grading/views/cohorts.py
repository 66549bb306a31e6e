"""A promotion's flow over its years (Direction and the jury): a Sankey diagram and its tables."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grading.access import may_follow_promotions
from grading.cohort_flow import flow_chart, flow_tables
from grading.forms.cohorts import CohortForm
from grading.selectors.cohorts import promotion_flow


@login_required
@require_GET
def cohort_flow(request):
    if not may_follow_promotions(request.user):
        raise PermissionDenied("Le suivi des promotions est réservé à la direction et au jury.")
    form = CohortForm(request.GET or None)
    if not request.GET:  # the latest promotion first
        first = form.fields["semestre"].queryset.first()
        form = CohortForm({"semestre": first.pk} if first else None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        instance = form.cleaned_data["semestre"]
        flow = promotion_flow(semester_instance=instance)
        context.update(instance=instance, flow=flow, chart=flow_chart(
            flow, title=f"Flux de la promotion {instance} : effectifs par année et par devenir"), **flow_tables(flow))
    return render(request, "grading/cohort_flow.html", context)

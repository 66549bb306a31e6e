"""Semester pages: list, set-up, overview, lock, results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grading.access import (
    FORBIDDEN,
    Action,
    can,
    check_access,
    instance_or_404,
    may_browse_semesters,
    responsible_module_ids,
    visible_instances,
)
from grading.forms.semesters import LockForm, SemesterInstanceForm
from grading.models import SemesterInstance
from grading.selectors.grade_entry import lock_history, semester_overview
from grading.selectors.live_results import live_results
from grading.selectors.missing import waiting_evaluations
from grading.selectors.roster import head_count
from grading.selectors.statistics import lines_from_live, results_overview, ue_decision_counts
from grading.services import semesters as semester_writes
from grading.services.errors import ServiceError
from grading.services.semesters import semester_instance_create
from grading.tables import SemesterInstanceTable
from grading.views.results_tables import semester_table

SEMESTER_CREATED = "Semestre {semester} ouvert."
LOCKED_DONE = "Semestre verrouillé : les notes ne peuvent plus être modifiées."
UNLOCKED_DONE = "Semestre déverrouillé."


# ---------------------------------------------------------------- semesters


@login_required
@require_GET
def semester_list(request):
    user = request.user
    if not may_browse_semesters(user):
        raise PermissionDenied(FORBIDDEN)
    table = SemesterInstanceTable(visible_instances(user))
    return render(request, "grading/semester_list.html", {
        "table": table, "may_setup": can(user, Action.SETUP, semester_instance=None)})


@login_required
@require_http_methods(["GET", "POST"])
def semester_create(request):
    check_access(request.user, Action.SETUP, semester_instance=None)
    form = SemesterInstanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instance = semester_instance_create(semester=form.cleaned_data["semester"],
                                                         start_year=form.cleaned_data["start_year"],
                                                         label=form.cleaned_data["label"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, SEMESTER_CREATED.format(semester=instance))
            return redirect("grading:semester_detail", instance.pk)
    return render(request, "grading/semester_create.html", {"form": form})


@login_required
@require_GET
def semester_detail(request, pk):
    user = request.user
    instance = get_object_or_404(SemesterInstance.objects.named(), pk=pk)
    if not can(user, Action.BROWSE, semester_instance=instance) and can(user, Action.RESULTS,
                                                                          semester_instance=instance):
        return redirect("grading:semester_results", pk)  # the jury reads results, it enters nothing
    check_access(user, Action.BROWSE, semester_instance=instance)
    may_setup = can(user, Action.SETUP, semester_instance=instance)
    owned = None if may_setup else responsible_module_ids(user, instance)
    modules = semester_overview(semester_instance=instance, module_ids=owned)
    count = head_count(semester_instance=instance)
    waiting = waiting_evaluations(semester_instance=instance)
    if owned is not None:
        waiting = [w for w in waiting if w.evaluation.module_id in owned]
    return render(request, "grading/semester_detail.html", {
        "instance": instance, "modules": modules, "may_setup": may_setup,
        "may_lock": can(user, Action.LOCK, semester_instance=instance),
        "may_results": can(user, Action.RESULTS, semester_instance=instance),
        "enrolled": count.enrolled, "count": count, "waiting": waiting, "lock_form": LockForm(),
        "lock_events": lock_history(semester_instance=instance),
    })


@login_required
@require_POST
def semester_lock(request, pk):
    instance = instance_or_404(request, pk, Action.LOCK)
    form = LockForm(request.POST)
    if form.is_valid():
        service = semester_writes.semester_unlock if instance.is_locked else semester_writes.semester_lock
        try:
            service(semester_instance=instance, user=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, LOCKED_DONE if instance.is_locked else UNLOCKED_DONE)
    return redirect("grading:semester_detail", instance.pk)



@login_required
@require_GET
def semester_results(request, pk):
    instance = instance_or_404(request, pk, Action.RESULTS)
    live = live_results(semester_instance=instance)
    filterset, rows, table = semester_table(request, instance, live)
    waiting = waiting_evaluations(semester_instance=instance) if live.incomplete else []
    lines = lines_from_live(enrolments=[e for e, _ in rows], ues=live.ues)
    overview = results_overview(lines=lines, subjects=live.ue_codes, decisions=ue_decision_counts(lines),
                                title=f"Répartition des moyennes d'UE : {instance}",
                                decisions_title="Codes des UE (toutes UE confondues)") if live.available else None
    return render(request, "grading/semester_results.html", {
        "instance": instance, "live": live, "rows": rows, "table": table, "filter": filterset, "waiting": waiting,
        "overview": overview,
        "incomplete": [w.evaluation for w in waiting],
        "may_setup": can(request.user, Action.SETUP, semester_instance=instance)})

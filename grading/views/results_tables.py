"""The results tables: a semester's UE averages (staff, jury) and the averages of a teacher's own modules.

Both are sortable and filterable (grading.filters.ResultsFilter); the averages come from the engine's live
results, never stored.
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from curriculum.models import UE, ModuleUE
from grading.access import Action, can, instance_or_404, responsible_module_ids
from grading.filters import ResultsFilter
from grading.selectors.grade_entry import enrolments
from grading.selectors.live_results import live_results
from grading.selectors.missing import waiting_evaluations
from grading.selectors.statistics import column_statistics, merge_identical, weight_signatures
from grading.tables import ModuleResultsTable, SemesterResultsTable, results_row

FIXED_SORTABLE = ("student", "ine")


def ue_titles(*, semester_instance) -> dict[str, str]:
    """Return each UE code of the semester with its title, as the column tooltips show them."""
    return {code: title or code for code, title in UE.objects.filter(semester=semester_instance.semester)
            .values_list("code", "title")}


def filtered_enrolments(request, *, semester_instance, sortable):
    """Return the filter set of a results page (its `qs` are the enrolments to show)."""
    return ResultsFilter(request.GET or None, semester_instance=semester_instance,
                         sortable=(*FIXED_SORTABLE, *sortable),
                         queryset=enrolments(semester_instance=semester_instance))


def semester_results_table(request, *, semester_instance, filterset, rows, ue_codes) -> SemesterResultsTable:
    """Build the semester's results table from (enrolment, [(average, decision) per UE code]) rows."""
    titles = ue_titles(semester_instance=semester_instance)
    keys = [f"ue_{i}" for i in range(len(ue_codes))]
    shaped = [results_row(enrolment, [(key, average, decision)
                                      for key, (average, decision) in zip(keys, cells, strict=True)])
              for enrolment, cells in rows]
    table = SemesterResultsTable(shaped, columns=[(key, code, titles.get(code, code))
                                                  for key, code in zip(keys, ue_codes, strict=True)],
                                 semester_instance=semester_instance)
    table.order_by = filterset.order_by()
    return table


@login_required
@require_GET
def teacher_results(request, pk):
    """Module averages (towards each UE) and UE averages of the students, for the modules the user teaches."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    owned = None if can(request.user, Action.SETUP, semester_instance=instance) else responsible_module_ids(
        request.user, instance)
    pairs = (ModuleUE.objects.filter(module__semester=instance.semester).select_related("module", "ue")
             .order_by("module__order", "module__code", "ue__order", "ue__code"))
    if owned is not None:
        pairs = pairs.filter(module_id__in=owned)
    pairs = list(pairs)
    ues = sorted({p.ue for p in pairs}, key=lambda u: (u.order, u.code))
    columns = ([(f"m_{i}", f"{p.module.code} → {p.ue.code}", f"{p.module.title} : moyenne vers {p.ue.code}"
                 + (f" – {p.ue.title}" if p.ue.title else "")) for i, p in enumerate(pairs)]
               + [(f"u_{i}", f"Moy. {ue.code}", ue.title or ue.code) for i, ue in enumerate(ues)])
    # A module's columns towards two UEs that always hold the same averages (proportional weights, R3): one column
    columns = merge_identical(columns=columns, module_of={f"m_{i}": p.module.code for i, p in enumerate(pairs)},
                              signatures=weight_signatures(semester_instance=instance, pairs=[
                                  (f"m_{i}", p.module_id, p.ue.code) for i, p in enumerate(pairs)]))
    kept = {key for key, *_ in columns}
    filterset = filtered_enrolments(request, semester_instance=instance, sortable=[key for key, *_ in columns])
    live = live_results(semester_instance=instance)
    rows = []
    for enrolment in filterset.qs:
        modules = live.modules.get(enrolment.student_id, {})
        averages = live.ues.get(enrolment.student_id, {})
        rows.append(results_row(enrolment, [
            *((f"m_{i}", modules.get(p.ue.code, {}).get(p.module.code), None) for i, p in enumerate(pairs)
              if f"m_{i}" in kept),
            *((f"u_{i}", averages.get(ue.code, (None, None))[0], None) for i, ue in enumerate(ues))]))
    table = ModuleResultsTable(rows, columns=columns)
    statistics = column_statistics(columns=columns, values={key: [row[key][0] for row in rows] for key in kept})
    table.order_by = filterset.order_by()
    module_ids = {p.module_id for p in pairs}
    waiting = ([w for w in waiting_evaluations(semester_instance=instance) if w.evaluation.module_id in module_ids]
               if live.incomplete else [])
    return render(request, "grading/teacher_results.html", {
        "instance": instance, "table": table, "filter": filterset, "live": live, "waiting": waiting,
        "column_statistics": statistics, "modules": sorted({p.module for p in pairs}, key=lambda m: (m.order, m.code))})

"""The results tables: a semester's UE averages (staff, jury) and the averages of a teacher's own modules.

Both are sortable and filterable (grading.filters.ResultsFilter); the averages come from the engine's live
results, never stored.
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grading.access import Action, can, instance_or_404, responsible_module_ids
from grading.filters import ResultsFilter
from grading.selectors.grade_entry import enrolments, ue_titles
from grading.selectors.live_results import live_results
from grading.selectors.missing import waiting_evaluations
from grading.selectors.results_tables import module_cells, module_columns
from grading.selectors.statistics import column_statistics, staying_rows
from grading.tables import ModuleResultsTable, SemesterResultsTable, results_row

FIXED_SORTABLE = ("student", "ine")


def filtered_enrolments(request, *, semester_instance, sortable):
    """Return the filter set of a results page (its `qs` are the enrolments to show)."""
    return ResultsFilter(request.GET or None, semester_instance=semester_instance,
                         sortable=(*FIXED_SORTABLE, *sortable),
                         queryset=enrolments(semester_instance=semester_instance))


def semester_results_table(request, *, semester_instance, filterset, rows, ue_codes) -> SemesterResultsTable:
    """Build the semester's results table from (enrolment, [(average, decision) per UE code]) rows."""
    titles = {code: title or code for code, title in ue_titles(semester_instance=semester_instance).items()}
    keys = [f"ue_{i}" for i in range(len(ue_codes))]
    shaped = [results_row(enrolment, [(key, average, decision)
                                      for key, (average, decision) in zip(keys, cells, strict=True)])
              for enrolment, cells in rows]
    table = SemesterResultsTable(shaped, columns=[(key, code, titles.get(code, code))
                                                  for key, code in zip(keys, ue_codes, strict=True)],
                                 semester_instance=semester_instance)
    table.order_by = filterset.order_by()
    return table


def semester_table(request, instance, live) -> tuple:
    """Return what the semester's results page shows: its filter set, (enrolment, UE cells) rows and table."""
    filterset = filtered_enrolments(request, semester_instance=instance,
                                    sortable=[f"ue_{i}" for i in range(len(live.ue_codes))])
    rows = [(e, [live.ues.get(e.student_id, {}).get(code, (None, None)) for code in live.ue_codes])
            for e in filterset.qs]
    table = semester_results_table(request, semester_instance=instance, filterset=filterset, rows=rows,
                                   ue_codes=live.ue_codes)
    return filterset, rows, table


def teacher_table(request, instance):
    """Return what « Moyennes de mes modules » shows: the user's modules only (every module for the scolarité)."""
    owned = None if can(request.user, Action.SETUP, semester_instance=instance) else responsible_module_ids(
        request.user, instance)
    columns = module_columns(semester_instance=instance, module_ids=owned)
    filterset = filtered_enrolments(request, semester_instance=instance,
                                    sortable=[key for key, *_ in columns.columns])
    live = live_results(semester_instance=instance)
    rows = [results_row(enrolment, module_cells(table=columns, live=live, student_id=enrolment.student_id))
            for enrolment in filterset.qs]
    table = ModuleResultsTable(rows, columns=columns.columns)
    table.order_by = filterset.order_by()
    return columns, filterset, live, rows, table


@login_required
@require_GET
def teacher_results(request, pk):
    """Module averages (towards each UE) and UE averages of the students, for the modules the user teaches."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    columns, filterset, live, rows, table = teacher_table(request, instance)
    staying = staying_rows(rows)  # the students who left are listed, not counted
    statistics = column_statistics(columns=columns.columns, values={
        key: [row[key][0] for row in staying] for key, *_ in columns.columns})
    waiting = ([w for w in waiting_evaluations(semester_instance=instance)
                if w.evaluation.module_id in columns.module_ids] if live.incomplete else [])
    return render(request, "grading/teacher_results.html", {
        "instance": instance, "table": table, "filter": filterset, "live": live, "waiting": waiting,
        "column_statistics": statistics, "modules": columns.modules})

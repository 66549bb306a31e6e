"""The tables of the results, « Moyennes de mes modules » and enrolment pages as .xlsx, with the page's filters and
sort (its query string) and the page's access: whoever cannot open the page cannot download its table."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from butgmp.spreadsheets import attachment
from butgmp.times import paris_datetime
from grading.access import Action, instance_or_404
from grading.filters import EnrolmentFilter
from grading.selectors.grade_entry import enrolments
from grading.selectors.live_results import live_results
from grading.table_exports import (
    ENROLMENT_HEADERS,
    STUDENT_HEADERS,
    enrolment_lines,
    export_filename,
    results_lines,
    table_workbook,
)
from grading.tables import EnrolmentTable
from grading.views.enrolment_bulk import SORTABLE
from grading.views.results_tables import semester_table, teacher_table
from grading.views.spreadsheets import XLSX

ENGINE_NOTE = "Moyennes calculées le {at} (jamais stockées), arrondies au centième"


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    return response


def _now() -> str:
    return paris_datetime(timezone.now())


@login_required
@require_GET
def semester_results_export(request, pk):
    """The semester's results table: each UE's average (a number) and code, per student shown."""
    instance = instance_or_404(request, pk, Action.RESULTS)
    live = live_results(semester_instance=instance)
    _filterset, _rows, table = semester_table(request, instance, live)
    keys = [f"ue_{i}" for i in range(len(live.ue_codes))]
    headers = STUDENT_HEADERS + [h for code in live.ue_codes for h in (f"{code} moyenne", f"{code} code")]
    lines = results_lines([row.record for row in table.rows], keys=keys, with_codes=True)
    return _download(table_workbook(title=f"Résultats – {instance}", subtitle=ENGINE_NOTE.format(at=_now()),
                                    headers=headers, lines=lines, sheet="Résultats"),
                     export_filename("resultats", instance))


@login_required
@require_GET
def teacher_results_export(request, pk):
    """« Moyennes de mes modules »: the user's modules towards each UE, then those UEs (a teacher: theirs only)."""
    instance = instance_or_404(request, pk, Action.BROWSE)
    columns, _filterset, _live, _rows, table = teacher_table(request, instance)
    headers = STUDENT_HEADERS + [header for _key, header, _title in columns.columns]
    lines = results_lines([row.record for row in table.rows], keys=[key for key, *_ in columns.columns],
                          with_codes=False)
    return _download(table_workbook(title=f"Moyennes de mes modules – {instance}",
                                    subtitle=ENGINE_NOTE.format(at=_now()), headers=headers, lines=lines,
                                    sheet="Moyennes"),
                     export_filename("moyennes-modules", instance))


@login_required
@require_GET
def enrolment_export(request, pk):
    """The enrolment list as shown (filters and sort): identity, parcours, groups, status, repeat."""
    instance = instance_or_404(request, pk, Action.SETUP)
    filterset = EnrolmentFilter(request.GET or None, semester_instance=instance, sortable=SORTABLE,
                                queryset=enrolments(semester_instance=instance))
    table = EnrolmentTable(filterset.qs, semester_instance=instance)
    table.order_by = filterset.order_by()
    return _download(table_workbook(title=f"Étudiants inscrits – {instance}", subtitle="",
                                    headers=ENROLMENT_HEADERS, lines=enrolment_lines(row.record for row in table.rows),
                                    sheet="Inscriptions"),
                     export_filename("inscriptions", instance))

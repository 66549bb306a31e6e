"""The jury's reading pages: the promotions, a report (year or semester), a student's sheet, exports."""
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from butgmp.ratelimit import documents_rate_limited
from butgmp.spreadsheets import attachment
from grading.access import Action, can, sits_for_instances
from grading.models import SemesterInstance, Student
from jury import exports
from jury.access import JuryAction, check, may
from jury.documents import documents_archived
from jury.forms import OverrideForm, ReopenForm, ReportFilterForm, SessionForm
from jury.records import session_report
from jury.report import jury_report
from jury.scope import INSTANCE_RELATED, SEMESTER_KIND, YEAR_KIND, Scope, promotions, scope_for, sessions_of
from jury.sheet import student_sheet
from jury.statistics import jury_overview
from jury.tables import report_table, sort_columns
from portal.access import may_publish_decisions
from portal.publication import session_unpublished_evaluations

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_LIST_LIMIT = 5


def scope_or_404(request, kind: str, pk: int) -> Scope:
    """Return the scope named by the URL, once the user may read the jury's pages."""
    check(request.user, JuryAction.READ)
    if kind not in (YEAR_KIND, SEMESTER_KIND):
        raise Http404
    instance = get_object_or_404(SemesterInstance.objects.select_related(*INSTANCE_RELATED), pk=pk)
    scope = scope_for(instance, year=kind == YEAR_KIND)
    check(request.user, JuryAction.READ, instances=scope.instances)  # a jury member: their promotions only
    return scope


def rights(user) -> dict:
    return {"may_decide": may(user, JuryAction.DECIDE), "may_reopen": may(user, JuryAction.REOPEN),
            "may_enrol": may(user, JuryAction.ENROL), "may_publish": may_publish_decisions(user)}


@login_required
@require_GET
def jury_home(request):
    check(request.user, JuryAction.READ)
    shown = [p for p in promotions() if sits_for_instances(request.user, p.instances)]
    return render(request, "jury/home.html", {"promotions": shown})


@login_required
@require_GET
def report(request, kind, pk):
    scope = scope_or_404(request, kind, pk)
    return render_report(request, scope)


def render_report(request, scope: Scope, *, session=None):
    """Render a scope's report: blockers, counts, the filtered and sorted table, the jury's actions."""
    sessions = sessions_of(scope)
    session = session or (sessions[0] if sessions else None)
    # a closed jury's report is its record (R19); an open one shows the live figures
    result = session_report(session) if session is not None and session.is_closed else jury_report(scope=scope)
    form = ReportFilterForm(request.GET or None, rows=result.rows, sort_columns=sort_columns(result))
    rows = form.apply(result.rows)
    table = report_table(result, rows=rows, order_by=form.sort_order(), compact=form.compact())
    return render(request, "jury/report.html", {
        "scope": scope, "report": result, "table": table, "filter_form": form, "shown": len(rows),
        "overview": jury_overview(result),
        "session": session, "sessions": sessions[:SESSION_LIST_LIMIT],
        "session_form": SessionForm(instances=scope.instances),
        "reopen_form": ReopenForm(), **rights(request.user),
        "documents_archived": session is not None and documents_archived(session),
        "unpublished": (session_unpublished_evaluations(session)
                        if session is not None and session.is_closed and not session.is_published else []),
    })


@login_required
@require_GET
def sheet(request, kind, pk, student_pk):
    scope = scope_or_404(request, kind, pk)
    student = get_object_or_404(Student, pk=student_pk)
    found = student_sheet(scope=scope, student=student)
    if found is None:
        raise Http404
    sessions = sessions_of(scope)
    session = sessions[0] if sessions else None
    awaited_links(request.user, found)
    return render(request, "jury/sheet.html", {
        "scope": scope, "sheet": found, "session": session,
        "override_form": OverrideForm(subjects=found.subjects), **rights(request.user),
    })


def awaited_links(user, found) -> None:
    """Link each awaited evaluation for staff: its grid for who grades it, whom it waits for for the others."""
    for item in found.awaited:
        evaluation = item.evaluation
        if can(user, Action.GRADE, semester_instance=evaluation.semester_instance, module=evaluation.module):
            item.link = reverse("grading:evaluation_grid", args=[evaluation.pk])
        elif can(user, Action.MISSING, semester_instance=evaluation.semester_instance, module=evaluation.module):
            item.link = reverse("grading:evaluation_incomplete", args=[evaluation.pk])


@login_required
@require_GET
@documents_rate_limited
def report_export(request, kind, pk, fmt):
    """Download the report as .xlsx (the PV's table) or JSON (as `jury_report` prints it)."""
    scope = scope_or_404(request, kind, pk)
    if fmt not in ("xlsx", "json"):
        raise Http404
    sessions = sessions_of(scope)
    closed = sessions[0] if sessions and sessions[0].is_closed else None
    result = session_report(closed) if closed is not None else jury_report(scope=scope)
    name = f"rapport-jury-{scope.programme.code}-{'-'.join(f'S{n}' for n in scope.numbers)}-{scope.academic_year}"
    if fmt == "json":
        response = HttpResponse(json.dumps(exports.report_json(result), ensure_ascii=False, indent=2),
                                content_type="application/json")
    else:
        response = HttpResponse(exports.pv_workbook(report=result, session=sessions[0] if sessions else None),
                                content_type=XLSX)
    response["Content-Disposition"] = attachment(f"{name}.{fmt}")
    return response

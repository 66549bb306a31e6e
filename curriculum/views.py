"""Programme pages for staff: the list, one semester's UE × module table, and its exports."""
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from curriculum import exports
from curriculum.access import staff_required
from curriculum.apogee_codes import apogee_codes_shown
from curriculum.findings import check_programme, count_findings
from curriculum.forms import SemesterChoiceForm
from curriculum.levels_shown import semester_levels
from curriculum.selectors import get_programme_summary, list_programme_summaries, version_labels
from curriculum.tables import ProgrammeTable
from curriculum.versions import editing_context

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_programme_or_404(code: str):
    programme = get_programme_summary(code=code)
    if programme is None:
        raise Http404("Programme inconnu.")
    return programme


def _get_semester_or_404(programme, number: int):
    semester = programme.semester(number)
    if semester is None:
        raise Http404("Ce semestre n'existe pas dans ce programme.")
    return semester


@staff_required
def programme_list(request):
    rows = []
    versions = version_labels()
    for programme in list_programme_summaries():
        rows.append({
            "code": programme.code,
            "title": programme.title,
            "iut": programme.iut,
            "parcours": programme.parcours_code,
            "modality": programme.modality_label,
            "first_year": programme.academic_year,
            "version": versions.get(programme.id, ""),
            "semesters": ", ".join(s.label for s in programme.semesters),
            "findings": count_findings(check_programme(programme)),
        })
    return render(request, "curriculum/programme_list.html", {"table": ProgrammeTable(rows)})


@staff_required
def programme_detail(request, code: str):
    programme = _get_programme_or_404(code)
    numbers = programme.semester_numbers
    data = request.GET if "semestre" in request.GET else {"semestre": str(numbers[0]) if numbers else ""}
    form = SemesterChoiceForm(data, semester_numbers=numbers)
    semester = programme.semester(form.cleaned_data["semestre"]) if form.is_valid() else None
    findings = check_programme(programme)
    return render(request, "curriculum/programme_detail.html", {
        "programme": programme,
        "form": form,
        "semester": semester,
        "apogee": apogee_codes_shown(programme_id=programme.id, number=semester.number) if semester else None,
        "levels": semester_levels(programme_id=programme.id, number=semester.number) if semester else [],
        "findings": findings,
        "findings_count": count_findings(findings),
        **editing_context(user=request.user, programme_id=programme.id, code=programme.code),
    })


@staff_required
def programme_semester_xlsx(request, code: str, number: int):
    programme = _get_programme_or_404(code)
    semester = _get_semester_or_404(programme, number)
    content = exports.programme_workbook_bytes(programme, [semester])
    return _attachment(content, XLSX_CONTENT_TYPE, f"{programme.code}-S{number}.xlsx")


@staff_required
def programme_xlsx(request, code: str):
    programme = _get_programme_or_404(code)
    content = exports.programme_workbook_bytes(programme, programme.semesters)
    return _attachment(content, XLSX_CONTENT_TYPE, f"{programme.code}.xlsx")


@staff_required
def programme_semester_pdf(request, code: str, number: int):
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow and only PDFs need it

    programme = _get_programme_or_404(code)
    semester = _get_semester_or_404(programme, number)
    html = render_to_string("curriculum/pdf/programme_semester.html",
                            {"programme": programme, "semester": semester})
    content = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return _attachment(content, "application/pdf", f"{programme.code}-S{number}.pdf")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

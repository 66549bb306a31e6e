"""Bulletins (relevés de notes) as PDF, rendered by WeasyPrint from `templates/portal/pdf/bulletin.html`."""
from collections.abc import Callable

from django.template.loader import render_to_string

from grading.selectors.attendance import student_semester_counts
from portal.progress import chart
from portal.results import SemesterResults, StudentResults

TEMPLATE = "portal/pdf/bulletin.html"


def bulletin_context(*, results: StudentResults, semester: SemesterResults) -> dict:
    return {"results": results, "semester": semester, "student": results.student,
            "chart": chart(results.competences),
            "absences": student_semester_counts(student_id=results.student.pk, instance_ids=[semester.instance_id])}


def bulletin_html(*, results: StudentResults, semester: SemesterResults) -> str:
    return render_to_string(TEMPLATE, bulletin_context(results=results, semester=semester))


def bulletin_pdf(*, results: StudentResults, semester: SemesterResults) -> bytes:
    """Return one student's bulletin for one semester."""
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow and only PDFs need it

    return HTML(string=bulletin_html(results=results, semester=semester)).write_pdf()


def bulletins_pdf(*, items: list[tuple[StudentResults, SemesterResults]],
                  progress: Callable[[int], None] | None = None) -> bytes:
    """Return several bulletins as one PDF, each starting on a new page; `progress(n)` after each one."""
    from weasyprint import HTML

    documents = []
    for n, (results, semester) in enumerate(items, start=1):
        documents.append(HTML(string=bulletin_html(results=results, semester=semester)).render())
        if progress is not None:
            progress(n)
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()

"""Bulletins (relevés de notes) as PDF, rendered by WeasyPrint from `templates/portal/pdf/bulletin.html`.

Several bulletins are one HTML document (each starting on a new page) laid out at once: the stylesheet
(`templates/portal/pdf/bulletin.css`) is parsed once per process and the fonts configured once per thread, so a
bulletin costs its layout only. Three kinds of copy: the original staff hand out (the signature block), the
student's own download (« duplicata — document non officiel » on every page) and the working document (every
grade, « document de travail — proposition »).
"""
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.template.loader import render_to_string
from django.utils import timezone

from grading.attendance_counts import student_semester_counts
from grading.selectors.institution import institution_identity, letterhead_context
from portal.progress import chart
from portal.results import SemesterResults, StudentResults
from portal.statistics import Promotion, promotion_statistics

TEMPLATE = "portal/pdf/bulletin.html"
STYLESHEET = "portal/pdf/bulletin.css"
CHUNK = 25  # bulletins laid out together; progress is saved after each chunk


class Copy(StrEnum):
    ORIGINAL = "original"  # staff's, published figures, signed
    DUPLICATE = "duplicata"  # the student's own download
    DRAFT = "travail"  # staff's working document: every grade and proposal


@dataclass
class UERow:
    """A UE of the bulletin with the promotion's figures beside it and its modules'."""

    ue: object  # portal.results.UELine
    figures: object  # portal.statistics.Figures or None (under six results)
    rank: tuple[int, int] | None
    modules: list  # [(ModuleLine, Figures or None)]


def copy_of(*, draft: bool, student: bool) -> Copy:
    return Copy.DRAFT if draft else Copy.DUPLICATE if student else Copy.ORIGINAL


def bulletin_context(*, results: StudentResults, semester: SemesterResults, promotion: Promotion | None = None,
                     copy: Copy = Copy.ORIGINAL, show_rank: bool = False) -> dict:
    """Return one bulletin's context: `results`, `semester`, `student`, `chart` (the names the template has always
    read), the UEs with the promotion's figures, the copy and whether the semester is decided."""
    promotion = promotion or Promotion(size=0)
    rows = [UERow(ue=ue, figures=promotion.ues.get(ue.code),
                  rank=promotion.rank(ue.code, ue.average) if show_rank else None,
                  modules=[(m, promotion.modules.get((ue.code, m.code))) for m in ue.modules])
            for ue in semester.ues]
    return {"results": results, "semester": semester, "student": results.student, "chart": chart(results.competences),
            "rows": rows, "evaluations": _evaluations(semester), "copy": str(copy),
            "proposal": not semester.jury_published, "signed": copy == Copy.ORIGINAL,
            "absences": student_semester_counts(student_id=results.student.pk, instance_ids=[semester.instance_id])}


def _evaluations(semester: SemesterResults) -> list:
    """Return each module of the semester once, with its evaluations (a module feeding several UEs is listed
    under each of them in the table, its grades only once)."""
    seen, modules = set(), []
    for ue in semester.ues:
        for module in ue.modules:
            if module.code not in seen and module.evaluations:
                seen.add(module.code)
                modules.append(module)
    return modules


def bulletins_html(contexts: list[dict]) -> str:
    """Return the HTML of several bulletins (one document, each bulletin from a new page)."""
    identity = institution_identity()
    return render_to_string(TEMPLATE, {"bulletins": contexts, **letterhead_context(identity),
                                       "today": timezone.localdate()})


def bulletin_html(*, results: StudentResults, semester: SemesterResults, **options) -> str:
    return bulletins_html([bulletin_context(results=results, semester=semester, **options)])


_local = threading.local()
_stylesheet: list = []  # [CSS source], read once per process


def _render(html: str):
    """Lay out an HTML document with the shared stylesheet and this thread's font configuration."""
    from weasyprint import CSS, HTML  # imported here: loading WeasyPrint is slow and only PDFs need it
    from weasyprint.text.fonts import FontConfiguration

    if not _stylesheet:
        _stylesheet.append(render_to_string(STYLESHEET))
    if getattr(_local, "css", None) is None:
        _local.fonts = FontConfiguration()
        _local.css = CSS(string=_stylesheet[0], font_config=_local.fonts)
    return HTML(string=html).render(stylesheets=[_local.css], font_config=_local.fonts)


def html_pdf(html: str) -> bytes:
    return _render(html).write_pdf()


def bulletin_pdf(*, results: StudentResults, semester: SemesterResults, promotion: Promotion | None = None,
                 copy: Copy = Copy.ORIGINAL, show_rank: bool = False) -> bytes:
    """Return one student's bulletin for one semester (the promotion's figures read when not given)."""
    if promotion is None:
        promotion = promotion_statistics(semester_instance_id=semester.instance_id, draft=results.draft)
    return html_pdf(bulletin_html(results=results, semester=semester, promotion=promotion, copy=copy,
                                  show_rank=show_rank))


def bulletins_pdf(*, items: list[tuple[StudentResults, SemesterResults]], promotion: Promotion | None = None,
                  copy: Copy = Copy.ORIGINAL, show_rank: bool = False,
                  progress: Callable[[int], None] | None = None) -> bytes:
    """Return several bulletins as one PDF, each starting on a new page, laid out CHUNK at a time; `progress(n)`
    after each chunk. The promotion's figures are those of the semester's students given (a whole semester)."""
    if not items:
        return b""
    from portal.statistics import promotion_figures

    if promotion is None:
        promotion = promotion_figures(semester for _, semester in items)
    documents = []
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        documents.append(_render(bulletins_html([
            bulletin_context(results=results, semester=semester, promotion=promotion, copy=copy,
                             show_rank=show_rank) for results, semester in chunk])))
        if progress is not None:
            progress(start + len(chunk))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()

"""The jury report as a sortable table (django-tables2): a column per UE and per RCUE of the scope.

Sorting is set from the validated filter form (`ReportFilterForm.sort`), never read from the raw query string.
The rows are written by one template (`_report_table.html`) straight from each `ReportRow`: a cell-by-cell
rendering costs seconds on a 1 000-student promotion.
"""
import django_tables2 as tables
from django.urls import reverse

from jury.report import Report, mark_origins

BASE_SORTS = ["student", "ine", "parcours", "groups", "status", "ects_year", "ects_total", "absences", "proposal",
              "recorded", "review"]


class JuryReportTable(tables.Table):
    student = tables.Column(verbose_name="Étudiant", order_by=("sort_name",), attrs={"th": {"class": "sticky-name"}})
    ine = tables.Column(accessor="student__ine", verbose_name="INE", attrs={"th": {"class": "sticky-ine"}})
    parcours = tables.Column(verbose_name="Parcours")
    groups = tables.Column(verbose_name="Groupe")
    status = tables.Column(verbose_name="Statut")
    ects_year = tables.Column(verbose_name="ECTS année", attrs={"th": {"class": "num"}})
    ects_total = tables.Column(verbose_name="ECTS total", attrs={"th": {"class": "num"}})
    proposal = tables.Column(verbose_name="Proposition", order_by=("proposal_sort",))
    recorded = tables.Column(verbose_name="Décision", order_by=("recorded_sort",))
    absences = tables.Column(verbose_name="Abs.", order_by=("absences_sort",),
                             attrs={"th": {"class": "num", "title": "Absences : demi-journées (dont non justifiées)"}})
    review = tables.Column(verbose_name="À examiner", order_by=("review_sort",))

    class Meta:
        sequence = ("student", "ine", "parcours", "groups", "status", "...", "ects_year", "ects_total", "absences",
                    "proposal", "recorded", "review")
        attrs = {"class": "table jury-report"}
        empty_text = "Aucun étudiant."
        template_name = "jury/_report_table.html"


def sort_columns(report: Report) -> list[str]:
    """Return every column name the report may be sorted on (the filter form's choices)."""
    return BASE_SORTS + [f"ue{i}" for i in range(len(report.ue_columns))] + [
        f"rcue{i}" for i in range(len(report.rcue_columns))]


def report_table(report: Report, *, rows, order_by: str, compact: bool = False) -> JuryReportTable:
    """Return the table of the given rows, with a column per UE and RCUE of the report, sorted as asked.

    The compact view shows the codes only (each average in the cell's title, the full view a click away) and
    names the RCUEs by their key, the competence in the header's title: a BUT2 year fits 1 400 px."""
    mark_origins(report)
    extra = [(f"ue{i}", tables.Column(accessor=f"ue_list__{i}", order_by=(f"ue_sort__{i}",), verbose_name=c.code,
                                      attrs={"th": {"title": c.title or c.code, "class": "num"}}))
             for i, c in enumerate(report.ue_columns)]
    extra += [(f"rcue{i}", tables.Column(accessor=f"rcue_list__{i}", order_by=(f"rcue_sort__{i}",),
                                         verbose_name=c.key if compact else f"RCUE {c.key} {c.competence}",
                                         attrs={"th": {"class": "num rcue",
                                                       "title": f"RCUE {c.key} – {c.competence}"}}))
              for i, c in enumerate(report.rcue_columns)]
    table = JuryReportTable(rows, extra_columns=extra, attrs={"class": "table jury-report compact" if compact
                                                              else "table jury-report"},
                            exclude=(() if report.scope.decides_year else ("proposal", "recorded"))
                            + (("parcours", "groups") if compact else ()))
    # Each row links to its student's sheet: reverse once, append the student's id (one reverse per row is slow).
    table.sheet_prefix = reverse("jury:sheet", args=[*report.scope.url_args, 0]).removesuffix("0/")
    table.decides_year = report.scope.decides_year
    table.compact = compact
    if order_by:
        table.order_by = order_by
    return table

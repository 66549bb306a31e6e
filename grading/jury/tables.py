"""The jury report as a sortable table (django-tables2): a column per UE and per RCUE of the scope.

Sorting is set from the validated filter form (`ReportFilterForm.sort`), never read from the raw query string.
"""
import django_tables2 as tables

from butgmp.formats import format_decimal
from grading.jury.report import Report

CELL_TEMPLATE = "grading/jury/_result_cell.html"
BASE_SORTS = ["student", "ine", "parcours", "groups", "status", "ects_year", "ects_total", "proposal", "recorded",
              "review"]


class JuryReportTable(tables.Table):
    student = tables.TemplateColumn(template_name="grading/jury/_student_cell.html", verbose_name="Étudiant",
                                    order_by=("sort_name",))
    ine = tables.Column(accessor="student__ine", verbose_name="INE")
    parcours = tables.Column(verbose_name="Parcours")
    groups = tables.Column(verbose_name="Groupe", default="")
    status = tables.TemplateColumn(template_name="grading/jury/_status_cell.html", verbose_name="Statut",
                                   order_by=("status",))
    ects_year = tables.Column(verbose_name="ECTS année", attrs={"td": {"class": "num"}})
    ects_total = tables.Column(verbose_name="ECTS total", attrs={"td": {"class": "num"}})
    proposal = tables.Column(verbose_name="Proposition", order_by=("proposal_sort",), default="—",
                             attrs={"td": {"class": "decision proposal"}})
    recorded = tables.Column(verbose_name="Décision", order_by=("recorded_sort",), default="—",
                             attrs={"td": {"class": "decision recorded"}})
    review = tables.TemplateColumn(template_name="grading/jury/_review_cell.html", verbose_name="À examiner",
                                   order_by=("review_sort",))

    class Meta:
        sequence = ("student", "ine", "parcours", "groups", "status", "...", "ects_year", "ects_total", "proposal",
                    "recorded", "review")
        attrs = {"class": "table jury-report"}
        row_attrs = {"data-ine": lambda record: record.student.ine,
                     "class": lambda record: "left" if record.has_left else ("blocked" if record.blockers else "")}
        empty_text = "Aucun étudiant."
        template_name = "django_tables2/table.html"

    def render_ects_year(self, value):
        return format_decimal(value)

    def render_ects_total(self, value):
        return format_decimal(value)


def sort_columns(report: Report) -> list[str]:
    """Return every column name the report may be sorted on (the filter form's choices)."""
    return BASE_SORTS + [f"ue{i}" for i in range(len(report.ue_columns))] + [
        f"rcue{i}" for i in range(len(report.rcue_columns))]


def report_table(report: Report, *, rows, order_by: str) -> JuryReportTable:
    """Return the table of the given rows, with a column per UE and RCUE of the report, sorted as asked."""
    extra = [(f"ue{i}", tables.TemplateColumn(
        template_name=CELL_TEMPLATE, accessor=f"ue_list__{i}", order_by=(f"ue_sort__{i}",), verbose_name=c.code,
        attrs={"th": {"title": c.title or c.code, "class": "num"}, "td": {"class": "num"}}))
        for i, c in enumerate(report.ue_columns)]
    extra += [(f"rcue{i}", tables.TemplateColumn(
        template_name=CELL_TEMPLATE, accessor=f"rcue_list__{i}", order_by=(f"rcue_sort__{i}",),
        verbose_name=f"RCUE {c.key} {c.competence}", attrs={"th": {"class": "num rcue"}, "td": {"class": "num"}}))
        for i, c in enumerate(report.rcue_columns)]
    table = JuryReportTable(rows, extra_columns=extra,
                            exclude=() if report.scope.decides_year else ("proposal", "recorded"))
    table.scope_args = report.scope.url_args  # for the link to each student's sheet
    if order_by:
        table.order_by = order_by
    return table

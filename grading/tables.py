"""Lists shown as tables (django-tables2).

Sortable tables take their order from the page's filter form (`grading.filters`, query key `tri`), which checks
it against the table's columns; the others are not orderable. People are shown by their names, moments in
Paris time (butgmp.people, butgmp.times).
"""
from decimal import Decimal, InvalidOperation

import django_tables2 as tables
from django.urls import reverse

from butgmp.people import person_name
from butgmp.times import paris_datetime
from curriculum.selectors import version_labels
from grading.engine.codes import EnrolmentStatus
from grading.models import Enrolment, GradeChange, ImportBatch, SemesterInstance

ORDER_KEY = "tri"


class UrlAround:
    """A URL whose last argument is each row's id, reversed once for the whole table (one reverse per row is slow):
    the template writes `{{ url.before }}{{ id }}{{ url.after }}`."""

    PLACEHOLDER = "987654321"

    def __init__(self, viewname: str, *args):
        self.before, self.after = reverse(viewname, args=[*args, self.PLACEHOLDER]).split(self.PLACEHOLDER)


class PersonColumn(tables.Column):
    """A user shown by their name."""

    def render(self, value):
        return person_name(value)


class ParisTimeColumn(tables.Column):
    """A moment shown in Paris time, in the application's one format."""

    def render(self, value):
        return paris_datetime(value)


class SemesterInstanceTable(tables.Table):
    name = tables.LinkColumn("grading:semester_detail", args=[tables.A("pk")], text=str, accessor="pk",
                             verbose_name="Semestre")
    programme = tables.Column(accessor="semester__programme", verbose_name="Programme")
    is_locked = tables.BooleanColumn(verbose_name="Verrouillé", yesno="🔒 oui,non")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = None  # read once, on the first row shown

    def render_programme(self, value) -> str:
        """The programme with its version label: two versions of one programme are told apart."""
        if self.versions is None:
            self.versions = version_labels()
        return f"{value} · {self.versions.get(value.pk, '')}"

    class Meta:
        model = SemesterInstance
        fields = ["name", "programme", "academic_year", "is_locked"]
        orderable = False
        empty_text = "Aucun semestre ouvert."
        attrs = {"class": "table"}


class EnrolmentTable(tables.Table):
    """The enrolment list: sortable, a tick box per student for the bulk actions (input name `enrolments`).

    Its rows are written by one template (`_enrolment_table.html`) straight from each enrolment: a cell-by-cell
    rendering costs a quarter of a second on a 200-student semester. The columns give the headers and sorting.
    """

    selection = tables.CheckBoxColumn(accessor="pk", orderable=False, verbose_name="",
                                      attrs={"input": {"name": "enrolments", "form": "bulk-form"},
                                             "th__input": {"class": "select-all", "form": "bulk-form",
                                                           "aria-label": "Tout cocher"}})
    ine = tables.Column(accessor="student__ine", verbose_name="INE")
    student = tables.LinkColumn("grading:student_detail", args=[tables.A("semester_instance_id"), tables.A("pk")],
                                verbose_name="Étudiant", order_by=("student__last_name", "student__first_name"))
    email = tables.Column(accessor="student__email", verbose_name="Courriel")
    parcours = tables.Column(accessor="parcours__code", verbose_name="Parcours", default="—")
    groups = tables.ManyToManyColumn(verbose_name="Groupes", transform=lambda g: g.name, orderable=False)
    edit = tables.LinkColumn("grading:enrolment_edit", args=[tables.A("semester_instance_id"), tables.A("pk")],
                             text="modifier", verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = Enrolment
        fields = ["selection", "ine", "student", "email", "parcours", "groups", "status", "is_repeat", "edit"]
        order_by_field = ORDER_KEY
        empty_text = "Aucun étudiant ne correspond."
        attrs = {"class": "table enrolments"}
        template_name = "grading/_enrolment_table.html"

    def __init__(self, data, *, semester_instance, **kwargs):
        super().__init__(data, **kwargs)
        self.student_url = UrlAround("grading:student_detail", semester_instance.pk)
        self.edit_url = UrlAround("grading:enrolment_edit", semester_instance.pk)


class ImportBatchTable(tables.Table):
    at = ParisTimeColumn(verbose_name="Le")
    user = PersonColumn(verbose_name="Par")
    undone_at = ParisTimeColumn(verbose_name="Annulé le")
    change_count = tables.Column(verbose_name="Notes modifiées")
    undo = tables.TemplateColumn(template_name="grading/_import_undo_cell.html", verbose_name="",
                                 orderable=False, empty_values=())

    class Meta:
        model = ImportBatch
        fields = ["at", "filename", "user", "change_count", "undone_at", "undo"]
        orderable = False
        empty_text = "Aucun import."
        attrs = {"class": "table"}


class GradeChangeTable(tables.Table):
    at = ParisTimeColumn(verbose_name="Le")
    user = PersonColumn(verbose_name="Par")
    old_value = tables.Column(verbose_name="Avant", default="(vide)")
    new_value = tables.Column(verbose_name="Après", default="(vide)")
    batch = tables.Column(verbose_name="Import", default="")
    reason = tables.Column(verbose_name="Motif", default="")

    class Meta:
        model = GradeChange
        fields = ["at", "user", "old_value", "new_value", "source", "reason", "batch"]
        orderable = False
        empty_text = "Aucune modification enregistrée."
        attrs = {"class": "table history"}


# ---------------------------------------------------------------- averages (results pages)


def french_average(value) -> str | None:
    """Return a shown average with the decimal comma ("10.67" or Decimal 10.67 → "10,67"); None stays None."""
    return None if value is None else str(value).replace(".", ",")


def average_sort_key(value):
    """Return a number to sort a shown average by (None sorts first)."""
    if value is None:
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None


class AverageColumn(tables.Column):
    """An average column: sorted by the average's value; its cells are written by the table's row template."""

    def __init__(self, *, key: str, verbose_name: str, title: str = "", **kwargs):
        super().__init__(accessor=key, verbose_name=verbose_name, order_by=(f"{key}_sort",),
                         attrs={"th": {"title": title, "class": "num"}, "td": {"class": "num"}}, **kwargs)


class _AveragesTable(tables.Table):
    """Rows are dicts (`results_row`), written by one template (`_results_table.html`, the jury report's way): a
    cell-by-cell rendering costs a second on a 200-student semester. Headers and sorting stay django-tables2's."""

    ine = tables.Column(accessor="ine", verbose_name="INE")
    groups = tables.Column(accessor="groups", verbose_name="Groupes", orderable=False, default="")
    student_url = None  # the student cell's link (`UrlAround`), if any

    class Meta:
        order_by_field = ORDER_KEY
        empty_text = "Aucun étudiant ne correspond."
        attrs = {"class": "table results"}
        template_name = "grading/_results_table.html"

    def __init__(self, rows, *, columns, **kwargs):
        """`rows` from `results_row`; `columns`: (key, header, tooltip) per average, in the rows' cells' order."""
        extra = [(key, AverageColumn(key=key, verbose_name=header, title=tooltip)) for key, header, tooltip in columns]
        super().__init__(rows, extra_columns=extra, **kwargs)


class SemesterResultsTable(_AveragesTable):
    """A semester's live UE averages, one row per student (linked to their page), sortable on every column."""

    student = tables.Column(accessor="name", verbose_name="Étudiant", order_by=("name",))

    class Meta(_AveragesTable.Meta):
        sequence = ("student", "ine", "groups", "...")

    def __init__(self, rows, *, columns, semester_instance, **kwargs):
        super().__init__(rows, columns=columns, **kwargs)
        self.student_url = UrlAround("grading:student_detail", semester_instance.pk)


class ModuleResultsTable(_AveragesTable):
    """The averages a module's teacher sees: each of their modules towards each UE, and the UE averages."""

    student = tables.Column(accessor="name", verbose_name="Étudiant", order_by=("name",))

    class Meta(_AveragesTable.Meta):
        sequence = ("student", "ine", "groups", "...")


BADGES = {"AJ": " bad", "ADM": " ok"}  # the decision badge's extra class


def results_row(enrolment, averages) -> dict:
    """Return one row of a results table from (column key, average, decision) per average column: each shown with
    the decimal comma (`cells`, in the columns' order) and sorted by its value (`<key>_sort`).

    A row is a dict of plain values, the cells dicts too: the template's lookups are cheapest on dicts (and a
    string id is not localized).
    """
    row = {"pk": str(enrolment.pk), "name": str(enrolment.student), "ine": enrolment.student.ine,
           "groups": ", ".join(g.name for g in enrolment.groups.all()), "cells": [],
           # a student who left (DEM, DEF, ABAN) is shown so, not as a row of dashes
           "left": EnrolmentStatus.left_label(enrolment.status), "status": enrolment.status}
    for key, average, decision in averages:
        shown = french_average(average)
        row[key] = (shown, decision)
        row[f"{key}_sort"] = average_sort_key(average)
        row["cells"].append({"text": shown or "–", "decision": decision, "badge": BADGES.get(decision, "")})
    return row

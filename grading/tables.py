"""Lists shown as tables (django-tables2).

Sortable tables take their order from the page's filter form (`grading.filters`, query key `tri`), which checks
it against the table's columns; the others are not orderable. People are shown by their names, moments in
Paris time (butgmp.people, butgmp.times).
"""
from decimal import Decimal, InvalidOperation

import django_tables2 as tables

from butgmp.people import person_name
from butgmp.times import paris_datetime
from grading.models import Enrolment, GradeChange, ImportBatch, SemesterInstance

ORDER_KEY = "tri"


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

    class Meta:
        model = SemesterInstance
        fields = ["name", "programme", "academic_year", "is_locked"]
        orderable = False
        empty_text = "Aucun semestre ouvert."
        attrs = {"class": "table"}


class EnrolmentTable(tables.Table):
    """The enrolment list: sortable, a tick box per student for the bulk actions (input name `enrolments`)."""

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


class AverageColumn(tables.TemplateColumn):
    """An average (decimal comma, « – » when there is none) with its decision badge, sorted by its value."""

    def __init__(self, *, key: str, verbose_name: str, title: str = "", **kwargs):
        super().__init__(template_name="grading/_average_cell.html", accessor=key, verbose_name=verbose_name,
                         order_by=(f"{key}_sort",), attrs={"th": {"title": title, "class": "num"},
                                                           "td": {"class": "num"}}, **kwargs)


def average_cells(key: str, average, decision: str | None = None) -> dict:
    """Return the row entries of one average column: the shown value with its decision, and its sort key."""
    return {key: (french_average(average), decision), f"{key}_sort": average_sort_key(average)}


class _AveragesTable(tables.Table):
    ine = tables.Column(accessor="enrolment__student__ine", verbose_name="INE")
    groups = tables.Column(accessor="groups", verbose_name="Groupes", orderable=False, default="")

    class Meta:
        order_by_field = ORDER_KEY
        empty_text = "Aucun étudiant ne correspond."
        attrs = {"class": "table results"}
        row_attrs = {"id": lambda record: f"etudiant-{record['enrolment'].pk}"}

    def __init__(self, rows, *, columns, **kwargs):
        """`rows` are dicts (built in `grading.views.results_tables`); `columns`: (key, header, tooltip) per average."""
        extra = [(key, AverageColumn(key=key, verbose_name=header, title=tooltip)) for key, header, tooltip in columns]
        super().__init__(rows, extra_columns=extra, **kwargs)


class SemesterResultsTable(_AveragesTable):
    """A semester's live UE averages, one row per student, sortable on every column."""

    student = tables.LinkColumn("grading:student_detail", args=[tables.A("enrolment__semester_instance_id"),
                                                                 tables.A("enrolment__pk")],
                                accessor="name", verbose_name="Étudiant", order_by=("name",))

    class Meta(_AveragesTable.Meta):
        sequence = ("student", "ine", "groups", "...")


class ModuleResultsTable(_AveragesTable):
    """The averages a module's teacher sees: each of their modules towards each UE, and the UE averages."""

    student = tables.Column(accessor="name", verbose_name="Étudiant", order_by=("name",))

    class Meta(_AveragesTable.Meta):
        sequence = ("student", "ine", "groups", "...")


def student_row(enrolment) -> dict:
    """Return the student part of a results row (averages are added with `average_cells`)."""
    return {"enrolment": enrolment, "name": str(enrolment.student),
            "groups": ", ".join(g.name for g in enrolment.groups.all())}

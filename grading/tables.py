"""Lists shown as tables (django-tables2). Not orderable: the pages take no unvalidated query strings."""
import django_tables2 as tables

from grading.models import Enrolment, GradeChange, ImportBatch, SemesterInstance


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
    # ticks for the account-creation form (templates/grading/students/_account_actions.html)
    selection = tables.CheckBoxColumn(accessor="pk", attrs={"td__input": {"form": "student-accounts",
                                                                      "name": "enrolments"}})
    ine = tables.Column(accessor="student__ine", verbose_name="INE")
    student = tables.LinkColumn("grading:student_detail", args=[tables.A("semester_instance_id"), tables.A("pk")],
                                verbose_name="Étudiant")
    email = tables.Column(accessor="student__email", verbose_name="Courriel")
    groups = tables.ManyToManyColumn(verbose_name="Groupes", transform=lambda g: g.name)
    edit = tables.LinkColumn("grading:enrolment_edit", args=[tables.A("semester_instance_id"), tables.A("pk")],
                             text="modifier", verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = Enrolment
        fields = ["selection", "ine", "student", "email", "parcours", "groups", "status", "is_repeat", "edit"]
        orderable = False
        empty_text = "Aucun étudiant inscrit."
        attrs = {"class": "table"}


class ImportBatchTable(tables.Table):
    at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Le")
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
    at = tables.DateTimeColumn(format="d/m/Y H:i:s", verbose_name="Le")
    old_value = tables.Column(verbose_name="Avant", default="(vide)")
    new_value = tables.Column(verbose_name="Après", default="(vide)")
    batch = tables.Column(verbose_name="Import", default="")

    class Meta:
        model = GradeChange
        fields = ["at", "user", "old_value", "new_value", "source", "batch"]
        orderable = False
        empty_text = "Aucune modification enregistrée."
        attrs = {"class": "table history"}

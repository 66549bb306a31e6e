"""Who enters a module's grades, its evaluations and their weights (R3), grades, imports and grade history."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from butgmp.times import paris_datetime
from curriculum.models import UE, Module
from grading.engine.codes import GradeCode
from grading.grade_text import grade_display
from grading.models.enrolments import Enrolment
from grading.models.semesters import SemesterInstance


class ModuleResponsible(models.Model):
    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE,
                                          related_name="module_responsibles")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="responsibles",
                               verbose_name="module")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="module_responsibilities", verbose_name="enseignant")
    # Several teachers may grade a module; one of them is its responsible (the others are its graders).
    lead = models.BooleanField("responsable du module", default=False,
                               help_text="Sinon : enseignant qui peut aussi saisir les notes du module.")

    class Meta:
        verbose_name = "responsable de module"
        verbose_name_plural = "responsables de module"
        constraints = [
            models.UniqueConstraint(fields=["semester_instance", "module", "user"],
                                    name="module_responsible_unique"),
            models.UniqueConstraint(fields=["semester_instance", "module"], condition=Q(lead=True),
                                    name="module_one_lead"),
        ]

    def __str__(self):
        return f"{self.module.code} – {self.user}"


class Evaluation(models.Model):
    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="evaluations",
                                          verbose_name="semestre")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="evaluations",
                               verbose_name="module")
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date", null=True, blank=True)
    coefficient = models.DecimalField("coefficient", max_digits=6, decimal_places=2, default=Decimal("1"))
    max_score = models.DecimalField("note maximale", max_digits=6, decimal_places=2, default=Decimal("20"))
    is_immediate = models.BooleanField("prise en compte immédiate", default=False)
    is_rattrapage = models.BooleanField("rattrapage", default=False)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publiée", default=False,
                                       help_text="Ses notes sont visibles des étudiants.")

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["semester_instance", "module__code", "order", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(coefficient__gte=0), name="evaluation_coefficient_non_negative"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="evaluation_max_score_positive"),
        ]

    def __str__(self):
        return f"{self.module.code} – {self.title}"


class EvaluationWeight(models.Model):
    """Weight of an evaluation towards one UE of its module (R3); absent means 1."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="weights")
    ue = models.ForeignKey(UE, on_delete=models.CASCADE, related_name="evaluation_weights", verbose_name="UE")
    weight = models.DecimalField("poids", max_digits=6, decimal_places=2, default=Decimal("1"))

    class Meta:
        verbose_name = "poids d'évaluation vers une UE"
        verbose_name_plural = "poids d'évaluation vers les UE"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "ue"], name="evaluation_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="evaluation_weight_non_negative"),
        ]

    def __str__(self):
        return f"{self.evaluation} → {self.ue.code} : {self.weight}"


class Grade(models.Model):
    """A grade (a number from 0 to the evaluation's maximum) or a code (ABS, EXC, ATT).

    `max_score` is the evaluation's maximum, copied by the service so the database itself can
    check the range; `version` supports the optimistic concurrency check of the grid.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grades")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="grades")
    value = models.DecimalField("note", max_digits=6, decimal_places=2, null=True, blank=True)
    code = models.CharField("code", max_length=3, choices=GradeCode.choices(), blank=True)
    max_score = models.DecimalField("note maximale", max_digits=6, decimal_places=2, default=Decimal("20"))
    version = models.PositiveIntegerField("version", default=1)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="modifiée par")

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "enrolment"], name="grade_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=F("max_score")),
                name="grade_value_between_0_and_max",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(code=""),
                name="grade_value_or_code",
            ),
        ]

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        return grade_display(value=self.value, code=self.code)


class ImportBatch(models.Model):
    """One spreadsheet import: its grade changes can be undone together."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField("fichier", max_length=250)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)
    undone_at = models.DateTimeField("annulé le", null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="annulé par")

    class Meta:
        verbose_name = "import de notes"
        verbose_name_plural = "imports de notes"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.filename} ({paris_datetime(self.at)})"


class GradeChange(models.Model):
    """Audit row: every grade change, who, when, old and new value, and how."""

    class Source(models.TextChoices):
        GRID = "grid", "Grille"
        IMPORT = "import", "Import"
        ADMIN = "admin", "Administration"
        UNDO = "undo", "Annulation d'import"
        SCRIPT = "script", "Script"
        MISSING = "missing", "Notes manquantes complétées"
        LATE_ENROLMENT = "late", "Inscription tardive"
        ROLL_CALL = "roll", "ABS depuis un appel"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grade_changes")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="grade_changes")
    old_value = models.CharField("ancienne valeur", max_length=12, blank=True)
    new_value = models.CharField("nouvelle valeur", max_length=12, blank=True)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "modification de note"
        verbose_name_plural = "historique des notes"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.old_value or '∅'} → {self.new_value or '∅'}"

"""The journal of changes other than grades (grade changes live with grades, in grading.models.grades)."""
from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Journal of changes other than grades (enrolments, students, evaluations, bonuses, groups…).

    One row per changed field: who, when, what object, old and new value, from where, and why. Rows written
    by one action share a `batch` key, so an import of a student list can be shown and undone as one step.
    """

    class Source(models.TextChoices):
        APP = "app", "Application"
        IMPORT = "import", "Import"
        ADMIN = "admin", "Administration"
        UNDO = "undo", "Annulation"
        SCRIPT = "script", "Script"

    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="par")
    source = models.CharField("origine", max_length=10, choices=Source.choices, default=Source.APP)
    object_type = models.CharField("type d'objet", max_length=40)  # model label, e.g. "grading.enrolment"
    object_id = models.PositiveBigIntegerField("identifiant")
    object_repr = models.CharField("objet", max_length=250)
    action = models.CharField("action", max_length=10)  # create, update, delete
    field = models.CharField("champ", max_length=60, blank=True)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)
    reason = models.TextField("motif", blank=True)
    batch = models.CharField("lot", max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = "modification enregistrée"
        verbose_name_plural = "journal des modifications"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.object_repr} · {self.field or self.action} : {self.old_value or '∅'} → {self.new_value or '∅'}"

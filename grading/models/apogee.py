"""The department's Apogée settings: how each decision code is written in its Apogée instance, and the semesters."""
from django.conf import settings
from django.db import models

from grading.engine.codes import DecisionCode


class ApogeeTranslation(models.Model):
    """One decision code and the code the department's Apogée instance takes for it (empty: none, reported)."""

    code = models.CharField("code de l'application", max_length=8, choices=DecisionCode.choices(), unique=True)
    apogee_code = models.CharField("code Apogée", max_length=8, blank=True,
                                   help_text="Vide : l'instance n'a pas ce code ; il est signalé, jamais écrit.")

    class Meta:
        verbose_name = "traduction de code pour Apogée"
        verbose_name_plural = "traductions de codes pour Apogée"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} → {self.apogee_code or '∅'}"


class SemesterElement(models.TextChoices):
    EMPTY = "empty", "Laisser vide"
    AVERAGE = "average", "Moyenne des UE du semestre (pondérée par les ECTS)"


class SemesterCode(models.TextChoices):
    NONE = "none", "Aucun code"
    UES = "ues", "ADM si toutes les UE du semestre sont acquises, sinon AJ"
    YEAR = "year", "La décision d'année"


class ApogeeExportSettings(models.Model):
    """The department's one row of export choices (pk 1), edited by Direction on the translation page."""

    semester_element = models.CharField("note des éléments semestre", max_length=10,
                                        choices=SemesterElement.choices, default=SemesterElement.AVERAGE)
    semester_code = models.CharField("résultat des éléments semestre", max_length=10, choices=SemesterCode.choices,
                                     default=SemesterCode.UES)

    class Meta:
        verbose_name = "réglages de l'export Apogée"
        verbose_name_plural = "réglages de l'export Apogée"

    def __str__(self):
        return "Réglages de l'export Apogée"


class ApogeeExport(models.Model):
    """A maquette filled after a jury, kept to be downloaded (a made document: in the database, size-limited)."""

    MAX_BYTES = 10 * 1024 * 1024

    session = models.ForeignKey("grading.JurySession", on_delete=models.CASCADE, related_name="apogee_exports",
                                verbose_name="jury")
    filename = models.CharField("fichier", max_length=200)
    content = models.BinaryField("maquette remplie")
    report = models.JSONField("rapport", default=dict)
    made_at = models.DateTimeField("fait le", auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name="par")

    class Meta:
        verbose_name = "export Apogée"
        verbose_name_plural = "exports Apogée"
        ordering = ["-made_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.session})"

"""The journals of reference data: every change of a programme (`ProgrammeChange`) and of the speciality's
reference (`ReferenceChange`), who, when, old and new value."""
from django.conf import settings
from django.db import models

from curriculum.models.programmes import Programme
from curriculum.models.reference import Speciality


class ProgrammeChange(models.Model):
    """Audit row: one change of a programme (a field of a UE, a module, a coefficient cell…), who, when, old, new.

    Rows written by one action (one save of the matrix page, one admin save, one fixture load) share a `batch`.
    """

    class Source(models.TextChoices):
        PAGE = "page", "Page de modification"
        ADMIN = "admin", "Administration"
        FIXTURES = "fixtures", "Chargement des fixtures"
        VERSION = "version", "Nouvelle version"

    class Action(models.TextChoices):
        CREATE = "create", "ajout"
        UPDATE = "update", "modification"
        DELETE = "delete", "suppression"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="changes",
                                  verbose_name="programme")
    semester_number = models.PositiveSmallIntegerField("semestre", null=True, blank=True)
    at = models.DateTimeField("le", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="par")
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    action = models.CharField("action", max_length=10, choices=Action.choices)
    subject = models.CharField("objet", max_length=120)  # "UE3.2", "R3.01", "R3.01 × UE3.2", the programme code
    field = models.CharField("champ", max_length=60, blank=True)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)
    batch = models.CharField("lot", max_length=40, blank=True)

    class Meta:
        verbose_name = "modification de programme"
        verbose_name_plural = "historique des programmes"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["programme", "-at"], name="programme_change_at")]

    def __str__(self):
        return f"{self.subject} · {self.field or self.get_action_display()} : {self.old_value or '∅'} → " \
               f"{self.new_value or '∅'}"


class ReferenceChange(models.Model):
    """Audit row: one change of the speciality's reference data (a competence's texts, a level label, an
    apprentissage critique), who, when, old, new. Rows written by one import share a `batch`."""

    class Source(models.TextChoices):
        REFERENTIEL = "referentiel", "Import du référentiel"
        ADMIN = "admin", "Administration"

    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="changes",
                                   verbose_name="spécialité")
    at = models.DateTimeField("le", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="par")
    source = models.CharField("origine", max_length=12, choices=Source.choices, default=Source.REFERENTIEL)
    action = models.CharField("action", max_length=10, choices=ProgrammeChange.Action.choices)
    subject = models.CharField("objet", max_length=120)  # "Spécifier", "Spécifier niveau 1", "AC11.01"
    field = models.CharField("champ", max_length=60, blank=True)
    old_value = models.TextField("ancienne valeur", blank=True)
    new_value = models.TextField("nouvelle valeur", blank=True)
    batch = models.CharField("lot", max_length=40, blank=True)

    class Meta:
        verbose_name = "modification du référentiel"
        verbose_name_plural = "historique du référentiel"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.subject} · {self.field or self.get_action_display()}"

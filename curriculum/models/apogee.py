"""A programme's Apogée codes: each year's étape and element, each RCUE's element (`jury.apogee` reads them)."""
from django.db import models
from django.db.models import Q

from curriculum.models.programmes import Programme
from curriculum.models.reference import CompetenceLevel


class ApogeeYear(models.Model):
    """A programme year's Apogée codes: its étape (VET) and version, and its year element."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="apogee_years",
                                  verbose_name="programme")
    year = models.PositiveSmallIntegerField("année de BUT")
    step = models.CharField("étape (VET)", max_length=20, blank=True)
    step_version = models.CharField("version d'étape", max_length=20, blank=True)
    year_element = models.CharField("élément année", max_length=20, blank=True)

    class Meta:
        verbose_name = "codes Apogée d'une année"
        verbose_name_plural = "codes Apogée des années"
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="apogee_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=1, year__lte=3), name="apogee_year_1_to_3"),
        ]

    def __str__(self):
        return f"{self.programme.code} BUT{self.year}"


class ApogeeRcue(models.Model):
    """The Apogée element of one RCUE (a competence level) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="apogee_rcues",
                                  verbose_name="programme")
    competence_level = models.ForeignKey(CompetenceLevel, on_delete=models.CASCADE, related_name="+",
                                         verbose_name="niveau de compétence")
    code = models.CharField("code Apogée", max_length=20, blank=True)

    class Meta:
        verbose_name = "code Apogée d'un RCUE"
        verbose_name_plural = "codes Apogée des RCUE"
        constraints = [
            models.UniqueConstraint(fields=["programme", "competence_level"], name="apogee_rcue_unique"),
        ]

    def __str__(self):
        return f"{self.programme.code} RCUE {self.competence_level.rcue_key}"

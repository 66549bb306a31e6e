"""The national reference of the speciality: BUT GMP, its parcours, competences and their levels, the
apprentissages critiques, and the RNCP blocks (`import_referentiel` keeps their texts up to date)."""
from django.db import models
from django.db.models import Q


class Speciality(models.Model):
    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("intitulé", max_length=200)
    rncp = models.CharField("fiche RNCP", max_length=20, blank=True)

    class Meta:
        verbose_name = "spécialité"
        verbose_name_plural = "spécialités"
        ordering = ["code"]

    def __str__(self):
        return f"BUT {self.code}"

    def natural_key(self):
        return (self.code,)


class Parcours(models.Model):
    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="parcours",
                                   verbose_name="spécialité")
    code = models.CharField("code", max_length=20)
    name = models.CharField("intitulé", max_length=200)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["speciality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["speciality", "code"], name="parcours_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"


class Competence(models.Model):
    """A competence of the speciality: one of the common ones, or a parcours' own."""

    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="competences",
                                   verbose_name="spécialité")
    code = models.CharField("code", max_length=20)
    short_name = models.CharField("nom court", max_length=60)
    name = models.CharField("intitulé", max_length=250)
    number = models.PositiveSmallIntegerField("numéro", default=1)
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="competences", verbose_name="parcours",
                                 help_text="Vide pour une compétence commune à tous les parcours.")
    situations = models.TextField("situations professionnelles", blank=True, help_text="Une par ligne.")
    essential_components = models.TextField("composantes essentielles", blank=True, help_text="Une par ligne.")

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["speciality", "number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["speciality", "code"], name="competence_unique_code"),
        ]

    def __str__(self):
        return f"{self.short_name} ({self.code})"


class CompetenceLevel(models.Model):
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="levels",
                                   verbose_name="compétence")
    level = models.PositiveSmallIntegerField("niveau")
    label = models.CharField("libellé", max_length=250)

    class Meta:
        verbose_name = "niveau de compétence"
        verbose_name_plural = "niveaux de compétence"
        ordering = ["competence", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "level"], name="competence_level_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="competence_level_1_to_3"),
        ]

    def __str__(self):
        return f"{self.competence.short_name} – Niveau {self.level} – {self.label}"

    @property
    def rcue_key(self) -> str:
        return f"{self.competence.code}-{self.level}"


class CriticalLearning(models.Model):
    level = models.ForeignKey(CompetenceLevel, on_delete=models.CASCADE, related_name="critical_learnings",
                              verbose_name="niveau")
    code = models.CharField("code", max_length=20, blank=True)
    text = models.TextField("apprentissage critique")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "apprentissage critique"
        verbose_name_plural = "apprentissages critiques"
        ordering = ["level", "order"]

    def __str__(self):
        return self.text[:80]


class CompetenceBlock(models.Model):
    """A certification block of the RNCP record (e.g. RNCP35463BC01)."""

    speciality = models.ForeignKey(Speciality, on_delete=models.CASCADE, related_name="blocks",
                                   verbose_name="spécialité")
    code = models.CharField("code", max_length=30, unique=True)
    title = models.CharField("intitulé", max_length=250)
    competence = models.ForeignKey(Competence, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="blocks", verbose_name="compétence")
    skills = models.TextField("compétences attestées", blank=True, help_text="Une par ligne.")

    class Meta:
        verbose_name = "bloc de compétences"
        verbose_name_plural = "blocs de compétences"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.title}"

"""Who sits on which promotion's juries: Direction assigns Jury-role users to promotions (programme × academic
year); a department choice gives every Jury-role user every promotion (small departments)."""
from django.conf import settings
from django.db import models

from curriculum.models import Programme
from grading.models.semesters import AcademicYear


class JuryPromotion(models.Model):
    """A Jury-role user assigned to a promotion: they read its reports and may sit on its juries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_promotions",
                             verbose_name="membre de jury")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="jury_promotions",
                                  verbose_name="programme")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="jury_promotions",
                                      verbose_name="année universitaire")

    class Meta:
        verbose_name = "membre de jury d'une promotion"
        verbose_name_plural = "membres de jury des promotions"
        constraints = [models.UniqueConstraint(fields=["user", "programme", "academic_year"],
                                               name="jury_promotion_unique")]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} – {self.programme.code} {self.academic_year}"


class AccessPolicy(models.Model):
    """The department's access choices (one row), edited by Direction on the promotions page and journaled."""

    jury_every_promotion = models.BooleanField(
        "chaque membre du jury siège pour toutes les promotions", default=False,
        help_text="Petits départements : pas d'affectation par promotion.")

    class Meta:
        verbose_name = "choix d'accès du département"
        verbose_name_plural = "choix d'accès du département"

    def __str__(self):
        return "Accès aux jurys"

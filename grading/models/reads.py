"""The journal of staff reads (RGPD): who opened which page about which students, and when."""
from django.conf import settings
from django.db import models

from grading.models.enrolments import Student


class StaffRead(models.Model):
    """One page read by a staff member: a single student's page names the student; a listing keeps its scope (the
    page's arguments: a semester, an evaluation, a jury report…). Kept READ_JOURNAL_DAYS days."""

    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                             verbose_name="lu par")
    page = models.CharField("page", max_length=80)
    scope = models.CharField("portée", max_length=200, blank=True)
    student = models.ForeignKey(Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="étudiant")

    class Meta:
        verbose_name = "lecture"
        verbose_name_plural = "journal des lectures"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["student", "at"], name="staff_read_student")]

    def __str__(self):
        return f"{self.page} {self.scope}"

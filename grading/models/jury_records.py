"""The record of a closed jury: what it decided, as it stood when it closed (R19).

A jury's decisions are a legal act: once closed, the PV, the letters, the report, the exports and the students'
pages read this record, never a recomputation. Each closing writes a new record; reopening the jury marks the
current one superseded (it stays in the history) and the next closing records anew. Figures are stored as the
jury read them (two-decimal strings, labels as printed), in plain JSON: a record is never recomputed, so a
renamed competence or a changed grade changes no closed record.
"""
from django.conf import settings
from django.db import models

from grading.models.enrolments import Enrolment, Student
from grading.models.jury import JurySession


class JuryRecord(models.Model):
    """One closing of a jury: the sitting as printed, and the grades versions its figures were computed from."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="records", verbose_name="jury")
    closed_at = models.DateTimeField("clos le")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="clos par")
    date = models.DateField("date du jury")
    president = models.CharField("président(e)", max_length=200)
    members = models.TextField("membres", blank=True)
    scope = models.CharField("périmètre", max_length=300, help_text="Les semestres décidés, tels qu'imprimés.")
    decides_year = models.BooleanField("décide l'année", default=False)
    year = models.PositiveSmallIntegerField("année de BUT", null=True, blank=True)
    # semester instance id -> its results version when the jury closed (grading.versions)
    grades_version = models.JSONField("version des notes", default=dict)
    columns = models.JSONField("colonnes", default=dict, help_text="UE et RCUE du jury, libellés imprimés.")
    superseded_at = models.DateTimeField("remplacé le", null=True, blank=True,
                                         help_text="Réouverture du jury : ce relevé reste dans l'historique.")

    class Meta:
        verbose_name = "relevé de jury"
        verbose_name_plural = "relevés de jury"
        ordering = ["-closed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session"], condition=models.Q(superseded_at__isnull=True),
                                    name="jury_record_one_current_per_session"),
        ]

    def __str__(self):
        return f"Relevé du jury du {self.date:%d/%m/%Y} (clos le {self.closed_at:%d/%m/%Y %H:%M})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class JuryRecordStudent(models.Model):
    """One student as the closed jury decided them: name as printed, every figure and code, the decision."""

    record = models.ForeignKey(JuryRecord, on_delete=models.PROTECT, related_name="students",
                               verbose_name="relevé")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="jury_records",
                                verbose_name="étudiant")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="jury_records",
                                  verbose_name="inscription")
    name = models.CharField("nom imprimé", max_length=220)
    ine = models.CharField("INE", max_length=20)
    parcours = models.CharField("parcours", max_length=20, blank=True)
    status = models.CharField("statut", max_length=10)
    proposal = models.CharField("proposition", max_length=8, blank=True)
    decision = models.CharField("décision", max_length=8, blank=True)
    ects_year = models.DecimalField("ECTS de l'année", max_digits=5, decimal_places=2, default=0)
    ects_total = models.DecimalField("ECTS au total", max_digits=5, decimal_places=2, default=0)
    # {"ues": [...], "rcues": [...], "modules": [...], "overrides": [...], "explain": [...], "flags": [...]}
    figures = models.JSONField("résultats", default=dict)

    class Meta:
        verbose_name = "étudiant d'un relevé de jury"
        verbose_name_plural = "étudiants d'un relevé de jury"
        ordering = ["record", "name", "ine"]
        constraints = [
            models.UniqueConstraint(fields=["record", "student"], name="jury_record_student_unique"),
        ]

    def __str__(self):
        return f"{self.name} : {self.decision or self.proposal or '—'}"


DOCUMENT_MAX_BYTES = 20 * 1024 * 1024  # a stored PV or a batch of letters: 20 MB at most


class JuryRecordDocument(models.Model):
    """A document made once from a closed jury's record and kept with it (the PV, the letters): later downloads
    serve these bytes, so a later change of the institution's identity or of a name alters no archived document."""

    class Kind(models.TextChoices):
        PV = "pv", "Procès-verbal"
        LETTERS = "letters", "Lettres de décision"

    record = models.ForeignKey(JuryRecord, on_delete=models.PROTECT, related_name="documents",
                               verbose_name="relevé")
    kind = models.CharField("document", max_length=10, choices=Kind.choices)
    pdf = models.BinaryField("PDF", editable=False)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    made_at = models.DateTimeField("fait le", auto_now_add=True)

    class Meta:
        verbose_name = "document d'un relevé de jury"
        verbose_name_plural = "documents des relevés de jury"
        ordering = ["record", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["record", "kind"], name="jury_record_document_unique"),
            models.CheckConstraint(condition=models.Q(size__lte=DOCUMENT_MAX_BYTES),
                                   name="jury_record_document_size"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.record}"

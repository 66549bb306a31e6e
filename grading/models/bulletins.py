"""Bulletins kept: a whole semester's bulletins built as one PDF by a background task (`BulletinBatch`), one
student's made on demand (`StoredBulletin`), and what the bulletins show (`BulletinSettings`).

Only the students' side (`portal`) makes and serves them, yet they stay here, with every model: they point to a
semester instance, an enrolment and a user of this graph of foreign keys, the purges and a student's data export
(`grading.purges`, `grading.personal_data`) read them, and one migration chain keeps the graph whole."""
from django.conf import settings
from django.db import models

from grading.models.semesters import SemesterInstance


class BulletinBatch(models.Model):
    """The bulletins of a whole semester as one PDF, built by a background task (django-tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE,
                                          related_name="bulletin_batches", verbose_name="semestre")
    draft = models.BooleanField("document de travail (notes non publiées comprises)", default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="demandé par")
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("bulletins à produire", default=0)
    done = models.PositiveIntegerField("bulletins produits", default=0)
    pdf = models.BinaryField("PDF", null=True, blank=True, editable=False)
    error = models.TextField("erreur", blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    results_version = models.PositiveBigIntegerField("version des résultats", default=0, editable=False)

    class Meta:
        verbose_name = "lot de bulletins"
        verbose_name_plural = "lots de bulletins"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Bulletins {self.semester_instance} ({self.requested_at:%d/%m/%Y %H:%M})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (100 * self.done // self.total if self.total else 0)


class StoredBulletin(models.Model):
    """One student's bulletin made on demand, kept so that the same one is not made twice: keyed by the enrolment,
    the copy (original, duplicata, working document) and the digest of what it was made from (the results
    version of the semester and what is published are in it). Only the latest per enrolment and copy is kept;
    older than BULLETIN_BATCHES_DAYS they are purged with the batches (grading.purges)."""

    enrolment = models.ForeignKey("grading.Enrolment", on_delete=models.CASCADE, related_name="stored_bulletins",
                                  verbose_name="inscription")
    copy = models.CharField("exemplaire", max_length=10)
    results_version = models.PositiveBigIntegerField("version des résultats", default=0)
    digest = models.CharField("empreinte du contenu", max_length=64)
    pdf = models.BinaryField("PDF", editable=False)
    made_at = models.DateTimeField("produit le", auto_now_add=True)

    class Meta:
        verbose_name = "bulletin conservé"
        verbose_name_plural = "bulletins conservés"
        constraints = [models.UniqueConstraint(fields=["enrolment", "copy"], name="stored_bulletin_one_per_copy")]

    def __str__(self):
        return f"Bulletin {self.copy} de l'inscription {self.enrolment_id} ({self.made_at:%d/%m/%Y %H:%M})"


class BulletinSettings(models.Model):
    """The department's choices for its bulletins (one row, pk 1), edited by Direction and journaled
    (grading.services.bulletin_settings)."""

    show_rank = models.BooleanField(
        "rang de l'étudiant sur les bulletins", default=False,
        help_text="Le rang dans chaque UE, parmi les étudiants du semestre qui ont une moyenne (à partir de six).")

    class Meta:
        verbose_name = "réglages des bulletins"
        verbose_name_plural = "réglages des bulletins"

    def __str__(self):
        return "Réglages des bulletins"

"""Attendance (assiduité): roll-call slots and their marks, justifications, the department's settings and alerts.

A slot is a time slot of a semester instance (a group of it, or all its students) in which attendance was taken;
each enrolled student of the slot has one mark (present, absent, late). Corrections are journaled (AuditEntry).
A justification covers a student's dates: once accepted, the absences of those dates are justified (nothing is
copied onto the marks: it is read). The counts are in half-days (grading.attendance_counts).
"""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from curriculum.models import Module, Programme
from grading.models.enrolments import Enrolment, Group, Student
from grading.models.semesters import AcademicYear, SemesterInstance

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class AttendanceSettings(models.Model):
    """The department's attendance choices (one row), edited by Direction and journaled."""

    split_time = models.TimeField("début de l'après-midi", default=datetime.time(13, 0),
                                  help_text="Un créneau qui commence avant compte dans la matinée, sinon l'après-midi.")
    review_threshold = models.PositiveSmallIntegerField(
        "demi-journées non justifiées « à examiner »", default=10,
        help_text="Au-delà, le rapport de jury signale l'étudiant ; une alerte part quand le nombre l'atteint.")
    penalty_enabled = models.BooleanField("pénalité sur les moyennes d'UE (R20)", default=False)
    penalty_threshold = models.PositiveSmallIntegerField("seuil de la pénalité (demi-journées)", default=10)
    penalty_points = models.DecimalField("points retirés par demi-journée au-delà du seuil", max_digits=4,
                                         decimal_places=2, default=0)

    class Meta:
        verbose_name = "règles d'assiduité du département"
        verbose_name_plural = "règles d'assiduité du département"
        constraints = [models.CheckConstraint(condition=Q(penalty_points__gte=0), name="attendance_points_positive")]

    def __str__(self):
        return "Règles d'assiduité"

    @classmethod
    def current(cls) -> "AttendanceSettings":
        """Return the department's settings (the defaults, unsaved, while Direction has set none)."""
        return cls.objects.order_by("pk").first() or cls()


class AttendanceSlot(models.Model):
    """A time slot in which attendance was taken: a roll call of a group (or of every student), or one student's
    absence recorded by the secretariat (illness over several days: one slot per half-day)."""

    class Kind(models.TextChoices):
        ROLL_CALL = "roll", "Appel"
        STUDENT = "student", "Absence signalée"

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="attendance_slots",
                                          verbose_name="semestre")
    kind = models.CharField("type", max_length=8, choices=Kind.choices, default=Kind.ROLL_CALL)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance_slots",
                              verbose_name="groupe", help_text="Vide : tous les étudiants du semestre.")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance_slots",
                               verbose_name="module")
    date = models.DateField("date")
    start = models.TimeField("début")
    end = models.TimeField("fin")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="appel fait par")
    taken_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "créneau d'appel"
        verbose_name_plural = "créneaux d'appel"
        ordering = ["-date", "-start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="attendance_slot_end_after_start")]
        indexes = [models.Index(fields=["semester_instance", "date"], name="attendance_slot_day")]

    def __str__(self):
        who = str(self.group) if self.group_id else "tous"
        module = f"{self.module.code} " if self.module_id else ""
        return f"{module}{who} {self.date:%d/%m/%Y} {self.start:%H:%M}–{self.end:%H:%M}"


class AttendanceMark(models.Model):
    """One student's attendance in a slot; absence of a mark means the student was not in the slot's list."""

    class Status(models.TextChoices):
        PRESENT = "present", "présent"
        ABSENT = "absent", "absent"
        LATE = "late", "en retard"

    slot = models.ForeignKey(AttendanceSlot, on_delete=models.CASCADE, related_name="marks")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance_marks",
                                  verbose_name="inscription")
    status = models.CharField("présence", max_length=8, choices=Status.choices, default=Status.PRESENT)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [models.UniqueConstraint(fields=["slot", "enrolment"], name="attendance_mark_unique")]

    def __str__(self):
        return f"{self.enrolment.student} · {self.slot} : {self.get_status_display()}"


class Justification(models.Model):
    """A student's justification of absences over a range of dates, with its document (kept in the database) or,
    when staff justify, without one; the scolarité accepts or refuses it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        ACCEPTED = "accepted", "acceptée"
        REFUSED = "refused", "refusée"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="justifications",
                                verbose_name="étudiant")
    first_day = models.DateField("du")
    last_day = models.DateField("au")
    motive = models.CharField("motif", max_length=300, blank=True)
    document = models.BinaryField("pièce", null=True, blank=True, editable=False)
    content_type = models.CharField("type de la pièce", max_length=40, blank=True)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    status = models.CharField("état", max_length=8, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField("motif de la décision", max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="déposée par")
    submitted_at = models.DateTimeField("déposée le", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="décidée par")
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    class Meta:
        verbose_name = "justificatif d'absence"
        verbose_name_plural = "justificatifs d'absence"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="justification_dates_in_order"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(decision_reason=""),
                                   name="justification_refusal_has_reason"),
        ]

    def __str__(self):
        return f"{self.student} · {self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y} ({self.get_status_display()})"


class PromotionAttendanceContact(models.Model):
    """The address that receives a promotion's attendance alerts, besides the student (set by the department)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+", verbose_name="programme")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+",
                                      verbose_name="année universitaire")
    email = models.EmailField("courriel des alertes d'assiduité")

    class Meta:
        verbose_name = "destinataire des alertes d'assiduité"
        verbose_name_plural = "destinataires des alertes d'assiduité"
        constraints = [models.UniqueConstraint(fields=["programme", "academic_year"],
                                               name="attendance_contact_unique")]

    def __str__(self):
        return f"{self.programme.code} {self.academic_year} : {self.email}"


class AttendanceAlert(models.Model):
    """An alert sent (or queued) when a student's unjustified half-days reached the threshold; `cleared_at` is set when
    the count falls below again, so that the next crossing sends a new one (never twice for one crossing)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance_alerts",
                                  verbose_name="inscription")
    threshold = models.PositiveSmallIntegerField("seuil")
    count = models.PositiveSmallIntegerField("demi-journées non justifiées")
    raised_at = models.DateTimeField("le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    recipients = models.CharField("destinataires", max_length=300, blank=True)
    cleared_at = models.DateTimeField("retombée le", null=True, blank=True)

    class Meta:
        verbose_name = "alerte d'assiduité"
        verbose_name_plural = "alertes d'assiduité"
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["enrolment"], condition=Q(cleared_at__isnull=True),
                                               name="attendance_one_open_alert")]

    def __str__(self):
        return f"{self.enrolment.student} : {self.count} ≥ {self.threshold}"

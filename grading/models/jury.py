"""Jury decisions (R16, R19), UEs validated outside the application, and the jury sittings that decide them."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from curriculum.models import UE
from grading.engine.codes import DecisionCode, JuryLevel
from grading.models.enrolments import Enrolment, Student
from grading.models.semesters import SemesterInstance


class JuryDecision(models.Model):
    """A decision recorded by a jury on a UE, an RCUE or a year (R16, R19).

    Never changed: a new decision on the same subject supersedes the previous one, which stays.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="jury_decisions",
                                  verbose_name="inscription")
    level = models.CharField("niveau", max_length=5, choices=JuryLevel.choices())
    subject = models.CharField("objet", max_length=20, help_text="Code d'UE, clé de RCUE (C1-2) ou année (2).")
    code = models.CharField("code", max_length=8, choices=DecisionCode.choices())
    reason = models.TextField("motif", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="signée par")
    at = models.DateTimeField("le", auto_now_add=True)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="remplace")
    session = models.ForeignKey("JurySession", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="decisions", verbose_name="jury")

    class Meta:
        verbose_name = "décision de jury"
        verbose_name_plural = "décisions de jury"
        ordering = ["enrolment", "level", "subject", "-at"]

    def __str__(self):
        return f"{self.subject} : {self.code}"


class ExternalValidation(models.Model):
    """A UE validated outside this application's grades (earlier path, another IUT, VAE)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="external_validations",
                                verbose_name="étudiant")
    ue = models.ForeignKey(UE, on_delete=models.PROTECT, related_name="external_validations", verbose_name="UE")
    code = models.CharField("code", max_length=8, choices=DecisionCode.choices())
    average = models.DecimalField("moyenne", max_digits=5, decimal_places=3, null=True, blank=True)
    origin = models.CharField("origine", max_length=200, blank=True)
    date = models.DateField("date", null=True, blank=True)

    class Meta:
        verbose_name = "validation externe"
        verbose_name_plural = "validations externes"
        constraints = [
            models.UniqueConstraint(fields=["student", "ue"], name="external_validation_unique"),
            models.CheckConstraint(condition=Q(average__isnull=True) | Q(average__gte=0, average__lte=20),
                                   name="external_validation_average_0_to_20"),
        ]

    def __str__(self):
        return f"{self.student} – {self.ue.code} : {self.code}"


class JurySession(models.Model):
    """A jury sitting: its date, president and members, and the semester instances it decides (R13, R16, R19).

    Its members are users (Jury role) sitting for the promotion; `members` keeps their names as printed.

    Closing it locks those semesters; only Direction reopens it, with a reason. Its decisions become visible
    to students once staff publish them.
    """

    semester_instances = models.ManyToManyField(SemesterInstance, related_name="jury_sessions",
                                                verbose_name="semestres décidés")
    date = models.DateField("date du jury")
    president = models.CharField("président(e)", max_length=200)
    member_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="jury_sessions_sat",
                                          verbose_name="membres",
                                          help_text="Choisis parmi les membres de jury affectés à la promotion.")
    members = models.TextField("membres (noms imprimés)", blank=True,
                               help_text="Les noms des membres à l'ouverture du jury, un par ligne, tels que le PV "
                                         "les imprime.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="clos par")
    published_at = models.DateTimeField("décisions publiées le", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="publiées par")

    class Meta:
        verbose_name = "jury"
        verbose_name_plural = "jurys"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"Jury du {self.date:%d/%m/%Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class JurySessionEvent(models.Model):
    """Each closing, reopening and publication of a jury: who, when and why (R19)."""

    class Action(models.TextChoices):
        CLOSE = "close", "Clôture"
        REOPEN = "reopen", "Réouverture"
        PUBLISH = "publish", "Publication"

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="events", verbose_name="jury")
    action = models.CharField("action", max_length=10, choices=Action.choices)
    reason = models.TextField("motif", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "événement de jury"
        verbose_name_plural = "événements de jury"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.session} ({self.at:%d/%m/%Y %H:%M})"

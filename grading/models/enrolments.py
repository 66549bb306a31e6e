"""Students, the groups of a semester instance, enrolments and their semester bonus (R5)."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from curriculum.models import Parcours
from grading.engine.codes import EnrolmentStatus
from grading.enrolment_keys import GROUP_PREFIX_RE
from grading.models.semesters import SemesterInstance

# The student number (numéro étudiant, NIP): Apogée's key, and what the university's CAS releases about a student.
NIP_PATTERN = r"^[0-9]{5,12}$"
NIP_INVALID = "Le NIP (numéro étudiant) s'écrit avec 5 à 12 chiffres."

class Student(models.Model):
    ine = models.CharField("INE", max_length=20, unique=True)
    nip = models.CharField("NIP (numéro étudiant)", max_length=12, blank=True, default="",
                           validators=[RegexValidator(NIP_PATTERN, NIP_INVALID)])
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    email = models.EmailField("courriel", blank=True)
    postal_address = models.TextField("adresse postale", blank=True, default="",
                                      help_text="Pour l'envoi des lettres de décision ; facultative.")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="student", verbose_name="compte")
    results_notices = models.BooleanField("avis de publication par courriel", default=True)

    class Meta:
        verbose_name = "étudiant"
        verbose_name_plural = "étudiants"
        ordering = ["last_name", "first_name", "ine"]
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="student_unique_nip"),
            models.CheckConstraint(condition=Q(nip="") | Q(nip__regex=NIP_PATTERN), name="student_nip_digits"),
        ]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"


class Group(models.Model):
    class Kind(models.TextChoices):
        TD = "TD", "TD"
        TP = "TP", "TP"

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("nom", max_length=30)
    kind = models.CharField("type", max_length=2, choices=Kind.choices, default=Kind.TD)

    class Meta:
        verbose_name = "groupe"
        verbose_name_plural = "groupes"
        ordering = ["semester_instance", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["semester_instance", "name"], name="group_unique_name"),
        ]

    def __str__(self):
        """Name it as people do: "TD A" for a TD named A, "TD1" or "TP 2" as it is (the name says its kind)."""
        return self.name if GROUP_PREFIX_RE.match(self.name) else f"{self.kind} {self.name}"


class Enrolment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrolments",
                                verbose_name="étudiant")
    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.PROTECT, related_name="enrolments",
                                          verbose_name="semestre")
    parcours = models.ForeignKey(Parcours, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name="parcours")
    status = models.CharField("statut", max_length=10, choices=EnrolmentStatus.choices(),
                              default=EnrolmentStatus.ENROLLED.value)
    is_repeat = models.BooleanField("redoublement", default=False)
    groups = models.ManyToManyField(Group, blank=True, related_name="enrolments", verbose_name="groupes")

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["semester_instance", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "semester_instance"], name="enrolment_unique"),
        ]

    def __str__(self):
        return f"{self.student} – {self.semester_instance}"


class Bonus(models.Model):
    """A semester bonus in per cent (R5), for sport, culture or association work."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="bonus",
                                     verbose_name="inscription")
    percent = models.DecimalField("bonus (%)", max_digits=4, decimal_places=2)
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        verbose_name = "bonus"
        verbose_name_plural = "bonus"
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=Decimal("0.25"), percent__lte=Decimal("5")),
                                   name="bonus_percent_0_25_to_5"),
        ]

    def __str__(self):
        return f"{self.percent} % – {self.enrolment}"

"""Academic years and semester instances: a programme's semester run in a year, and its locks (R19)."""
import re
import secrets

from django.conf import settings
from django.db import models

from butgmp.times import paris_datetime
from curriculum.models import Semester


def random_results_version() -> int:
    """Return the first results version of a semester instance (see SemesterInstance.results_version)."""
    return secrets.randbits(48)


class AcademicYear(models.Model):
    start_year = models.PositiveSmallIntegerField("année de début", unique=True)

    class Meta:
        verbose_name = "année universitaire"
        verbose_name_plural = "années universitaires"
        ordering = ["-start_year"]

    def __str__(self):
        return f"{self.start_year}-{self.start_year + 1}"


# What SemesterInstance.__str__ reads besides the instance: select it with every list of instances a page names,
# or each name costs four more queries.
NAME_RELATED = ("semester__programme__parcours", "academic_year")


def name_related(via: str = "") -> list[str]:
    """Return the select_related paths that name a semester instance reached through `via` ("enrolment__…")."""
    return [f"{via}__{path}" if via else path for path in NAME_RELATED]


class SemesterInstanceQuerySet(models.QuerySet):
    def named(self):
        """Select what the instances' names read (their semester, programme, parcours and year), in one query."""
        return self.select_related(*NAME_RELATED)


class SemesterInstance(models.Model):
    """A programme's semester run in an academic year (for that programme's parcours and modality)."""

    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="instances",
                                 verbose_name="semestre du programme")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="semester_instances",
                                      verbose_name="année universitaire")
    label = models.CharField("libellé", max_length=60, blank=True,
                             help_text="Pour distinguer deux sessions du même semestre la même année.")
    is_locked = models.BooleanField("verrouillé après jury", default=False)
    # Bumped by every change of what the instance's results are computed from (grading.cache_versions): the key of what
    # pages cache. Not a result: nothing computed is stored. It starts at random, so that an id reused after a
    # rollback (SQLite) never meets the entries of the instance that had it.
    results_version = models.PositiveBigIntegerField("version des résultats", default=random_results_version,
                                                     editable=False)

    objects = SemesterInstanceQuerySet.as_manager()

    class Meta:
        verbose_name = "semestre ouvert"
        verbose_name_plural = "semestres ouverts"
        ordering = ["-academic_year__start_year", "semester__programme__code", "semester__number", "label"]
        constraints = [
            models.UniqueConstraint(fields=["semester", "academic_year", "label"],
                                    name="semester_instance_unique"),
        ]

    def __str__(self):
        """Name it as people say it: "S3 — MPI alternance — Dijon-Auxerre — 2025-2026"."""
        programme = self.semester.programme
        number = f"S{self.semester.number} {self.label}" if self.label else f"S{self.semester.number}"
        return " — ".join([number, f"{programme.parcours.code} {programme.modality}", iut_place(programme.iut),
                           str(self.academic_year)])


def iut_place(iut: str) -> str:
    """Return where an IUT is, as people name it: "IUT Le Creusot" → "Le Creusot", "IUT de Dijon" → "Dijon"."""
    return re.sub(r"^IUT\s+(?:de\s+|d'|du\s+)?", "", iut.strip(), flags=re.IGNORECASE) or iut


class SemesterLockEvent(models.Model):
    """Each lock and unlock of a semester instance is recorded (R19)."""

    semester_instance = models.ForeignKey(SemesterInstance, on_delete=models.CASCADE, related_name="lock_events")
    locked = models.BooleanField("verrouillé")
    reason = models.TextField("motif", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "verrouillage de semestre"
        verbose_name_plural = "verrouillages de semestre"
        ordering = ["-at"]

    def __str__(self):
        return f"{'Verrouillage' if self.locked else 'Déverrouillage'} le {paris_datetime(self.at)}"

"""Errors the services raise, with their French messages, and the lock check every write makes (R19)."""
from collections.abc import Sequence

from grading.models import (
    Grade,
    SemesterInstance,
    random_results_version,
)

LOCKED = ("Le semestre {semester} est verrouillé après son jury : aucune modification n'est possible "
          "tant que la direction ne l'a pas déverrouillé.")
CONFLICT = ("Note modifiée entre-temps par quelqu'un d'autre : valeur enregistrée « {current} », "
            "votre saisie « {yours} » n'a pas été enregistrée.")
NOT_ENROLLED = "Cet étudiant n'est pas inscrit à ce semestre."
ALREADY_ENROLLED = "{student} est déjà inscrit à ce semestre."
ALREADY_LOCKED = "Ce semestre est déjà verrouillé."
NOT_LOCKED = "Ce semestre n'est pas verrouillé."
INSTANCE_EXISTS = "Ce semestre est déjà ouvert pour cette année universitaire (changez le libellé pour une 2e session)."
GROUP_EXISTS = "Le groupe « {name} » existe déjà dans ce semestre."
RESPONSIBLE_EXISTS = "{user} est déjà responsable de ce module."
MODULE_NOT_IN_SEMESTER = "Ce module n'appartient pas à ce semestre du programme."
MAX_BELOW_GRADES = "La note maximale ({max}) est inférieure à une note déjà saisie ({value})."
IMPORT_INVALID = "Le fichier contient {count} erreur(s) : rien n'a été enregistré."
IMPORT_STALE = ("Des notes ont changé depuis l'aperçu ({students}) : rien n'a été enregistré, "
                "déposez à nouveau le fichier pour voir un aperçu à jour.")
UNDO_ALREADY = "Cet import a déjà été annulé."
UNDO_CHANGED_SINCE = ("Annulation impossible : {count} note(s) de cet import ont été modifiées depuis "
                      "({students}). Corrigez-les dans la grille.")

class ServiceError(Exception):
    """A refused write, with a French message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SemesterLocked(ServiceError):
    pass


class GradeInvalid(ServiceError):
    pass


class GradeConflict(ServiceError):
    def __init__(self, *, current: str, yours: str, version: int):
        super().__init__(CONFLICT.format(current=current or "vide", yours=yours or "vide"))
        self.current = current
        self.yours = yours
        self.version = version


class ImportInvalid(ServiceError):
    def __init__(self, errors: Sequence[str]):
        super().__init__(IMPORT_INVALID.format(count=len(errors)))
        self.errors = list(errors)


class UndoRefused(ServiceError):
    pass


# ---------------------------------------------------------------- helpers


def ensure_unlocked(semester_instance: SemesterInstance) -> None:
    """Refuse any change to a locked semester (R19), reading the lock inside the transaction.

    One UPDATE both locks the instance's row until the transaction ends (as SELECT … FOR UPDATE did) and bumps its
    `results_version`, so that nothing cached from the instance's former state is read again (grading.cache_versions):
    every service write to an instance's grades, evaluations or enrolments goes through here. Writers of an
    instance's grades are thereby serialised. A rolled-back write rolls the bump back too.
    """
    unlocked = (SemesterInstance.objects.filter(pk=semester_instance.pk, is_locked=False)
                .update(results_version=random_results_version()))
    if not unlocked:
        raise SemesterLocked(LOCKED.format(semester=semester_instance))


def grade_text(grade: Grade | None) -> str:
    return "" if grade is None else grade.display

"""Who may do what on the students' side.

A student sees only their own results and bulletins: every route of theirs looks a semester up among the
enrolments of the record linked to their account, and anything else is a 404 (`own_semester_or_404`). Staff
publish evaluations' grades as `grading.access` lets them set up or grade the semester; a jury's decisions are
published by the scolarité, Secrétariat or Direction, once the jury is closed (`check_publish_decisions`; the
closing itself is checked by `portal.publication.jury_publish`).
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404

from butgmp.roles import Role, has_role
from grading.models import Student
from portal.results import SemesterResults, StudentResults, student_results

FORBIDDEN_PUBLISH = "Seuls le secrétariat et la direction publient les décisions d'un jury aux étudiants."
PUBLISH_ROLES = (Role.SECRETARIAT, Role.DIRECTION)


def may_publish_decisions(user) -> bool:
    """Tell whether the user publishes a closed jury's decisions to its students (the scolarité, Direction)."""
    return getattr(user, "is_authenticated", False) and has_role(user, *PUBLISH_ROLES)


def check_publish_decisions(user) -> None:
    """Raise PermissionDenied (403) unless the user may publish a jury's decisions."""
    if not may_publish_decisions(user):
        raise PermissionDenied(FORBIDDEN_PUBLISH)


def own_student(user) -> Student | None:
    """Return the student record linked to the account, if any."""
    return getattr(user, "student", None)


def own_semester_or_404(user, instance_pk: int) -> tuple[StudentResults, SemesterResults]:
    """Return the student's results and their semester `instance_pk`; 404 for anything else."""
    student = own_student(user)
    results = student_results(student=student) if student is not None else None
    semester = results.semester(instance_pk) if results is not None else None
    if semester is None:
        raise Http404
    return results, semester

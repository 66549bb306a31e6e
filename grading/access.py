"""Who may do what with grades and semesters: `can`/`check_access`, and the pages' `instance_or_404` and
`evaluation_or_404` that fetch an object and check access to it at once.

Secrétariat and Direction set up semesters and edit every grade; an Enseignant edits the grades of
the modules they are responsible for (and creates their evaluations); Jury and Étudiant edit nothing.
Only Direction locks and unlocks a semester (R19). The lock itself is enforced by the services.
"""
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from butgmp.roles import Role, has_role
from grading.models import ModuleResponsible, SemesterInstance
from grading.selectors.grade_entry import evaluations_for_pages

FORBIDDEN = "Vous n'avez pas accès à cette page."
FORBIDDEN_MODULE = "Vous n'êtes pas responsable de ce module : vous ne pouvez pas en saisir les notes."
FORBIDDEN_LOCK = "Seule la direction peut verrouiller ou déverrouiller un semestre."
FORBIDDEN_PAST_RESULTS = "Seuls la direction et le secrétariat importent des résultats antérieurs."

SETUP_ROLES = (Role.DIRECTION, Role.SECRETARIAT)


class Action(StrEnum):
    BROWSE = "browse"  # see the semester list and a semester's page
    GRADE = "grade"  # see and edit one module's evaluations and grades (module required)
    SETUP = "setup"  # create semesters, enrol students, groups, responsibles
    RESULTS = "results"  # see every student's live averages
    LOCK = "lock"  # lock and unlock a semester
    MISSING = "missing"  # see whom an evaluation waits for (R2): whoever reads the jury's reports


def responsible_module_ids(user, semester_instance: SemesterInstance) -> set[int]:
    """Return the ids of the modules of a semester the user is responsible for."""
    cache = user.__dict__.setdefault("_responsible_modules", {})
    if semester_instance.pk not in cache:
        cache[semester_instance.pk] = set(
            ModuleResponsible.objects.filter(semester_instance=semester_instance, user=user)
            .values_list("module_id", flat=True)
        )
    return cache[semester_instance.pk]


def can(user, action: Action, *, semester_instance: SemesterInstance, module=None) -> bool:
    """Tell whether the user may perform `action` on the semester (and module)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if action == Action.LOCK:
        return has_role(user, Role.DIRECTION)
    if action == Action.RESULTS:
        return has_role(user, *SETUP_ROLES, Role.JURY)
    if action == Action.MISSING:
        return has_role(user, *SETUP_ROLES, Role.JURY, Role.TEACHER)
    if has_role(user, *SETUP_ROLES):
        return True
    if action == Action.SETUP or not has_role(user, Role.TEACHER):
        return False
    owned = responsible_module_ids(user, semester_instance)
    if action == Action.BROWSE:
        return bool(owned)
    return module is not None and module.pk in owned


def check_access(user, action: Action, *, semester_instance: SemesterInstance, module=None) -> None:
    """Raise PermissionDenied (403) unless the user may perform `action`."""
    if not can(user, action, semester_instance=semester_instance, module=module):
        if action == Action.LOCK:
            raise PermissionDenied(FORBIDDEN_LOCK)
        if action == Action.GRADE and has_role(user, Role.TEACHER):
            raise PermissionDenied(FORBIDDEN_MODULE)
        raise PermissionDenied(FORBIDDEN)


def may_enter_grades(user) -> bool:
    """Tell whether the user has a role that enters grades somewhere (menu, semester list)."""
    return has_role(user, Role.DIRECTION, Role.SECRETARIAT, Role.TEACHER)


def may_follow_promotions(user) -> bool:
    """Tell whether the user may read the promotions' flows (every student's path): Direction and the jury."""
    return has_role(user, Role.DIRECTION, Role.JURY)


def check_past_results(user) -> None:
    """Direction and Secrétariat import results from before (earlier validations, any student)."""
    if not (getattr(user, "is_authenticated", False) and has_role(user, *SETUP_ROLES)):
        raise PermissionDenied(FORBIDDEN_PAST_RESULTS)


def lookup_scope(user):
    """Return the semester instances whose students the user may look up (None: every student)."""
    if has_role(user, *SETUP_ROLES, Role.JURY):
        return None
    return visible_instances(user)


def visible_instances(user):
    """Return the semester instances the user may browse (the Jury reads every semester's results)."""
    qs = SemesterInstance.objects.named()
    if has_role(user, *SETUP_ROLES, Role.JURY):
        return qs
    if has_role(user, Role.TEACHER):
        return qs.filter(module_responsibles__user=user).distinct()
    return qs.none()


def instance_or_404(request, pk: int, action: Action, *, module=None) -> SemesterInstance:
    instance = get_object_or_404(SemesterInstance.objects.named(), pk=pk)
    check_access(request.user, action, semester_instance=instance, module=module)
    return instance


def evaluation_or_404(request, pk: int, *, weights: bool = True):
    """Return the evaluation if the user may grade it; `weights=False` skips reading its weights (a cell's save)."""
    queryset = evaluations_for_pages()
    if not weights:
        queryset = queryset.prefetch_related(None)
    evaluation = get_object_or_404(queryset, pk=pk)
    check_access(request.user, Action.GRADE, semester_instance=evaluation.semester_instance,
                 module=evaluation.module)
    return evaluation

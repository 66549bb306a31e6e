"""Who may do what with grades and semesters: `can`/`check_access`, and the pages' `instance_or_404` and
`evaluation_or_404` that fetch an object and check access to it at once.

Secrétariat and Direction set up semesters and edit every grade; an Enseignant edits the grades of
the modules they are responsible for (and creates their evaluations); Jury and Étudiant edit nothing.
Only Direction locks and unlocks a semester (R19). The lock itself is enforced by the services.
A Jury-role user reads the results only of the promotions (programme × academic year) Direction assigned them to,
or of every one when the department chose so (`AccessPolicy`). Whom an evaluation waits for (R2) is read by those
who grade in its semester and by its promotion's jury; its grades, only by those who may grade it. The whole table
is in the README (« Who reads and writes what »).
"""
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from butgmp.roles import Role, has_role
from grading.models import AccessPolicy, JuryPromotion, ModuleResponsible, SemesterInstance
from grading.selectors.grade_entry import evaluations_for_pages

FORBIDDEN = "Vous n'avez pas accès à cette page."
FORBIDDEN_MODULE = "Vous n'êtes pas responsable de ce module : vous ne pouvez pas en saisir les notes."
FORBIDDEN_LOCK = "Seule la direction peut verrouiller ou déverrouiller un semestre."
FORBIDDEN_PAST_RESULTS = "Seuls la direction et le secrétariat importent des résultats antérieurs."
FORBIDDEN_ROLL_CALL = "Vous ne faites l'appel que dans les modules que vous enseignez."
FORBIDDEN_SETTINGS = "Seule la direction règle ce paramètre du département."

SETUP_ROLES = (Role.DIRECTION, Role.SECRETARIAT)


class Action(StrEnum):
    BROWSE = "browse"  # see the semester list and a semester's page
    GRADE = "grade"  # see and edit one module's evaluations and grades (module required)
    SETUP = "setup"  # create semesters, enrol students, groups, responsibles
    RESULTS = "results"  # see every student's live averages
    LOCK = "lock"  # lock and unlock a semester
    MISSING = "missing"  # see whom an evaluation waits for (R2), not the grades: graders and the promotion's jury


EVERY = "every"


def jury_promotions(user) -> set[tuple[int, int]] | str:
    """Return EVERY, or the (programme id, academic year id) pairs the user sits for (cached on the user)."""
    cached = getattr(user, "_jury_promotions", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        found: set | str = set()
    elif has_role(user, Role.DIRECTION, Role.SECRETARIAT):
        found = EVERY
    elif not has_role(user, Role.JURY):
        found = set()
    elif AccessPolicy.objects.filter(jury_every_promotion=True).exists():
        found = EVERY
    else:
        found = set(JuryPromotion.objects.filter(user=user).values_list("programme_id", "academic_year_id"))
    user._jury_promotions = found
    return found


def sits_for(user, *, programme_id: int, academic_year_id: int) -> bool:
    """Tell whether the user reads this promotion's reports and may sit on its juries."""
    promotions = jury_promotions(user)
    return promotions == EVERY or (programme_id, academic_year_id) in promotions


def sits_for_instances(user, instances) -> bool:
    """Tell whether the user sits for the promotion of every given semester instance."""
    return all(sits_for(user, programme_id=i.semester.programme_id, academic_year_id=i.academic_year_id)
               for i in instances)


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
    if has_role(user, *SETUP_ROLES):
        return True
    if action in (Action.RESULTS, Action.MISSING):
        if has_role(user, Role.JURY) and sits_for_instances(user, [semester_instance]):
            return True
        return action == Action.MISSING and has_role(user, Role.TEACHER) and bool(
            responsible_module_ids(user, semester_instance))
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


def may_browse_semesters(user) -> bool:
    """Tell whether the user opens the semester list: those who enter grades, and the jury (their promotions')."""
    return may_enter_grades(user) or has_role(user, Role.JURY)


def check_office(user, message: str = FORBIDDEN) -> None:
    """The scolarité (Secrétariat) and Direction: they decide on justifications of absence and read their
    documents, import results from before (`check_past_results`)."""
    if not (getattr(user, "is_authenticated", False) and has_role(user, *SETUP_ROLES)):
        raise PermissionDenied(message)


def may_set_department(user) -> bool:
    """Tell whether the user sets the department's settings: attendance rules and alert addresses, what the
    bulletins show, the institution's identity (Direction)."""
    return getattr(user, "is_authenticated", False) and has_role(user, Role.DIRECTION)


def check_department(user) -> None:
    """Raise PermissionDenied (403) unless the user sets the department's settings (Direction)."""
    if not may_set_department(user):
        raise PermissionDenied(FORBIDDEN_SETTINGS)


def roll_call_modules(user, semester_instance: SemesterInstance) -> set[int] | None:
    """Return the modules of a semester the user takes roll calls in: None for every one (the secretariat,
    Direction), else those they are responsible for; raise PermissionDenied (403) for anyone else."""
    if can(user, Action.SETUP, semester_instance=semester_instance):
        return None
    if not can(user, Action.BROWSE, semester_instance=semester_instance):
        raise PermissionDenied(FORBIDDEN)
    return responsible_module_ids(user, semester_instance)


def check_roll_call(user, semester_instance: SemesterInstance, *, module_id: int | None) -> None:
    """Raise PermissionDenied (403) unless the user may open and correct a roll call of this module."""
    owned = roll_call_modules(user, semester_instance)
    if owned is not None and (module_id is None or module_id not in owned):
        raise PermissionDenied(FORBIDDEN_ROLL_CALL)


def may_follow_promotions(user) -> bool:
    """Tell whether the user may read the promotions' flows (every student's path): Direction and the jury."""
    return has_role(user, Role.DIRECTION, Role.JURY)


def check_past_results(user) -> None:
    """Direction and Secrétariat import results from before (earlier validations, any student)."""
    check_office(user, FORBIDDEN_PAST_RESULTS)


def lookup_scope(user):
    """Return the semester instances whose students the user may look up (None: every student)."""
    if has_role(user, *SETUP_ROLES):
        return None
    return visible_instances(user)  # a teacher's semesters, a jury member's promotions


def lookup_instance_ids(user) -> set[int] | None:
    """Return the ids of the semester instances whose students the user may look up (None: every student)."""
    scope = lookup_scope(user)
    return None if scope is None else set(scope.values_list("pk", flat=True))


def visible_instances(user):
    """Return the semester instances the user may browse: every one for Direction and Secrétariat, a teacher's
    where they grade a module, a jury member's promotions."""
    qs = SemesterInstance.objects.named()
    if has_role(user, *SETUP_ROLES):
        return qs
    filters = Q(pk__in=[])
    if has_role(user, Role.TEACHER):
        filters |= Q(pk__in=ModuleResponsible.objects.filter(user=user).values("semester_instance_id"))
    if has_role(user, Role.JURY):
        promotions = jury_promotions(user)
        if promotions == EVERY:
            return qs
        for programme_id, academic_year_id in promotions:
            filters |= Q(semester__programme_id=programme_id, academic_year_id=academic_year_id)
    return qs.filter(filters)


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

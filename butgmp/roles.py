"""The five roles of the application, as auth groups created by a migration."""
from enum import StrEnum


class Role(StrEnum):
    DIRECTION = "Direction"
    SECRETARIAT = "Secrétariat"
    TEACHER = "Enseignant"
    JURY = "Jury"
    STUDENT = "Étudiant"


STAFF_ROLES = (Role.DIRECTION, Role.SECRETARIAT, Role.TEACHER, Role.JURY)


def user_roles(user) -> set[str]:
    """Return the role names of a user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.DIRECTION)
        user._role_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_staff_member(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def roles_context(request):
    roles = user_roles(request.user)
    return {
        "user_roles": sorted(roles),
        "is_direction": Role.DIRECTION in roles,
        "is_secretariat": Role.SECRETARIAT in roles,
        "is_teacher": Role.TEACHER in roles,
        "is_jury": Role.JURY in roles,
        "is_student": Role.STUDENT in roles,
        "is_staff_member": bool(roles & set(STAFF_ROLES)),
    }

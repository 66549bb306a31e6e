"""Who may use the programme pages: every staff member reads them; Direction alone changes a programme (its
semester table, a new version of a frozen one) and imports the référentiel. Students have no programme page."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from butgmp.roles import Role, has_role, is_staff_member

STAFF_ONLY = "Page réservée au personnel du département."
FORBIDDEN_EDIT = "Seule la direction modifie les programmes."


def may_edit_programmes(user) -> bool:
    """Tell whether the user changes programmes and the référentiel (Direction)."""
    return has_role(user, Role.DIRECTION)


def staff_required(view):
    """Let only logged-in staff members in (anonymous users go to the login page, others get 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied(STAFF_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


def direction_required(view):
    """Let only Direction through (403 with a French message for other staff, the login page for visitors)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_edit_programmes(request.user):
            raise PermissionDenied(FORBIDDEN_EDIT)
        return view(request, *args, **kwargs)

    return wrapper

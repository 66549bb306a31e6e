"""Who may use the accounts pages: only Direction manages users."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from butgmp.roles import Role, has_role

FORBIDDEN_USERS = "Seule la direction gère les comptes du personnel."


def direction_required(view):
    """Let only Direction through (403 with a French message for the others, the login page for visitors)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, Role.DIRECTION):
            raise PermissionDenied(FORBIDDEN_USERS)
        return view(request, *args, **kwargs)

    return wrapped

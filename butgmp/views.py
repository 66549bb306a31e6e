from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from butgmp.roles import Role, user_roles


@login_required
def home(request):
    """Send each role to its work; a user with several roles sees a menu."""
    roles = user_roles(request.user)
    if roles == {Role.STUDENT}:
        return redirect("grading:my_results")
    return render(request, "home.html", {"roles": sorted(roles)})

"""The home page: each role goes to its work (a student straight to their results), and the favicon."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from butgmp.roles import Role, user_roles


@login_required
def home(request):
    """Send each role to its work; a user with several roles sees a menu."""
    roles = user_roles(request.user)
    if roles == {Role.STUDENT}:
        return redirect("portal:my_results")
    return render(request, "dashboard/home.html", {"roles": sorted(roles)})


def favicon(request):
    """Answer the browsers that ask for /favicon.ico (PDFs, the admin) with the application's icon."""
    return redirect(static("favicon.svg"), permanent=True)

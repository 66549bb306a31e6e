"""The home page: each role sees what it has to do (a student goes straight to their results), and the favicon."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from butgmp.roles import Role, user_roles
from dashboard import selectors


@login_required
def home(request):
    """Send a student to their results; show staff their cards and, per role, what needs doing."""
    roles = user_roles(request.user)
    if roles == {Role.STUDENT}:
        return redirect("portal:my_results")
    context = {"roles": sorted(roles)}
    if Role.SECRETARIAT in roles:
        context["semesters"] = selectors.secretariat_semesters()
    if roles & {Role.SECRETARIAT, Role.DIRECTION}:  # both publish a closed jury's decisions (portal.access)
        context["juries_to_publish"] = selectors.unpublished_juries()
    if Role.TEACHER in roles:
        context["to_grade"] = selectors.teacher_evaluations(request.user)
    if Role.JURY in roles:
        context["jury"] = selectors.jury_home(request.user)
    if Role.DIRECTION in roles:
        context["programmes"] = selectors.programme_states()
        context["open_juries"] = selectors.open_juries()
        if Role.JURY not in roles:  # a jury member's own table shows them already
            context["promotions"] = selectors.direction_promotions()
    return render(request, "dashboard/home.html", context)


def favicon(request):
    """Answer the browsers that ask for /favicon.ico (PDFs, the admin) with the application's icon."""
    return redirect(static("favicon.svg"), permanent=True)

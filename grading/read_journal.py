"""The journal of staff reads (RGPD), kept by a middleware: one row per page a staff member reads in the
application's namespaces (one INSERT, no read), naming the student on a single student's page and keeping the
page's arguments as the scope of a listing. Students reading their own pages are not journaled."""
from butgmp.roles import Role, has_role, is_staff_member
from grading.models import StaffRead

STUDENT_ARGUMENTS = ("student_pk", "student_id")


class ReadJournalMiddleware:
    """Record a StaffRead for every successful staff request to a journaled namespace (settings.READ_JOURNAL)."""

    def __init__(self, get_response):
        from django.conf import settings
        self.namespaces = set(settings.READ_JOURNAL_NAMESPACES)
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (match is not None and response.status_code == 200 and request.method in ("GET", "POST")
                and match.namespace.split(":")[0] in self.namespaces and is_staff_member(request.user)
                and not has_role(request.user, Role.STUDENT)):
            student = next((match.kwargs[a] for a in STUDENT_ARGUMENTS if a in match.kwargs), None)
            scope = " ".join(f"{k}={v}" for k, v in sorted(match.kwargs.items()) if k not in STUDENT_ARGUMENTS)
            StaffRead.objects.create(user=request.user, page=match.view_name[:80], scope=scope[:200],
                                     student_id=student)
        return response

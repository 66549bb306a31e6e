"""The journal of staff reads (RGPD), kept by a middleware: one row per page a staff member reads in the
application's namespaces (one INSERT; one more small read on a page named by an enrolment). A single student's
page names the student; a listing keeps the page's arguments as its scope (a semester, an evaluation, a jury
report…). Students reading their own pages are not journaled."""
from django.conf import settings

from butgmp.roles import is_staff_member
from grading.models import Enrolment, StaffRead

# The single-student pages, and the URL argument naming the student (or their enrolment).
STUDENT_ARGUMENT = {"jury:sheet": "student_pk", "jury:decision_override": "student_pk",
                    "grading:student_record": "pk", "grading:student_identity_edit": "pk"}
READ_POSTS = {"grading:student_search"}  # a POST that only reads (names kept out of the URL)
ENROLMENT_ARGUMENT = {"grading:student_detail": "enrolment_pk", "grading:enrolment_edit": "enrolment_pk",
                      "grading:grade_history": "enrolment_pk", "portal:student_bulletin_pdf": "enrolment_pk"}


def read_record(*, user, page: str, kwargs: dict) -> StaffRead:
    """Journal one page read by a staff member."""
    student_id = kwargs.get(STUDENT_ARGUMENT.get(page, ""))
    enrolment_id = kwargs.get(ENROLMENT_ARGUMENT.get(page, ""))
    if enrolment_id is not None:
        student_id = Enrolment.objects.filter(pk=enrolment_id).values_list("student_id", flat=True).first()
    scope = " ".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    return StaffRead.objects.create(user=user, page=page[:80], scope=scope[:200], student_id=student_id)


class ReadJournalMiddleware:
    """Record a StaffRead for every successful staff request to a journaled namespace (READ_JOURNAL_NAMESPACES)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.namespaces = set(settings.READ_JOURNAL_NAMESPACES)

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (match is not None and response.status_code == 200 and match.namespace.split(":")[0] in self.namespaces
                and (request.method == "GET" or match.view_name in READ_POSTS) and is_staff_member(request.user)):
            read_record(user=request.user, page=match.view_name, kwargs=match.kwargs)
        return response

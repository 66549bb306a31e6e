"""E-mail notices to students when staff publish grades or decisions: one per student, a link, no grade."""
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from grading.models import Student


class NoticeKind(StrEnum):
    GRADES = "grades"
    DECISIONS = "decisions"


SUBJECTS = {
    NoticeKind.GRADES: "BUT GMP : de nouvelles notes sont publiées",
    NoticeKind.DECISIONS: "BUT GMP : les décisions du jury sont publiées",
}


def notice_recipients(*, student_ids) -> list[Student]:
    """Return the students to notify: with an account, an address, and notices on."""
    students = Student.objects.filter(id__in=list(student_ids), results_notices=True, user__isnull=False,
                                      user__is_active=True).select_related("user").order_by("id")
    return [s for s in students if s.email or s.user.email]


def notice_messages(*, students, kind: str, base_url: str) -> list[EmailMessage]:
    """Return one notice per student: what was published and a link to their results, never a grade."""
    link = base_url + reverse("portal:my_results")
    return [
        EmailMessage(
            subject=SUBJECTS[kind],
            body=render_to_string("portal/email/notice.txt",
                                  {"student": s, "kind": kind, "link": link,
                                   "settings_link": link + "#avis"}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[s.email or s.user.email],
        )
        for s in students
    ]


def notices_send(*, student_ids, kind: str, base_url: str) -> int:
    """Send the notices over one connection; return how many were sent."""
    messages = notice_messages(students=notice_recipients(student_ids=student_ids), kind=kind, base_url=base_url)
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0

"""E-mail notices to students when staff publish grades or decisions: one per student, a link, no grade."""
from dataclasses import dataclass
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


@dataclass(frozen=True)
class NoticeReach:
    """Whom a publication's notice reaches: the students an e-mail is queued for, and those it cannot reach."""

    recipients: list[int]  # student ids: an active account, an address, notices on
    without_account: int  # students with no active account yet (their account is to be created)
    declined: int  # an account, but no address or notices turned off

    @property
    def queued(self) -> int:
        return len(self.recipients)


def notice_reach(*, student_ids) -> NoticeReach:
    """Split the students concerned by a publication into those an e-mail reaches and those it does not."""
    ids = set(student_ids)
    recipients = [s.pk for s in notice_recipients(student_ids=ids)]
    with_account = set(Student.objects.filter(id__in=ids, user__isnull=False, user__is_active=True)
                       .values_list("id", flat=True))
    return NoticeReach(recipients=recipients, without_account=len(ids - with_account),
                       declined=len(with_account) - len(recipients))


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

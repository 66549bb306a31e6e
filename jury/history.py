"""Reads of recorded jury decisions: the one in force on a subject, and the chain behind it (R19).

A subject (a UE, an RCUE, the year) is the student's for one academic year, whichever of their enrolments or
juries recorded it: the S3 jury's UE3.1 decision and the year jury's (on the S4 enrolment) are one chain, the
later in force. A repeater's decisions of another year are another chain (R11 keeps what was capitalised).
"""
from django.db.models import QuerySet

from grading.models import Enrolment, JuryDecision


def _same_subject(*, enrolment: Enrolment, level: str, subject: str) -> QuerySet:
    return JuryDecision.objects.filter(
        enrolment__student_id=enrolment.student_id, level=level, subject=subject,
        enrolment__semester_instance__academic_year_id=enrolment.semester_instance.academic_year_id)


def in_force(*, enrolment: Enrolment, level: str, subject: str) -> QuerySet:
    """Return the decisions in force on the subject of this enrolment's student and year (one at most)."""
    return _same_subject(enrolment=enrolment, level=level, subject=subject).filter(superseded_by__isnull=True)


def current_decision(*, enrolment: Enrolment, level: str, subject: str) -> JuryDecision | None:
    """Return the decision in force on a subject (the one no later decision supersedes)."""
    return in_force(enrolment=enrolment, level=level, subject=subject).first()


def decision_history(*, enrolment: Enrolment, level: str, subject: str) -> list[JuryDecision]:
    """Return every decision recorded on the subject of this enrolment's student and year, the latest first."""
    return list(_same_subject(enrolment=enrolment, level=level, subject=subject)
                .select_related("user", "session").order_by("-at", "-id"))


def decisions_of(*, enrolments: list[Enrolment]) -> list[JuryDecision]:
    """Return every decision recorded on the given enrolments, with who signed it and what it superseded."""
    return list(JuryDecision.objects.filter(enrolment__in=enrolments)
                .select_related("user", "session", "supersedes", "enrolment__semester_instance__semester")
                .order_by("level", "subject", "-at", "-id"))

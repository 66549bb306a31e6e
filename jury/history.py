"""Reads of recorded jury decisions: the one in force on a subject, and the chain behind it (R19)."""
from grading.models import Enrolment, JuryDecision


def current_decision(*, enrolment: Enrolment, level: str, subject: str) -> JuryDecision | None:
    """Return the decision in force on a subject (the one no later decision supersedes)."""
    return JuryDecision.objects.filter(enrolment=enrolment, level=level, subject=subject,
                                       superseded_by__isnull=True).first()


def decision_history(*, enrolment: Enrolment, level: str, subject: str) -> list[JuryDecision]:
    """Return every decision recorded on a subject, the latest first."""
    return list(JuryDecision.objects.filter(enrolment=enrolment, level=level, subject=subject)
                .select_related("user").order_by("-at", "-id"))


def decisions_of(*, enrolments: list[Enrolment]) -> list[JuryDecision]:
    """Return every decision recorded on the given enrolments, with who signed it and what it superseded."""
    return list(JuryDecision.objects.filter(enrolment__in=enrolments)
                .select_related("user", "session", "supersedes", "enrolment__semester_instance__semester")
                .order_by("level", "subject", "-at", "-id"))

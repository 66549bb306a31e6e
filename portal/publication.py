"""Staff publish what students see: evaluations' grades, and a closed jury's decisions.

Publishing is recorded in the audit journal; each student concerned by a new publication gets one e-mail notice
(sent by the worker), whatever the number of evaluations published at once.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grading.models import Enrolment, Evaluation, Grade, JurySession, JurySessionEvent
from grading.services.audit_entries import audit_row, batch_key, journal
from grading.services.errors import ServiceError
from portal.notices import NoticeKind, notice_reach
from portal.tasks import send_results_notices

PUBLISH_NOT_CLOSED = "Un jury doit être clos avant que ses décisions soient publiées."
PUBLISH_ALREADY = "Les décisions de ce jury sont déjà publiées."


@dataclass
class PublicationDone:
    changed: int  # evaluations whose state changed
    notified: int  # e-mails queued: students with an account, an address and notices on
    without_account: int = 0  # students concerned who have no account yet: no e-mail for them
    declined: int = 0  # students concerned with an account but no address, or notices turned off


def evaluations_publish(*, evaluations: Iterable[Evaluation], published: bool, user, base_url: str,
                        notify: bool = True) -> PublicationDone:
    """Publish (or withdraw) evaluations' grades; notify the students who have a grade in a newly published one
    (unless `notify` is False: the demo, whose addresses are fictitious)."""
    with transaction.atomic():
        ids = [e.pk for e in evaluations]
        changing = list(Evaluation.objects.select_for_update().filter(pk__in=ids)
                        .exclude(is_published=published).select_related("module").order_by("pk"))
        if not changing:
            return PublicationDone(changed=0, notified=0)
        Evaluation.objects.filter(pk__in=[e.pk for e in changing]).update(is_published=published)
        batch = batch_key("publication")
        journal(audit_row(obj=e, action="update", user=user, field="is_published", old=not published,
                          new=published, batch=batch) for e in changing)
        reach = notice_reach(student_ids=_graded_students(changing) if published and notify else [])
        _notify(reach.recipients, NoticeKind.GRADES, base_url)
    return PublicationDone(changed=len(changing), notified=reach.queued, without_account=reach.without_account,
                           declined=reach.declined)


def session_unpublished_evaluations(session: JurySession) -> list[Evaluation]:
    """Return the evaluations of a jury's semesters not yet published: publishing its decisions publishes them
    (students then see the figures of the PV beside their own grades)."""
    return list(Evaluation.objects.filter(semester_instance__in=session.semester_instances.all(), is_published=False)
                .select_related("module", "semester_instance__semester")
                .order_by("semester_instance__semester__number", "module__code", "order", "pk"))


def jury_publish(*, session: JurySession, user, base_url: str, notify: bool = True) -> PublicationDone:
    """Publish a closed jury's decisions (the jury's own service: checks and event, R19) together with the
    evaluations of its semesters not yet published (each journaled), then notify every student enrolled in the
    semesters it decided, in the same transaction (unless `notify` is False). Decisions are never published
    without the grades behind them."""
    with transaction.atomic():
        session = session_publish(session=session, user=user)
        evaluations_publish(evaluations=session_unpublished_evaluations(session), published=True, user=user,
                            base_url=base_url, notify=False)  # one notice, the decisions', below
        journal([audit_row(obj=session, action="update", user=user, field="published_at",
                           new=session.published_at.isoformat(), batch=batch_key("jury"))])
        reach = notice_reach(student_ids=Enrolment.objects.filter(
            semester_instance__in=session.semester_instances.all()).values_list("student_id", flat=True)
            if notify else [])
        _notify(reach.recipients, NoticeKind.DECISIONS, base_url)
    return PublicationDone(changed=1, notified=reach.queued, without_account=reach.without_account,
                           declined=reach.declined)


def session_publish(*, session: JurySession, user) -> JurySession:
    """Publish a closed jury's decisions to its students (the students' pages read `published_at`)."""
    with transaction.atomic():
        session = JurySession.objects.select_for_update().get(pk=session.pk)
        if not session.is_closed:
            raise ServiceError(PUBLISH_NOT_CLOSED)
        if session.is_published:
            raise ServiceError(PUBLISH_ALREADY)
        session.published_at, session.published_by = timezone.now(), user
        session.save(update_fields=["published_at", "published_by"])
        JurySessionEvent.objects.create(session=session, action=JurySessionEvent.Action.PUBLISH, user=user)
    return session


def _graded_students(evaluations: list[Evaluation]) -> list[int]:
    """Return the students with a grade or a code in any of the evaluations."""
    return list(Grade.objects.filter(evaluation__in=evaluations).exclude(value__isnull=True, code="")
                .values_list("enrolment__student_id", flat=True))


def _notify(student_ids: list[int], kind: str, base_url: str) -> None:
    """Queue the notices; the task row commits with the publication, so none goes out for a rolled-back one."""
    if student_ids:
        send_results_notices.enqueue(student_ids=sorted(student_ids), kind=str(kind), base_url=base_url)

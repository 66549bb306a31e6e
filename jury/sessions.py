"""Jury sessions (R19): opened for a report's semesters, closed (which locks them), reopened by Direction only.

Closing and reopening are recorded as `JurySessionEvent` rows; the locks go through the semester
lock service, which records its own events. Publishing a closed jury's decisions is the students' side's
(`portal.publication.jury_publish`).
"""
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from butgmp.roles import Role
from grading.models import AccessPolicy, JuryPromotion, JurySession, JurySessionEvent, SemesterInstance
from grading.services.errors import ServiceError
from grading.services.semesters import semester_lock, semester_unlock
from jury.access import JuryAction, may
from jury.records import close_refusal, record_supersede, record_write
from jury.report import jury_report
from jury.scope import scope_of_session
from jury.tasks import documents_queue

SESSION_OPEN_EXISTS = "Un jury est déjà ouvert pour ces semestres (jury du {date})."
SESSION_ALREADY_CLOSED = "Ce jury est déjà clos."
SESSION_NOT_CLOSED = "Ce jury n'est pas clos."
SESSION_NO_SEMESTER = "Un jury décide au moins un semestre."
SESSION_NO_PRESIDENT = "Indiquez le président ou la présidente du jury."
REOPEN_DIRECTION_ONLY = "Seule la direction peut rouvrir un jury clos."
REOPEN_REASON_REQUIRED = "Indiquez le motif de la réouverture du jury."
MEMBER_NOT_SITTING = ("{name} ne siège pas au jury de cette promotion : les membres sont choisis parmi les membres "
                      "de jury que la direction y a affectés.")
LOCK_REASON = "Clôture du {session}"
UNLOCK_REASON = "Réouverture du {session} : {reason}"


def member_name(user) -> str:
    return user.get_full_name() or user.get_username()


def member_choices(semester_instances):
    """Return the users who may sit on a jury of these semesters: the Jury-role users Direction assigned to their
    promotion (programme × academic year), or every one of them under the department's choice."""
    users = (get_user_model().objects.filter(groups__name=Role.JURY, is_active=True)
             .order_by("last_name", "first_name", "username"))
    if AccessPolicy.objects.filter(jury_every_promotion=True).exists():
        return users
    promotions = {(i.semester.programme_id, i.academic_year_id) for i in semester_instances}
    for programme_id, year_id in promotions:
        users = users.filter(pk__in=JuryPromotion.objects.filter(programme_id=programme_id, academic_year_id=year_id)
                             .values("user_id"))
    return users


def _check_members(members, semester_instances) -> None:
    allowed = set(member_choices(semester_instances).values_list("pk", flat=True))
    for member in members:
        if member.pk not in allowed:
            raise ServiceError(MEMBER_NOT_SITTING.format(name=member_name(member)))


def session_create(*, semester_instances: list[SemesterInstance], date: datetime.date, president: str,
                   members=(), user) -> JurySession:
    """Open a jury session for the given semesters; refused while another one is open for the same semesters.

    Its members are chosen among the users who sit for the promotion (`member_choices`); their names are kept as
    printed on the PV."""
    if not semester_instances:
        raise ServiceError(SESSION_NO_SEMESTER)
    if not president.strip():
        raise ServiceError(SESSION_NO_PRESIDENT)
    members = list(dict.fromkeys(members))
    _check_members(members, semester_instances)
    wanted = {i.pk for i in semester_instances}
    with transaction.atomic():
        # Lock the semesters' rows so that two jury members cannot open the same jury twice at once.
        list(SemesterInstance.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
        for other in (JurySession.objects.filter(semester_instances__in=wanted, closed_at__isnull=True)
                      .prefetch_related("semester_instances").distinct()):
            if {i.pk for i in other.semester_instances.all()} == wanted:
                raise ServiceError(SESSION_OPEN_EXISTS.format(date=f"{other.date:%d/%m/%Y}"))
        session = JurySession(date=date, president=president.strip(), created_by=user,
                              members="\n".join(member_name(m) for m in members))
        session.full_clean()
        session.save()
        session.semester_instances.set(semester_instances)
        session.member_users.set(members)
    return session


def session_close(*, session: JurySession, user) -> JurySession:
    """Close the jury: refused while a student is undecided; its semesters are locked and what it decided is
    recorded as it stands, the record every official output reads from then on (R19)."""
    with transaction.atomic():
        session = JurySession.objects.select_for_update().get(pk=session.pk)
        if session.is_closed:
            raise ServiceError(SESSION_ALREADY_CLOSED)
        report = jury_report(scope=scope_of_session(session))
        refusal = close_refusal(report)
        if refusal:
            raise ServiceError(refusal)
        for instance in session.semester_instances.order_by("pk"):
            if not instance.is_locked:
                semester_lock(semester_instance=instance, user=user, reason=LOCK_REASON.format(session=session))
        session.closed_at, session.closed_by = timezone.now(), user
        session.save(update_fields=["closed_at", "closed_by"])
        record = record_write(session=session, user=user, report=report)
        documents_queue(record=record)  # the PV and the letters, made once by the worker and kept with the record
        JurySessionEvent.objects.create(session=session, action=JurySessionEvent.Action.CLOSE, user=user)
    return session


def session_reopen(*, session: JurySession, user, reason: str) -> JurySession:
    """Reopen a closed jury (Direction only, with a reason): its semesters are unlocked, both recorded (R19)."""
    if not may(user, JuryAction.REOPEN):
        raise ServiceError(REOPEN_DIRECTION_ONLY)
    if not reason.strip():
        raise ServiceError(REOPEN_REASON_REQUIRED)
    with transaction.atomic():
        session = JurySession.objects.select_for_update().get(pk=session.pk)
        if not session.is_closed:
            raise ServiceError(SESSION_NOT_CLOSED)
        for instance in session.semester_instances.order_by("pk"):
            if instance.is_locked:
                semester_unlock(semester_instance=instance, user=user,
                                reason=UNLOCK_REASON.format(session=session, reason=reason.strip()))
        session.closed_at = session.closed_by = None
        session.published_at = session.published_by = None  # what students saw is no longer final
        record_supersede(session=session)  # the closed record stays in the history
        session.save(update_fields=["closed_at", "closed_by", "published_at", "published_by"])
        JurySessionEvent.objects.create(session=session, action=JurySessionEvent.Action.REOPEN, user=user,
                                        reason=reason.strip())
    return session


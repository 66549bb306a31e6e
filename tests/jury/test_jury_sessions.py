"""Jury sessions (R19): closing locks the semesters, only Direction reopens with a reason; both are recorded."""
import pytest
from django.core import mail
from django.urls import reverse

from grading.models import JurySession, JurySessionEvent, SemesterLockEvent, Student
from grading.services.errors import SemesterLocked, ServiceError
from grading.services.grades import grade_set
from jury.sessions import (
    REOPEN_DIRECTION_ONLY,
    REOPEN_REASON_REQUIRED,
    SESSION_OPEN_EXISTS,
    session_close,
    session_reopen,
)
from portal.publication import session_publish

pytestmark = pytest.mark.django_db


def test_a_jury_member_opens_a_jury_from_the_report(client, users, clean_promotion):
    client.force_login(users["jury"])
    response = client.post(reverse("jury:session_create", args=["annee", clean_promotion.s3.pk]),
                           {"date": "2026-06-20", "president": "Mme Alice Présidente",
                            "members": [users["jury"].pk]})
    assert response.status_code == 302
    session = JurySession.objects.get()
    assert (session.president, session.members, session.created_by) == ("Mme Alice Présidente", "Jules Juré",
                                                                         users["jury"])
    assert list(session.member_users.all()) == [users["jury"]]
    assert set(session.semester_instances.all()) == {clean_promotion.s3, clean_promotion.s4}


def test_a_second_open_jury_for_the_same_semesters_is_refused(users, clean_promotion, open_session):
    open_session(clean_promotion)
    with pytest.raises(ServiceError) as raised:
        open_session(clean_promotion)
    assert raised.value.message == SESSION_OPEN_EXISTS.format(date="20/06/2026")


def test_closing_locks_the_semesters_and_is_recorded(users, clean_promotion, decided_session):
    session = session_close(session=decided_session(clean_promotion), user=users["jury"])
    clean_promotion.s3.refresh_from_db()
    clean_promotion.s4.refresh_from_db()
    assert session.is_closed and session.closed_by == users["jury"]
    assert clean_promotion.s3.is_locked and clean_promotion.s4.is_locked
    assert list(session.events.values_list("action", "user__username")) == [("close", "jury")]
    assert SemesterLockEvent.objects.filter(locked=True, user=users["jury"]).count() == 2
    enrolment = clean_promotion.students[0].enrolments.get(semester_instance=clean_promotion.s3)
    with pytest.raises(SemesterLocked):  # R19: no grade changes after the jury
        grade_set(evaluation=clean_promotion.s3.evaluations.first(), enrolment=enrolment, raw="20",
                  user=users["secretariat"])


def test_only_direction_reopens_and_with_a_reason(client, users, clean_promotion, decided_session):
    session = session_close(session=decided_session(clean_promotion), user=users["jury"])
    with pytest.raises(ServiceError) as raised:
        session_reopen(session=session, user=users["jury"], reason="erreur")
    assert raised.value.message == REOPEN_DIRECTION_ONLY
    with pytest.raises(ServiceError) as raised:
        session_reopen(session=session, user=users["direction"], reason=" ")
    assert raised.value.message == REOPEN_REASON_REQUIRED
    client.force_login(users["jury"])
    assert client.post(reverse("jury:session_reopen", args=[session.pk]), {"reason": "x"}).status_code == 403
    client.force_login(users["direction"])
    response = client.post(reverse("jury:session_reopen", args=[session.pk]), {"reason": "Note de stage corrigée"})
    assert response.status_code == 302
    session.refresh_from_db()
    clean_promotion.s4.refresh_from_db()
    assert not session.is_closed and not clean_promotion.s4.is_locked
    reopened = session.events.get(action=JurySessionEvent.Action.REOPEN)
    assert (reopened.user, reopened.reason) == (users["direction"], "Note de stage corrigée")
    assert SemesterLockEvent.objects.filter(locked=False, user=users["direction"]).count() == 2


def test_publishing_needs_a_closed_jury_and_is_recorded(users, clean_promotion, decided_session):
    session = decided_session(clean_promotion)
    with pytest.raises(ServiceError):
        session_publish(session=session, user=users["jury"])
    session = session_publish(session=session_close(session=session, user=users["jury"]), user=users["jury"])
    assert session.is_published and session.events.filter(action="publish").exists()


def test_the_close_button_locks_from_the_page(client, users, clean_promotion, decided_session):
    session = decided_session(clean_promotion)
    client.force_login(users["jury"])
    response = client.post(reverse("jury:session_close", args=[session.pk]), follow=True)
    assert "Jury clos" in response.content.decode()
    session.refresh_from_db()
    assert session.is_closed


def test_the_scolarite_publishes_from_the_jury_page_and_the_students_it_decided_are_notified(
        client, users, make_user, clean_promotion, decided_session, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                   "QUEUES": ["default", "email"]}}
    for student in Student.objects.filter(enrolments__semester_instance=clean_promotion.s4).distinct():
        student.user = make_user(username=f"etu-{student.pk}")  # notices go to students with an account
        student.email = f"etu{student.pk}@example.fr"
        student.save(update_fields=["user", "email"])
    session = session_close(session=decided_session(clean_promotion), user=users["jury"])
    publish = reverse("portal:jury_publication", args=[session.pk])
    client.force_login(users["jury"])
    page = client.get(reverse("jury:session_detail", args=[session.pk]), follow=True).content.decode()
    assert publish not in page  # the jury closes; the scolarité publishes
    assert client.post(publish).status_code == 403
    client.force_login(users["secretariat"])
    page_url = reverse("jury:session_detail", args=[session.pk])
    response = client.get(page_url, follow=True)
    assert publish in response.content.decode()
    back = response.redirect_chain[-1][0]
    assert client.post(publish, {"next": back}).url == back  # back to the jury's page it was published from
    session.refresh_from_db()
    assert session.is_published and session.events.filter(action="publish").count() == 1
    assert session.published_by == users["secretariat"]
    students = Student.objects.filter(enrolments__semester_instance__in=session.semester_instances.all()).distinct()
    assert len(mail.outbox) == students.count() > 0


def test_the_jury_former_publishing_address_redirects_to_the_one_route_keeping_the_post(client, users,
                                                                                     clean_promotion, decided_session):
    session = session_close(session=decided_session(clean_promotion), user=users["jury"])
    client.force_login(users["jury"])
    response = client.post(reverse("jury:session_publish", args=[session.pk]))
    assert (response.status_code, response.url) == (308, reverse("portal:jury_publication", args=[session.pk]))
    session.refresh_from_db()
    assert not session.is_published

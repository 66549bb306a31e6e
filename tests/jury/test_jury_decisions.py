"""Recording decisions: accept the proposals, override with a reason, only subjects of the student's programme
and parcours (pages and admin), history kept (R16, R19)."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.models import Parcours
from grading.engine.codes import JuryLevel
from grading.models import JuryDecision
from jury.decisions import (
    ERROR_OVERRIDE_REASON,
    ERROR_SESSION_CLOSED,
    decision_override,
    decision_record,
    proposals_accept,
)
from jury.history import decision_history
from jury.report import jury_report
from jury.scope import scope_for
from jury.sessions import session_close
from jury.subjects import RCUE_REFUSED, UE_REFUSED, YEAR_REFUSED

pytestmark = pytest.mark.django_db


def s4_enrolment(promotion, index=0):
    return promotion.students[index].enrolments.get(semester_instance=promotion.s4)


def test_accepting_the_proposals_records_every_unblocked_students_proposal(users, promotion, open_session):
    session = open_session(promotion)
    report = jury_report(scope=scope_for(promotion.s3, year=True))
    result = proposals_accept(session=session, user=users["jury"])
    blocked = {str(r.student) for r in report.rows if r.blockers}
    assert set(result.blocked) == blocked and result.already == 0
    recorded = {d.enrolment.student_id: d for d in JuryDecision.objects.select_related("enrolment")}
    expected = {r.student.pk: r.proposal for r in report.rows if not r.blockers}
    assert {sid: d.code for sid, d in recorded.items()} == expected
    assert all(d.session == session and d.user == users["jury"] and d.level == JuryLevel.YEAR and d.subject == "2"
               for d in recorded.values())


def test_accepting_twice_records_nothing_more_and_keeps_an_override(users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    enrolment = s4_enrolment(clean_promotion)
    override = decision_override(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code="RAT",
                                 reason="Rattrapage du stage en septembre", user=users["jury"], session=session)
    first = proposals_accept(session=session, user=users["jury"])
    second = proposals_accept(session=session, user=users["direction"])
    assert (first.recorded, first.already, second.recorded, second.already) == (9, 1, 0, 10)
    assert JuryDecision.objects.count() == 10
    assert JuryDecision.objects.get(enrolment=enrolment) == override


def test_an_override_needs_a_reason(users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    with pytest.raises(ValidationError) as raised:
        decision_override(enrolment=s4_enrolment(clean_promotion), level=JuryLevel.YEAR, subject="2", code="ADM",
                          reason=" ", user=users["jury"], session=session)
    assert raised.value.messages == [ERROR_OVERRIDE_REASON]


def test_an_override_supersedes_the_accepted_proposal_and_both_stay(users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    proposals_accept(session=session, user=users["jury"])
    enrolment = s4_enrolment(clean_promotion)
    accepted = JuryDecision.objects.get(enrolment=enrolment)
    override = decision_override(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code="ATJ",
                                 reason="Certificat médical attendu", user=users["direction"], session=session)
    history = decision_history(enrolment=enrolment, level=JuryLevel.YEAR, subject="2")
    assert history == [override, accepted] and override.supersedes == accepted
    assert (override.reason, override.user) == ("Certificat médical attendu", users["direction"])
    assert jury_report(scope=scope_for(clean_promotion.s4, year=True)).rows[0].recorded == "ATJ"


def test_a_rcue_adj_override_is_applied_by_the_engine(users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    report = jury_report(scope=scope_for(clean_promotion.s4, year=True))
    row = next(r for r in report.rows if any(not c.validated for c in r.rcues.values()))
    key = next(k for k, c in row.rcues.items() if not c.validated)
    decision_override(enrolment=row.enrolment, level=JuryLevel.RCUE, subject=key, code="ADJ",
                      reason="Progression remarquable", user=users["jury"], session=session)
    again = next(r for r in jury_report(scope=report.scope).rows if r.student == row.student)
    assert again.rcues[key].code == "ADJ" and again.rcues[key].by_jury


@pytest.mark.parametrize("level, subject, message", [
    (JuryLevel.UE, "UE9.9", UE_REFUSED), (JuryLevel.RCUE, "C9-2", RCUE_REFUSED), (JuryLevel.UE, "UE1.1", UE_REFUSED),
    (JuryLevel.YEAR, "3", YEAR_REFUSED),
])
def test_a_decision_on_a_subject_outside_the_programme_is_refused(users, clean_promotion, level, subject, message):
    enrolment = s4_enrolment(clean_promotion)
    with pytest.raises(ValidationError) as raised:
        decision_record(enrolment=enrolment, level=level, subject=subject, code="ADJ", reason="motif",
                        user=users["jury"])
    assert raised.value.messages == [message.format(subject=subject, year="2", programme=clean_promotion.programme.code,
                                                    parcours="MPI")]
    assert not JuryDecision.objects.exists()


def test_a_ue_of_another_parcours_is_refused(users, clean_promotion):
    from curriculum.models import UE

    other = Parcours.objects.create(speciality=clean_promotion.programme.speciality, code="CAI", name="CAI")
    UE.objects.get(semester__programme=clean_promotion.programme, code="UE4.4").parcours.set([other])
    with pytest.raises(ValidationError):
        decision_record(enrolment=s4_enrolment(clean_promotion), level=JuryLevel.UE, subject="UE4.4", code="ADJ",
                        reason="motif", user=users["jury"])


def test_the_page_refuses_a_subject_outside_the_programme(client, users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    student = clean_promotion.students[0]
    client.force_login(users["jury"])
    response = client.post(reverse("jury:decision_override", args=[session.pk, student.pk]),
                           {"subject": "UE:UE9.9", "code": "ADJ", "reason": "motif"})
    assert response.status_code == 400 and not JuryDecision.objects.exists()
    assert "UE9.9" in response.content.decode()


def test_the_page_records_an_override_with_its_reason(client, users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    student = clean_promotion.students[0]
    client.force_login(users["jury"])
    response = client.post(reverse("jury:decision_override", args=[session.pk, student.pk]),
                           {"subject": "annee:2", "code": "PAS1NCI", "reason": "Stage validé en entreprise"})
    assert response.status_code == 302
    decision = JuryDecision.objects.get()
    assert (decision.code, decision.reason, decision.session, decision.user) == (
        "PAS1NCI", "Stage validé en entreprise", session, users["jury"])


def test_a_teacher_or_the_secretariat_cannot_record_a_decision(client, users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    for role in ("teacher", "secretariat", "student"):
        client.force_login(users[role])
        response = client.post(reverse("jury:proposals_accept", args=[session.pk]))
        assert response.status_code == 403
    assert not JuryDecision.objects.exists()


def test_a_closed_jury_refuses_new_decisions(users, clean_promotion, decided_session):
    session = decided_session(clean_promotion)
    session_close(session=session, user=users["jury"])
    session.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        decision_override(enrolment=s4_enrolment(clean_promotion), level=JuryLevel.YEAR, subject="2", code="ADM",
                          reason="motif", user=users["jury"], session=session)
    assert raised.value.messages == [ERROR_SESSION_CLOSED.format(date="20/06/2026")]
    with pytest.raises(ValidationError):
        proposals_accept(session=session, user=users["jury"])


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True, username="root"))
    return client


def test_the_admin_refuses_a_decision_on_a_ue_that_does_not_exist(admin_client, clean_promotion):
    response = admin_client.post(reverse("admin:grading_jurydecision_add"), {
        "enrolment": s4_enrolment(clean_promotion).pk, "level": "UE", "subject": "UE9.9", "code": "ADJ",
        "reason": "motif"})
    assert response.status_code == 200 and not JuryDecision.objects.exists()
    assert "UE9.9" in " ".join(response.context["adminform"].form.non_field_errors())


def test_the_admin_records_through_the_service_and_never_changes_a_decision(admin_client, clean_promotion):
    enrolment = s4_enrolment(clean_promotion)
    for code in ("RED", "NAR"):
        response = admin_client.post(reverse("admin:grading_jurydecision_add"), {
            "enrolment": enrolment.pk, "level": "annee", "subject": "2", "code": code, "reason": ""})
        assert response.status_code == 302
    first, second = JuryDecision.objects.order_by("id")
    assert second.supersedes == first and second.user.username == "root"
    response = admin_client.post(reverse("admin:grading_jurydecision_change", args=[first.pk]), {
        "enrolment": enrolment.pk, "level": "annee", "subject": "2", "code": "ADM", "reason": "x"})
    first.refresh_from_db()
    assert response.status_code == 403 and first.code == "RED"


def test_the_admin_refuses_a_decision_of_a_closed_jury(admin_client, users, clean_promotion, decided_session):
    session = decided_session(clean_promotion)
    session_close(session=session, user=users["jury"])
    before = JuryDecision.objects.count()
    response = admin_client.post(reverse("admin:grading_jurydecision_add"), {
        "enrolment": s4_enrolment(clean_promotion).pk, "level": "annee", "subject": "2", "code": "RED",
        "reason": "", "session": session.pk})
    assert response.status_code == 200 and JuryDecision.objects.count() == before == 10
    assert response.context["adminform"].form.non_field_errors()
    change = admin_client.get(reverse("admin:grading_jurysession_change", args=[session.pk]))
    assert b'name="president"' not in change.content  # a closed jury is read-only in the admin

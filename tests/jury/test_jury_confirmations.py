"""« Valider les propositions » says what it will do before doing it; messages name things plainly."""
from collections import Counter

from django.contrib.messages import get_messages
from django.urls import reverse

from grading.engine.codes import JuryLevel
from grading.models import JuryDecision
from jury.decisions import ERROR_PLAN_CHANGED, decision_override, proposals_plan
from jury.report import jury_report
from jury.scope import scope_of_session


def expected_counts(session) -> tuple[Counter, dict[str, str]]:
    """What the report proposes for the students without a blocker, and who is blocked with why."""
    report = jury_report(scope=scope_of_session(session))
    proposed = Counter(r.proposal for r in report.rows if not r.blockers and r.proposal)
    blocked = {f"{r.student.last_name.upper()} {r.student.first_name}": ", ".join(r.blockers)
               for r in report.rows if r.blockers}
    return proposed, blocked


def test_the_first_post_shows_the_counts_and_who_is_left_aside_and_records_nothing(client, users, promotion,
                                                                                   open_session):
    session = open_session(promotion)
    proposed, blocked = expected_counts(session)
    assert blocked and sum(proposed.values()) > 0  # the promotion has blocked students and others
    client.force_login(users["jury"])
    response = client.post(reverse("jury:proposals_accept", args=[session.pk]))
    assert response.status_code == 200 and not JuryDecision.objects.exists()
    plan = response.context["plan"]
    assert dict(plan.counts) == dict(proposed)
    assert {a.name: a.why for a in plan.blocked} == blocked
    html = response.content.decode()
    assert f"{sum(proposed.values())} décision(s) seront enregistrées" in html
    for code, count in proposed.items():
        assert f"<td>{code}</td><td class=\"num\">{count}</td>" in html
    for name, why in blocked.items():
        assert f"<td>{name}</td><td>{why}</td>" in html
    assert 'name="confirmer" value="1"' in html and plan.fingerprint in html


def test_confirming_records_what_the_preview_said_and_says_it_by_code(client, users, promotion, open_session):
    session = open_session(promotion)
    proposed, blocked = expected_counts(session)
    client.force_login(users["jury"])
    plan = client.post(reverse("jury:proposals_accept", args=[session.pk])).context["plan"]
    response = client.post(reverse("jury:proposals_accept", args=[session.pk]),
                           {"confirmer": "1", "plan": plan.fingerprint})
    assert response.status_code == 302
    recorded = Counter(JuryDecision.objects.filter(session=session, level=JuryLevel.YEAR)
                       .values_list("code", flat=True))
    assert recorded == proposed
    said = [str(m) for m in get_messages(response.wsgi_request)]
    codes = ", ".join(f"{code} {count}" for code, count in sorted(proposed.items()))
    assert f"{sum(proposed.values())} proposition(s) enregistrée(s) comme décisions du jury : {codes}." in said
    assert any(all(name in m for name in blocked) for m in said)


def test_a_plan_changed_since_the_preview_records_nothing(client, users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    client.force_login(users["jury"])
    plan = client.post(reverse("jury:proposals_accept", args=[session.pk])).context["plan"]
    enrolment, *_ = plan.decisions[0]
    decision_override(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code="RED", reason="Absences",
                      user=users["jury"], session=session)
    response = client.post(reverse("jury:proposals_accept", args=[session.pk]),
                           {"confirmer": "1", "plan": plan.fingerprint})
    assert response.status_code == 302
    assert JuryDecision.objects.count() == 1  # the override only
    assert [str(m) for m in get_messages(response.wsgi_request)] == [ERROR_PLAN_CHANGED]
    again = proposals_plan(session=session)
    assert len(again.decisions) == len(plan.decisions) - 1
    assert [a.name for a in again.already] == [plan.decisions[0][4]]


def test_an_override_message_names_the_student_and_the_year(client, users, clean_promotion, open_session):
    session = open_session(clean_promotion)
    student = clean_promotion.students[0]
    client.force_login(users["jury"])
    response = client.post(reverse("jury:decision_override", args=[session.pk, student.pk]),
                           {"subject": "annee:2", "code": "PASD", "reason": "Stage validé"})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    year = scope_of_session(session).academic_year
    assert said == [f"Décision PASD enregistrée pour {student.last_name.upper()} {student.first_name} "
                    f"(année BUT 2, {year.start_year}-{year.start_year + 1})."]

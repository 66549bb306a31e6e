"""`jury_session`: a jury scripted from the command line over the same services as the pages, JSON out, each
refusal in French with exit 1; `jury_report --jury` then reads the closed jury's record."""
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grading.models import Evaluation, JuryDecision, JurySession, Student
from grading.selectors.jury_records import recorded_students
from jury.decisions import ERROR_OVERRIDE_REASON
from jury.sessions import REOPEN_DIRECTION_ONLY, SESSION_NO_PRESIDENT
from portal.publication import PUBLISH_NOT_CLOSED

pytestmark = pytest.mark.django_db


def run(capsys, *args) -> dict:
    call_command("jury_session", *args)
    return json.loads(capsys.readouterr().out)


def refused(*args) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("jury_session", *args)
    assert raised.value.returncode == 1
    return str(raised.value)


def test_a_june_jury_held_from_the_command_line(capsys, users, clean_promotion):
    opened = run(capsys, "open", "--semester", str(clean_promotion.s3.pk), "--year", "--date", "2026-06-20",
                 "--president", "Mme Présidente", "--member", "jury", "--user", "jury")
    session = JurySession.objects.get(pk=opened["id"])
    assert (opened["semesters"], session.members, session.created_by) == (
        [clean_promotion.s3.pk, clean_promotion.s4.pk], "Jules Juré", users["jury"])
    accepted = run(capsys, "accept-proposals", str(session.pk), "--user", "jury")
    assert accepted["recorded"] == 10 and accepted["blocked"] == []
    student = clean_promotion.students[2]
    Student.objects.filter(pk=student.pk).update(nip="21900003")
    decided = run(capsys, "decide", str(session.pk), "--student", "21900003", "--subject", "year", "--code",
                  "ATJ", "--reason", "Justificatif d'absence attendu", "--user", "jury")
    assert (decided["level"], decided["subject"], decided["code"]) == ("annee", "2", "ATJ")  # found by its NIP
    assert decided["student"] == student.ine
    closed = run(capsys, "close", str(session.pk), "--user", "jury")
    assert closed["students"] == 10
    published = run(capsys, "publish", str(session.pk), "--user", "secretariat")
    assert published["id"] == session.pk
    assert not Evaluation.objects.filter(semester_instance__in=[clean_promotion.s3, clean_promotion.s4],
                                         is_published=False).exists()
    session.refresh_from_db()
    call_command("jury_report", jury=session.pk)
    printed = {s["ine"]: s for s in json.loads(capsys.readouterr().out)["students"]}
    assert printed[student.ine]["decision"] == "ATJ"
    assert {s.ine: s.decision for s in recorded_students(session=session)} == {
        ine: s["decision"] for ine, s in printed.items()}
    reopened = run(capsys, "reopen", str(session.pk), "--reason", "Justificatif reçu", "--user", "direction")
    assert reopened["closed"] is False


def test_each_action_refuses_in_french_what_the_page_refuses(capsys, users, clean_promotion, promotion):
    assert SESSION_NO_PRESIDENT in refused("open", "--semester", str(clean_promotion.s3.pk), "--year", "--date",
                                           "2026-06-20", "--president", " ")
    session = run(capsys, "open", "--semester", str(promotion.s3.pk), "--year", "--date", "2026-06-20",
                  "--president", "Mme Présidente")["id"]
    assert "Le jury ne peut pas être clos : 11 étudiant(s) sans décision" in refused("close", str(session))
    assert ERROR_OVERRIDE_REASON in refused("decide", str(session), "--student", promotion.students[3].ine,
                                            "--subject", "year", "--code", "ATT", "--reason", " ")
    assert PUBLISH_NOT_CLOSED in refused("publish", str(session))
    assert "n'est pas clos" in refused("reopen", str(session), "--reason", "erreur", "--user", "direction")
    run(capsys, "accept-proposals", str(session))
    for student in promotion.students[1:]:
        if not JuryDecision.objects.filter(enrolment__student=student, superseded_by__isnull=True,
                                           level="annee").exists():
            run(capsys, "decide", str(session), "--student", student.ine, "--subject", "year", "--code", "ATT",
                "--reason", "Note attendue")
    run(capsys, "close", str(session))
    assert "est clos : ses décisions ne peuvent plus être modifiées" in refused("accept-proposals", str(session))
    assert REOPEN_DIRECTION_ONLY in refused("reopen", str(session), "--reason", "erreur")  # the system user
    assert "Aucun jury n'a l'identifiant 999999." in refused("close", "999999")
    with pytest.raises(CommandError) as raised:
        call_command("jury_session", "open", "--semester", str(promotion.s3.pk), "--date", "20/06/2026",
                     "--president", "X")
    assert raised.value.returncode == 2 and "n'est pas une date AAAA-MM-JJ" in str(raised.value)

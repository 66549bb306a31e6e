"""The student's jury sheet: the evaluations awaited named (module, title, date) with a link for staff; every
number with a decimal comma; every moment in Paris time, one format (the sheet and the jury's panel alike)."""
import datetime
import html
import re

import pytest
from django.urls import reverse

from butgmp.times import paris_datetime
from grading.engine.codes import GradeCode, JuryLevel
from grading.models import Grade
from grading.selectors.missing import incomplete_evaluations
from jury.decisions import decision_override
from jury.sessions import session_close

POINT_NUMBER = re.compile(r"(?<![\w.,/:-])\d+\.\d+(?![\w.])")  # « 12.38 »; codes such as R3.03 are left out


def visible_text(page: str) -> str:
    body = page.split("<main", 1)[-1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def sheet_url(promotion, student) -> str:
    return reverse("jury:sheet", args=["annee", promotion.s3.pk, student.pk])


def test_the_sheet_names_the_att_evaluation_and_links_it_for_whoever_grades_it(client, users, promotion):
    grade = Grade.objects.filter(enrolment__semester_instance__in=(promotion.s3, promotion.s4),
                                 code=GradeCode.ATT).select_related("evaluation__module", "enrolment__student").get()
    evaluation, student = grade.evaluation, grade.enrolment.student
    evaluation.date = datetime.date(2026, 5, 12)  # named with its date
    evaluation.save(update_fields=["date"])
    expected = (f"S{evaluation.semester_instance.semester.number} · {evaluation.module.code} – {evaluation.title} "
                f"(12/05/2026) : note ATT (en attente)")
    client.force_login(users["secretariat"])
    page = client.get(sheet_url(promotion, student)).content.decode()
    assert re.sub(r"\s+", " ", visible_text(page)).count(expected) == 1
    assert f'href="{reverse("grading:evaluation_grid", args=[evaluation.pk])}"' in page
    client.force_login(users["jury"])  # a jury member sees whom it waits for, not the grid
    page = client.get(sheet_url(promotion, student)).content.decode()
    assert f'href="{reverse("grading:evaluation_incomplete", args=[evaluation.pk])}"' in page
    assert f'href="{reverse("grading:evaluation_grid", args=[evaluation.pk])}"' not in page


def test_the_sheet_names_the_missing_grade(client, users, promotion):
    (incomplete,) = incomplete_evaluations(semester_instances=[promotion.s3, promotion.s4])
    evaluation = incomplete.evaluation
    client.force_login(users["jury"])
    for enrolment in incomplete.missing:
        text = re.sub(r"\s+", " ", visible_text(client.get(sheet_url(promotion, enrolment.student)).content.decode()))
        assert f"{evaluation.module.code} – {evaluation.title}" in text
        assert "note manquante" in text


@pytest.mark.parametrize("closed", [False, True], ids=["live", "recorded"])
def test_every_number_of_the_sheet_has_a_decimal_comma(client, users, clean_promotion, decided_session, closed):
    if closed:  # a closed jury's sheet shows its record's figures (module averages included)
        session_close(session=decided_session(clean_promotion), user=users["jury"])
    client.force_login(users["jury"])
    for student in clean_promotion.students[:3]:
        text = visible_text(client.get(sheet_url(clean_promotion, student)).content.decode())
        assert "Explication du moteur" in text and re.search(r"\d+,\d\d", text)  # averages are there
        assert POINT_NUMBER.findall(text) == []
        assert "#awaited" not in text and "En attente de" not in text  # nothing awaited in a clean promotion


def test_moments_are_in_paris_time_in_one_format_on_the_sheet_and_the_panel(client, users, clean_promotion,
                                                                            decided_session):
    session = decided_session(clean_promotion)
    student = clean_promotion.students[0]
    enrolment = student.enrolments.get(semester_instance=clean_promotion.s4)
    decision = decision_override(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code="RED",
                                 reason="Absences", user=users["jury"], session=session)
    session = session_close(session=session, user=users["jury"])
    client.force_login(users["jury"])
    sheet = visible_text(client.get(sheet_url(clean_promotion, student)).content.decode())
    assert paris_datetime(decision.at) in sheet
    panel = visible_text(client.get(reverse("jury:report", args=["annee", clean_promotion.s3.pk])).content.decode())
    closed = paris_datetime(session.closed_at)
    event = session.events.get(action="close")
    assert f"Clos le {closed}" in panel and f"Clôture le {paris_datetime(event.at)}" in panel
    assert paris_datetime(event.at)[:10] == closed[:10]
    assert not re.search(r"\(\d\d/\d\d/\d{4} \d\d:\d\d\)", panel)  # the events' own UTC format is gone

"""The demo's BUT2 promotion (Dijon MPI, S3–S4 2026-2027) enrolled into 2027-2028 from its year jury, as the
secretariat does it on the page: Dijon's programme has no S5 and no programme of the MPI parcours has one, so the
students who pass are listed « sans inscription prévue » with why; the repeaters' S3 and S4 2027-2028 are opened
from the page; confirming enrols the repeaters only, and a second run enrols nobody twice (newcomers only).

The demo is built once for the module (in a transaction rolled back at the end), as tests/demo/test_demo.py does.
"""
import datetime
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from butgmp.spreadsheets import formula_cells
from demo.build import DIJON_PROGRAMME, make_demo
from grading.engine.codes import DecisionCode, EnrolmentStatus, JuryLevel
from grading.models import AuditEntry, Enrolment, SemesterInstance
from jury.decisions import decision_override, proposals_accept
from jury.next_year import MOVES_UP, NO_PROGRAMME, WHY_NONE, WITHOUT_TARGET, next_year_enrol, next_year_plan
from jury.next_year_exports import HEADER_ROW, HEADERS
from jury.scope import scope_for
from jury.sessions import session_create
from tests.demo.test_demo import FAST_HASHER, load_the_two_programmes

STUDENTS, SEED = 8, 11
NEXT_YEAR = 2027


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**FAST_HASHER), transaction.atomic():
        load_the_two_programmes()
        make_demo(students=STUDENTS, seed=SEED, progress=lambda line: None)
        yield
        transaction.set_rollback(True)


def instance(number: int, year: int = 2026) -> SemesterInstance:
    return SemesterInstance.objects.select_related("semester__programme").get(
        semester__programme__code=DIJON_PROGRAMME, semester__number=number, academic_year__start_year=year)


@pytest.fixture
def jury(demo, db):
    """The BUT2 year jury held: the first student left enrolled repeats (RED), the second passes (ADM), the others
    as proposed (the ATT student and the one who left stay without a year decision)."""
    user = get_user_model().objects.get(username="jury")
    s3, s4 = instance(3), instance(4)
    session = session_create(semester_instances=[s3, s4], date=datetime.date(2027, 6, 24), president="Mme Présidente",
                             user=user)
    enrolled = list(Enrolment.objects.filter(semester_instance=s4, status=EnrolmentStatus.ENROLLED)
                    .order_by("student__ine"))
    for enrolment, code in zip(enrolled, (DecisionCode.RED, DecisionCode.ADM), strict=False):
        decision_override(enrolment=enrolment, level=JuryLevel.YEAR, subject="2", code=code, reason="Jury",
                          user=user, session=session)
    proposals_accept(session=session, user=user)
    return session


@pytest.fixture
def secretariat(client, demo):
    client.force_login(get_user_model().objects.get(username="secretariat"))
    return client


def lines_by_decision(plan):
    found = {}
    for line in plan.lines:
        found.setdefault(line.decision, []).append(line)
    return found


def open_from_the_page(client, session, number: int) -> SemesterInstance:
    page = client.get(reverse("jury:next_year", args=[session.pk]))
    choices = page.context["open_form"].fields["semester"].queryset
    semester = choices.get(programme__code=DIJON_PROGRAMME, number=number)
    response = client.post(reverse("jury:next_year_open", args=[session.pk]), {"semester": semester.pk})
    assert response.status_code == 302
    return instance(number, NEXT_YEAR)


def test_the_page_names_every_target_and_opens_the_missing_semesters(secretariat, jury):
    url = reverse("jury:next_year", args=[jury.pk])
    page = secretariat.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    no_s5 = NO_PROGRAMME.format(parcours=" du parcours MPI", number=5, year="2027-2028")
    assert no_s5 in text and "S3 2027-2028 pas encore ouvert" in text
    plan = page.context["plan"]
    assert plan.to_enrol == 0 and len(plan.without_target) == len(plan.lines) > 0
    assert "Confirmer" not in text  # nothing to enrol yet: no confirmation offered
    offered = {(s.programme.code, s.number) for s in page.context["open_form"].fields["semester"].queryset}
    assert offered == {(DIJON_PROGRAMME, 3), (DIJON_PROGRAMME, 4)}  # S5 cannot be opened: no programme has it

    s3 = open_from_the_page(secretariat, jury, 3)
    assert AuditEntry.objects.filter(object_type="grading.semesterinstance", object_id=s3.pk, action="create",
                                     user__username="secretariat").exists()
    page = secretariat.get(url)
    reds = [line for line in page.context["plan"].lines if line.decision == DecisionCode.RED]
    assert reds and all(line.to_enrol == [s3] for line in reds)
    assert "S4 2027-2028 pas encore ouvert" in page.content.decode()
    # the same semester again is refused (it is no longer offered) and nothing is opened twice
    again = secretariat.post(reverse("jury:next_year_open", args=[jury.pk]), {"semester": s3.semester_id},
                             follow=True)
    assert "choix valide" in again.content.decode() or "déjà ouvert" in again.content.decode()
    assert SemesterInstance.objects.filter(semester=s3.semester, academic_year__start_year=NEXT_YEAR).count() == 1


def test_confirming_enrols_the_repeaters_lists_the_others_and_a_second_run_enrols_nobody_twice(secretariat, jury):
    s3, s4 = open_from_the_page(secretariat, jury, 3), open_from_the_page(secretariat, jury, 4)
    scope = scope_for(instance(3), year=True)
    by_decision = lines_by_decision(next_year_plan(scope=scope))
    reds = {line.enrolment.student_id for line in by_decision[DecisionCode.RED]}
    passing = [line for code, lines in by_decision.items() if code in MOVES_UP for line in lines]
    others = [line for code, lines in by_decision.items() if code != DecisionCode.RED and code not in MOVES_UP
              for line in lines]
    assert reds and passing and others  # the demo has each case: RED, ADM/PASD, and the ATT or DEM student
    assert None in by_decision  # the ATT student and the one who left have no year decision

    response = secretariat.post(reverse("jury:next_year", args=[jury.pk]), follow=True)
    text = response.content.decode()
    assert f"{len(reds)} étudiant(s) inscrit(s) ({2 * len(reds)} inscription(s))" in text
    created = Enrolment.objects.filter(semester_instance__academic_year__start_year=NEXT_YEAR)
    assert set(created.values_list("student_id", "semester_instance_id")) == {
        (student, target.pk) for student in reds for target in (s3, s4)}
    assert all(e.is_repeat and e.parcours.code == "MPI" for e in created)
    assert AuditEntry.objects.filter(object_type="grading.enrolment", action="create",
                                     object_id__in=created.values("pk")).count() == created.count()
    plan = response.context["plan"]
    listed = {line.enrolment.student_id: line for line in plan.without_target}
    assert set(listed) == {line.enrolment.student_id for line in passing + others}
    neither = NO_PROGRAMME.format(parcours=" du parcours MPI", number="5 ni le S6", year="2027-2028")
    for line in passing:  # who passes goes nowhere, and the page says why
        assert listed[line.enrolment.student_id].reason == neither
    for line in others:
        assert listed[line.enrolment.student_id].reason == WHY_NONE.get(line.decision, WHY_NONE[None])
    assert text.count(WITHOUT_TARGET) >= len(listed) and neither in text

    # a second run enrols nobody twice; a newcomer (a decision changed to RED since) is the only one enrolled
    count = created.count()
    assert next_year_enrol(scope=scope, user=get_user_model().objects.get(username="secretariat")).created == 0
    assert created.count() == count
    newcomer = passing[0].enrolment
    decision_override(enrolment=newcomer.student.enrolments.get(semester_instance=instance(4)), level=JuryLevel.YEAR,
                      subject="2", code=DecisionCode.RED, reason="Jury, en séance", session=jury,
                      user=get_user_model().objects.get(username="jury"))
    rerun = next_year_enrol(scope=scope, user=get_user_model().objects.get(username="secretariat"))
    assert (rerun.created, rerun.students) == (2, 1)
    assert set(created.exclude(student_id__in=reds).values_list("student_id", flat=True)) == {newcomer.student_id}


def test_the_preview_exports_every_student_with_safe_cells(secretariat, jury):
    scope = scope_for(instance(3), year=True)
    student = Enrolment.objects.filter(semester_instance=instance(4)).order_by("student__ine").last().student
    student.last_name = "=HYPERLINK(\"http://x\")"
    student.save(update_fields=["last_name"])
    response = secretariat.get(reverse("jury:next_year_export", args=[jury.pk]))
    assert response.status_code == 200 and "annee-suivante" in response["Content-Disposition"]
    assert formula_cells(response.content) == []
    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[HEADER_ROW]] == HEADERS
    rows = {r[2]: r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    plan = next_year_plan(scope=scope)
    assert len(rows) == len(plan.lines)
    assert rows[student.ine][0] == student.last_name  # shown as typed, never a formula
    without = [r for r in rows.values() if r[HEADERS.index("Inscription prévue")] == WITHOUT_TARGET]
    assert len(without) == len(plan.without_target)


def test_only_direction_and_secretariat_open_the_page(client, jury):
    for login, status, opening in (("jury", 403, 403), ("enseignant", 403, 403), ("direction", 200, 302)):
        client.force_login(get_user_model().objects.get(username=login))
        assert client.get(reverse("jury:next_year", args=[jury.pk])).status_code == status, login
        assert client.post(reverse("jury:next_year_open", args=[jury.pk]), {}).status_code == opening, login
        assert client.get(reverse("jury:next_year_export", args=[jury.pk])).status_code == status, login
    assert not SemesterInstance.objects.filter(academic_year__start_year=NEXT_YEAR).exists()
